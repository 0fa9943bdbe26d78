"""Headers every response of a signed-in user carries, the mark that tells an expired session
from a first visit, and the French page of a refused method."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store`` (and its older spellings) on every response to a signed-in
    user — pages, attachments, PDFs, exports, error pages: a shared computer's browser cache or
    a proxy must not keep a sheet, a name or an amount after the session ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class FrenchMethodNotAllowedMiddleware:
    """A page opened with a method its view refuses (a GET on an action's URL, typed or
    followed from a bookmark: every ``require_POST`` view, a class-based view's
    ``http_method_not_allowed``) answers a French page in the site's layout, not Django's
    blank 405; still a 405, with its ``Allow`` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


SIGNED_IN_MARK = "aps_signed_in"
SIGNED_IN_MARK_AGE = 30 * 24 * 3600  # seconds: after a month away, a visit is a first one


class SignedInMarkMiddleware:
    """A cookie saying only "this browser was signed in and did not sign out": set while a
    user is signed in, removed when they sign out. The login page reached without a session
    but with the mark knows the session expired (aps.views.LoginView says so); a first visit,
    or a visit after signing out, has no mark."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if request.user.is_authenticated:
            if not request.COOKIES.get(SIGNED_IN_MARK):
                response.set_cookie(
                    SIGNED_IN_MARK,
                    "1",
                    max_age=SIGNED_IN_MARK_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        elif request.COOKIES.get(SIGNED_IN_MARK) and (
            was_signed_in or request.path == reverse("logout")
        ):
            # Signed out now (or again, after the session expired).
            response.delete_cookie(SIGNED_IN_MARK, samesite="Lax")
        return response
