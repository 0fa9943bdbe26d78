"""Who may ask for the commission's documents."""

from projects.rules import is_overseer


def can_export(user) -> bool:
    """The DSDEN reviewers and the académie prepare the commission's documents (bulk PDF)."""
    return is_overseer(user)
