"""Who may read what of the desk beyond the sheets themselves."""

from projects.rules import is_overseer


def can_see_statistics(user) -> bool:
    """The DSDEN (its départements' figures) and the académie (all)."""
    return is_overseer(user)
