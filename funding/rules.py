"""Who sees what of the means."""

from django.db.models import QuerySet

from projects.rules import departments_overseen, is_overseer

from .models import Envelope


def envelopes_visible_to(user) -> QuerySet[Envelope]:
    """DSDEN reviewers: their département's envelopes; académie: its départements'; ministry:
    all (``departments_overseen``). Others: none."""
    return Envelope.objects.filter(department__in=departments_overseen(user))


def can_see_envelopes(user) -> bool:
    """The DSDEN, the académie and the ministry (the envelopes of the départements they
    oversee)."""
    return is_overseer(user)
