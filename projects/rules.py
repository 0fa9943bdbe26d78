"""Who may see and do what. Every list and lookup starts from these querysets; every action
is a ``can_<verb>(user, obj)`` used by views and templates alike."""

from django.db.models import Q, QuerySet

from .models import (
    EDITABLE_STATES,
    Campaign,
    Establishment,
    FoqualeNetwork,
    Membership,
    ProjectSheet,
)

R = Membership.Role


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their scopes, fetched once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_aps_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.select_related(
                "establishment__district",
                "establishment__department",
                "network__department",
                "district__department",
                "department",
            ).order_by("role", "pk")
        )
        user._aps_memberships = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return any(m.role in roles for m in memberships_of(user))


def is_overseer(user) -> bool:
    """DSDEN reviewers and académie staff: those who oversee départements (statistics,
    envelopes, the commission's documents)."""
    return has_role(user, R.DSDEN, R.ACADEMIE)


def establishments_in_scope(user) -> QuerySet[Establishment]:
    """The establishments covered by at least one of the user's memberships."""
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        match membership.role:
            case R.ACADEMIE:
                return Establishment.objects.all()
            case R.STAFF | R.HEAD:
                condition |= Q(pk=membership.establishment_id)
            case R.NETWORK_LEAD:
                condition |= Q(
                    pk__in=FoqualeNetwork.members.through.objects.filter(
                        foqualenetwork_id=membership.network_id
                    ).values("establishment_id")
                )
            case R.MLDS:
                condition |= Q(district_id=membership.district_id)
            case R.DSDEN:
                condition |= Q(department_id=membership.department_id)
    return Establishment.objects.filter(condition)


def establishments_of(user) -> list[Establishment]:
    """The establishments where the user works (staff or head), for the home page."""
    found = []
    for membership in memberships_of(user):
        if membership.is_establishment_role and membership.establishment not in found:
            found.append(membership.establishment)
    return found


def sheets_visible_to(user) -> QuerySet[ProjectSheet]:
    """Establishment staff and head: their establishment's sheets. Network lead: the
    network's own sheets, and the filed sheets of its member establishments (for the steering
    committee's opinion). MLDS: every sheet of the district, drafts included, and the sheets
    of the networks that have members in the district. DSDEN: the département's sheets but
    drafts. Académie: all."""
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        match membership.role:
            case R.ACADEMIE:
                return ProjectSheet.objects.all()
            case R.STAFF | R.HEAD:
                condition |= Q(establishment_id=membership.establishment_id)
            case R.NETWORK_LEAD:
                condition |= Q(network_id=membership.network_id) | (
                    Q(
                        establishment_id__in=FoqualeNetwork.members.through.objects.filter(
                            foqualenetwork_id=membership.network_id
                        ).values("establishment_id")
                    )
                    & ~Q(status=ProjectSheet.Status.DRAFT)
                )
            case R.MLDS:
                condition |= Q(establishment__district_id=membership.district_id) | Q(
                    network_id__in=FoqualeNetwork.objects.filter(
                        members__district_id=membership.district_id
                    ).values("pk")
                )
            case R.DSDEN:
                condition |= Q(department_id=membership.department_id) & ~Q(
                    status=ProjectSheet.Status.DRAFT
                )
    return ProjectSheet.objects.filter(condition)


def carriers_for(user) -> list[Establishment | FoqualeNetwork]:
    """What the user may file sheets for: their establishments, the networks they lead."""
    carriers = []
    for membership in memberships_of(user):
        if membership.is_establishment_role and membership.establishment not in carriers:
            carriers.append(membership.establishment)
        elif membership.role == R.NETWORK_LEAD and membership.network not in carriers:
            carriers.append(membership.network)
    return carriers


def carries(user, sheet: ProjectSheet, *roles: str) -> bool:
    """Whether the user holds one of ``roles`` on the sheet's establishment, or leads its
    network (the network lead stands for staff and head on a network's sheet)."""
    for membership in memberships_of(user):
        if sheet.establishment_id:
            if membership.role in roles and membership.establishment_id == sheet.establishment_id:
                return True
        elif membership.role == R.NETWORK_LEAD and membership.network_id == sheet.network_id:
            return True
    return False


def current_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_current=True).first()


def can_create_sheet(user) -> bool:
    """Establishment staff and heads, network leads."""
    return bool(carriers_for(user))


def can_edit_sheet(user, sheet: ProjectSheet) -> bool:
    """A draft, or a sheet on which the DSDEN awaits information, by the establishment's staff
    or head (the network lead for a network's sheet)."""
    return sheet.status in EDITABLE_STATES and carries(user, sheet, R.STAFF, R.HEAD)


def can_delete_sheet(user, sheet: ProjectSheet) -> bool:
    """A draft, by the establishment's head (the network lead for a network's sheet)."""
    return sheet.is_draft and carries(user, sheet, R.HEAD)


def can_renew_sheet(user, sheet: ProjectSheet) -> bool:
    """A filed sheet of an earlier campaign, not yet renewed, by its carrier's staff or head."""
    current = current_campaign()
    return (
        current is not None
        and sheet.campaign_id != current.pk
        and sheet.campaign.school_year < current.school_year
        and not sheet.is_draft
        and not hasattr(sheet, "renewal")
        and carries(user, sheet, R.STAFF, R.HEAD)
    )


def can_manage_attachments(user, sheet: ProjectSheet) -> bool:
    """Whoever may edit the sheet adds and removes its attachments."""
    return can_edit_sheet(user, sheet)
