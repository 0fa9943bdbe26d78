"""The password's authentication backend: Django's, while the instance allows passwords."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """E-mail and password (the login page, the admin's, an invitation's first password),
    unless ``PASSWORD_LOGIN`` is off: then no password opens anything, and the sessions a
    password opened before no longer do."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        if not settings.PASSWORD_LOGIN:
            return None
        return super().get_user(user_id)
