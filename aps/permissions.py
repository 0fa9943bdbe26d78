"""The one way a view refuses an action: a 403 (the object itself is visible; a lookup narrowed
to the user has already turned what the user may not see into a 404)."""

from django.core.exceptions import PermissionDenied


def deny_unless(allowed: bool, reason: str = "") -> None:
    """Raise ``PermissionDenied`` (403) when a ``can_*`` rule refused. ``reason``, in French,
    says why on the 403 page (Django's handler gives it to templates/403.html as
    ``exception``); without one the page says the action is not allowed for the user's role."""
    if not allowed:
        raise PermissionDenied(reason)
