"""Which académie a page, an e-mail or a document speaks for: the académie's name, its
départements' DSDEN mailboxes and its page are data (``Academy``), never written in code.

A sheet speaks for the académie of its département. A signed-in user, for the académie of
their memberships' scopes. Otherwise (a visitor, an académie account not yet scoped), for the
instance's académie when the directory holds only one; with several, for none (the pages then
name the application alone)."""

from django.db.models import Exists, OuterRef

from .models import Academy, Department, Establishment, Membership
from .rules import memberships_of


def instance_academy() -> Academy | None:
    """The one académie whose establishments the directory holds, if there is one only."""
    academies = list(
        Academy.objects.filter(
            Exists(Establishment.objects.filter(department__academy=OuterRef("pk")))
        )[:2]
    )
    return academies[0] if len(academies) == 1 else None


def academy_of_user(user) -> Academy | None:
    """The académie of the user's memberships, when they all lie in one (a ministry account's
    cover them all: none)."""
    if user is None or not user.is_authenticated:
        return instance_academy()
    found = _academy_ids(user)
    if len(found) == 1:
        return Academy.objects.get(pk=found.pop())
    everywhere = any(m.role == Membership.Role.NATIONAL for m in memberships_of(user))
    return None if found or everywhere else instance_academy()


def academy_id_of_user(user) -> int | None:
    """The id of the one académie of a signed-in user's memberships (no query: read from
    them), else None — whose lists and calendar are then the defaults."""
    if user is None or not user.is_authenticated:
        return None
    found = _academy_ids(user)
    return found.pop() if len(found) == 1 else None


def _academy_ids(user) -> set[int]:
    academies = set()
    for membership in memberships_of(user):
        scope = (
            membership.establishment
            or membership.network
            or membership.district
            or membership.department
        )
        if membership.academy_id:
            academies.add(membership.academy_id)
        elif scope is not None:
            department = scope if isinstance(scope, Department) else scope.department
            academies.add(department.academy_id)
    return academies
