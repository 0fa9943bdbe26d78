"""Headers every response of a signed-in user carries."""

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
