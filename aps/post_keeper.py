"""Keep a form's content across a login when the session expired while the user typed.

Views marked with ``@keeps_post_across_login`` opt in: an anonymous POST to them is stashed
in the (new, anonymous) session before the redirect to the login page; ``login()`` keeps the
session's data, and the view then calls ``restore_post(request)`` to refill its form.
Files cannot be kept (a browser never resends them); the stash is bounded in size.
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import QueryDict

STASH_KEY = "aps_kept_post"
MAX_STASHED_BYTES = 512 * 1024


def keeps_post_across_login(view):
    view.keeps_post_across_login = True
    return view


class LoginRequiredKeepingPostMiddleware(LoginRequiredMiddleware):
    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and getattr(view_func, "keeps_post_across_login", False):
            body = request.POST.urlencode()
            if len(body) <= MAX_STASHED_BYTES:
                request.session[STASH_KEY] = {"path": request.path, "data": body}
        return super().handle_no_permission(request, view_func)


def restore_post(request) -> QueryDict | None:
    """The content posted to this page before a login, once; None if there is none."""
    stash = request.session.get(STASH_KEY)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[STASH_KEY]
    data = QueryDict(stash["data"], mutable=True)
    data.pop("csrfmiddlewaretoken", None)
    return data
