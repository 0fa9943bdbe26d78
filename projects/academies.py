"""Which académie a page, an e-mail or a document speaks for: the académie's name, its
départements' DSDEN mailboxes and its page are data (``Academy``), never written in code.

A sheet speaks for the académie of its département. A signed-in user, for the académie of
their memberships' scopes. Otherwise (a visitor, an académie account not yet scoped), for the
instance's académie when the directory holds only one; with several, for none (the pages then
name the application alone)."""

from django.db.models import Exists, OuterRef

from .models import Academy, Department, Establishment

SCOPE_DEPARTMENTS = (
    "establishment__department__academy",
    "network__department__academy",
    "district__department__academy",
    "department__academy",
)


def instance_academy() -> Academy | None:
    """The one académie whose establishments the directory holds, if there is one only."""
    academies = list(
        Academy.objects.filter(
            Exists(Establishment.objects.filter(department__academy=OuterRef("pk")))
        )[:2]
    )
    return academies[0] if len(academies) == 1 else None


def academy_of_user(user) -> Academy | None:
    """The académie of the user's memberships, when they all lie in one."""
    if user is None or not user.is_authenticated:
        return instance_academy()
    academies = set()
    for membership in user.memberships.select_related(*SCOPE_DEPARTMENTS):
        scope = (
            membership.establishment
            or membership.network
            or membership.district
            or membership.department
        )
        department = scope if isinstance(scope, Department) else getattr(scope, "department", None)
        if department is not None:
            academies.add(department.academy)
    if len(academies) == 1:
        return academies.pop()
    return None if academies else instance_academy()


def academy_departments(academy: Academy | None) -> list[Department]:
    return list(academy.departments.all()) if academy else []
