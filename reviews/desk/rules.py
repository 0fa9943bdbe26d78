"""Who may read and do what on the reviewers' desk, beyond the sheets themselves: the
statistics, and the preparation of the answers (assignment, follows, labels, commissions),
which only the DSDEN of a département and its académie's staff see."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from projects.models import Department, Membership
from projects.rules import covers, has_role, is_overseer, memberships_of

R = Membership.Role
REVIEWER_ROLES = (R.DSDEN, R.ACADEMIE)


def can_see_statistics(user) -> bool:
    """The DSDEN (its départements' figures) and the académie (all)."""
    return is_overseer(user)


def sees_opinions_in_list(user) -> bool:
    """The network's opinion as a column of the list of sheets: for those who weigh it (the
    DSDEN, the académie, the ministry) and the network lead who gives it. The establishment and
    the MLDS read a sheet's opinion on the sheet's page (the list keeps its width for them)."""
    return is_overseer(user) or has_role(user, R.NETWORK_LEAD)


def is_reviewer(user) -> bool:
    """A DSDEN reviewer or an académie's staff member (the ministry only reads)."""
    return has_role(user, *REVIEWER_ROLES)


def can_prepare(user, sheet) -> bool:
    """Assign, follow, label, put on a commission, propose amounts: the reviewers of the
    sheet's département, on a filed sheet."""
    return not sheet.is_draft and covers(user, sheet, *REVIEWER_ROLES)


def reviewed_departments(user) -> QuerySet[Department]:
    """The départements whose sheets the user prepares: the DSDEN's own, every one of the
    académie for its staff (none for the ministry, which reads)."""
    memberships = memberships_of(user)
    return Department.objects.filter(
        Q(pk__in=[m.department_id for m in memberships if m.role == R.DSDEN])
        | Q(academy_id__in=[m.academy_id for m in memberships if m.role == R.ACADEMIE])
    ).order_by("code")


def reviewers_of(department: Department) -> QuerySet:
    """Who may be put in charge of a sheet of ``department``: the active DSDEN reviewers of
    the département and the staff of its académie."""
    memberships = Membership.objects.filter(
        Q(role=R.DSDEN, department=department) | Q(role=R.ACADEMIE, academy=department.academy_id)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("full_name", "email")
    )


def can_manage_labels(user, department: Department) -> bool:
    return reviewed_departments(user).filter(pk=department.pk).exists()
