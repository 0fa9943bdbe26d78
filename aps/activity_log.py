"""One log line per request and per task run (loggers ``aps.requests`` and ``aps.tasks``,
switched on by ``LOG_FORMAT=json``), and the ids every other line written meanwhile carries
(aps.logs): the request's id, the signed-in user's id, the task's id. Ids only: the path is
logged without its query string (a search holds names) and without the secret of a reset or
invitation link.
"""

import contextlib
import logging
import re
import time
import uuid

from django.tasks.signals import task_finished, task_started
from django.urls import Resolver404, resolve

from . import logs

request_logger = logging.getLogger("aps.requests")
task_logger = logging.getLogger("aps.tasks")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id set by the load balancer or the proxy is kept when it looks like one (a uuid,
# a hex or base64url token); anything else (spaces, an address, a 2 KB header) is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")


def request_id_of(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def loggable_path(path: str, match=None) -> str:
    """``path`` with the value of any ``token`` argument of its URL hidden (the reset and
    invitation links' secret: whoever reads the logs could use it)."""
    if match is None:
        try:
            match = resolve(path)
        except Resolver404:
            return path
    for name, value in match.kwargs.items():
        if "token" in name and isinstance(value, str) and value:
            path = path.replace(f"/{value}/", "/[token]/")
    return path


def _user_pk(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Gives each request an id (the incoming ``X-Request-ID`` when sane, else a new one),
    returns it in the response's ``X-Request-ID``, tags the lines written meanwhile with it and
    with the user's id, and writes one line when the response is ready. First of the stack,
    so that its duration and its line cover every other middleware's answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_of(request)
        id_token = logs.request_id.set(request.request_id)
        user_token = logs.user_id.set(None)
        tag_error_reports(request_id=request.request_id, user_pk=None)
        try:
            response = self.get_response(request)
            # After the view: the user a login signed in (read again by aps.logs for Django's
            # own line about the response, written after this middleware's).
            request.log_user_id = user_pk = _user_pk(request)
            path = loggable_path(request.path, getattr(request, "resolver_match", None))
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "path": path,
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "user_id": user_pk,
                        "request_id": request.request_id,
                    }
                },
            )
        finally:
            logs.user_id.reset(user_token)
            logs.request_id.reset(id_token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The session is read by now (AuthenticationMiddleware comes after this one).
        logs.user_id.set(_user_pk(request))
        tag_error_reports(request_id=request.request_id, user_pk=logs.user_id.get())


def tag_error_reports(*, request_id: str, user_pk: int | None) -> None:
    """Sentry's reports of this request name its id (to find its log lines) and the user's."""
    import sentry_sdk

    if sentry_sdk.get_client().is_active():
        scope = sentry_sdk.get_isolation_scope()
        scope.set_tag("request_id", request_id)
        scope.set_user({"id": user_pk} if user_pk is not None else None)


# Running tasks' context tokens, by task id (a task run by the immediate backend may enqueue,
# and so run, another inside it).
_task_tokens = {}


def task_run_started(sender, task_result, **kwargs):
    _task_tokens[task_result.id] = logs.task_id.set(task_result.id)


def task_run_finished(sender, task_result, **kwargs):
    started, finished = task_result.started_at, task_result.finished_at
    duration_ms = (
        round((finished - started).total_seconds() * 1000, 1) if started and finished else None
    )
    failed = task_result.status == "FAILED"
    task_logger.log(
        logging.WARNING if failed else logging.INFO,
        "task %s %s",
        task_result.task.module_path,
        task_result.status,
        extra={
            "fields": {
                "task": task_result.task.module_path,
                "task_id": task_result.id,
                "backend": task_result.backend,
                "outcome": "failed" if failed else "succeeded",
                "duration_ms": duration_ms,
            }
        },
    )
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        # Set in another context (thread): nothing of ours to undo here.
        with contextlib.suppress(ValueError):
            logs.task_id.reset(token)


def connect_task_signals():
    task_started.connect(task_run_started, dispatch_uid="aps.activity_log.started")
    task_finished.connect(task_run_finished, dispatch_uid="aps.activity_log.finished")
