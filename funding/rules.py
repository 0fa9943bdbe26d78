"""Who sees what of the means."""

from django.db.models import QuerySet

from projects.models import Membership
from projects.rules import is_overseer, memberships_of

from .models import Envelope


def envelopes_visible_to(user) -> QuerySet[Envelope]:
    """DSDEN reviewers: their département's envelopes. Académie: all. Others: none."""
    departments = set()
    for membership in memberships_of(user):
        if membership.role == Membership.Role.ACADEMIE:
            return Envelope.objects.all()
        if membership.role == Membership.Role.DSDEN:
            departments.add(membership.department_id)
    return Envelope.objects.filter(department_id__in=departments)


def can_see_envelopes(user) -> bool:
    """The DSDEN (its départements' envelopes) and the académie (all)."""
    return is_overseer(user)
