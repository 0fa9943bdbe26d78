"""Error reports to Sentry, when ``SENTRY_DSN`` is set: Django's errors and the ERROR log
lines, with nothing about a person but their user id (aps.activity_log tags each report
with it and with the request's id).

Imported by aps/settings.py: sentry_sdk is imported only when a DSN is set.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from .logs import scrub_emails

# Request headers that may carry a session, a credential or the previous page's address (a
# reset link, a search).
DROPPED_HEADERS = {"cookie", "authorization", "referer", "x-csrftoken"}


def init_sentry(environ: Mapping[str, str]) -> bool:
    """Start reporting to the DSN of ``environ`` if it has one; say whether it did."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environ.get("SENTRY_ENVIRONMENT", "").strip() or "production",
        traces_sample_rate=float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "") or "0"),
        send_default_pii=False,
        # Bodies (forms: names, addresses, projects' texts) and local variables (a user, a
        # sheet) are never collected; what remains is scrubbed by scrub_event.
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
    return True


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """The event without the request's body, cookies, query string and revealing headers,
    with the user reduced to their id, and every e-mail address replaced wherever it appears
    (an exception's message, a log line, a breadcrumb)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            url = urlsplit(request["url"])
            request["url"] = urlunsplit(
                url._replace(path=_loggable(url.path), query="", fragment="")
            )
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in DROPPED_HEADERS
            }
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    return _scrubbed(event)


def _loggable(path: str) -> str:
    from .activity_log import loggable_path

    try:
        return loggable_path(path)
    except Exception:  # an error report while the URLconf itself fails to load
        return path


def _scrubbed(value):
    if isinstance(value, str):
        return scrub_emails(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value
