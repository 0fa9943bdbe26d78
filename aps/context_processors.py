"""What every page knows of the instance's sign-in."""

from django.conf import settings


def sign_in(request):
    """Whether passwords open accounts here (the user's name links to its change)."""
    return {"password_login": settings.PASSWORD_LOGIN}
