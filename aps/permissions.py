"""The one way a view refuses an action: a 403 (the object itself is visible; a lookup narrowed
to the user has already turned what the user may not see into a 404)."""

from django.core.exceptions import PermissionDenied


def deny_unless(allowed: bool) -> None:
    """Raise ``PermissionDenied`` (403) when a ``can_*`` rule refused."""
    if not allowed:
        raise PermissionDenied
