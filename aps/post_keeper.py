"""Keep a form's content across a login when the session expired while the user typed.

Forms opt in with ``{% keep_post_owner %}`` (a signed hidden field naming the user who
displayed the form) and their views with ``@keeps_post_across_login``. An anonymous POST to
such a view that carries a valid signature is stashed in the (new, anonymous) session before
the redirect to the login page; ``login()`` keeps the session's data, and the view calls
``restore_post(request)`` to refill its form — only for the same user, once. Unsigned posts
are never stored, so the stash cannot be used to fill the session store. Files cannot be kept
(a browser never resends them).
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core import signing
from django.http import QueryDict

STASH_KEY = "aps_kept_post"
OWNER_FIELD = "_aps_owner"
OWNER_SALT = "aps.post_keeper.owner"
MAX_STASHED_BYTES = 200 * 1024
MAX_FORM_AGE = 7 * 24 * 3600  # seconds: a form left open for a week is not restored


def owner_token(user) -> str:
    return signing.dumps(user.pk, salt=OWNER_SALT)


def _owner_of(data) -> int | None:
    try:
        return signing.loads(data.get(OWNER_FIELD, ""), salt=OWNER_SALT, max_age=MAX_FORM_AGE)
    except signing.BadSignature:
        return None


def keeps_post_across_login(view):
    view.keeps_post_across_login = True
    return view


class LoginRequiredKeepingPostMiddleware(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and getattr(view_func, "keeps_post_across_login", False):
            owner = _owner_of(request.POST)
            body = request.POST.urlencode()
            if owner is not None and len(body) <= MAX_STASHED_BYTES:
                request.session[STASH_KEY] = {"path": request.path, "owner": owner, "data": body}
        return super().handle_no_permission(request, view_func)


def restore_post(request) -> QueryDict | None:
    """The content this user posted to this page before logging in again, once."""
    stash = request.session.get(STASH_KEY)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[STASH_KEY]
    if stash.get("owner") != request.user.pk:
        return None  # typed by someone else on this browser: never shown
    data = QueryDict(stash["data"], mutable=True)
    data.pop("csrfmiddlewaretoken", None)
    data.pop(OWNER_FIELD, None)
    return data
