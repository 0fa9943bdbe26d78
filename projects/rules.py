"""Who may see and do what. Every list and lookup starts from these querysets; every action
is a ``can_<verb>(user, obj)`` used by views and templates alike; e-mails go to the users
these same scopes name (``users_covering``, ``carrier_team``)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import (
    EDITABLE_STATES,
    Campaign,
    Department,
    Establishment,
    FoqualeNetwork,
    Membership,
    ProjectSheet,
    Status,
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
    return has_role(user, R.DSDEN, R.ACADEMIE, R.NATIONAL)


# --- Scopes ---------------------------------------------------------------------------
# One scope per role, each read three ways from one place: the sheets a membership of the role
# covers (a condition on sheets, for querysets), whether it covers a given sheet (for rules on
# a loaded sheet), and the memberships of the role that cover a given sheet (a condition on
# memberships, for e-mail recipients). ``tests/projects/test_scopes.py`` checks that the three
# agree for every role.


def _members_of(network_id) -> QuerySet:
    return FoqualeNetwork.members.through.objects.filter(foqualenetwork_id=network_id).values(
        "establishment_id"
    )


def _sheet_networks(sheet: ProjectSheet) -> set[int]:
    """The networks of the sheet's establishment (none for a network's own sheet)."""
    if not sheet.establishment_id:
        return set()
    return {n.pk for n in sheet.establishment.foquale_networks.all()}


def _sheet_districts(sheet: ProjectSheet) -> set[int]:
    """The district of the sheet's establishment, or those of its network's members."""
    if sheet.establishment_id:
        district = sheet.establishment.district_id
        return {district} if district else set()
    return set(sheet.network.members.exclude(district=None).values_list("district_id", flat=True))


class Scope:
    """What one role covers. ``sheets(m)``: the condition on sheets for membership ``m``;
    ``covers(m, sheet)``: whether ``m`` covers a loaded sheet; ``holders(sheet)``: the
    condition on memberships of this role covering the sheet; ``establishments(m)``: the
    condition on the establishments ``m`` covers. ``drafts``: whether the scope covers any
    draft; ``everything``: whether it covers every sheet and establishment (what a list may
    offer to narrow: ``reach_of``)."""

    drafts = True
    everything = False

    def establishments(self, m: Membership) -> Q:
        raise NotImplementedError

    def sheets(self, m: Membership) -> Q:
        raise NotImplementedError

    def covers(self, m: Membership, sheet: ProjectSheet) -> bool:
        raise NotImplementedError

    def holders(self, sheet: ProjectSheet) -> Q:
        raise NotImplementedError


class EstablishmentScope(Scope):
    """Staff and head: their establishment's sheets, drafts included."""

    def establishments(self, m):
        return Q(pk=m.establishment_id)

    def sheets(self, m):
        return Q(establishment_id=m.establishment_id)

    def covers(self, m, sheet):
        return sheet.establishment_id is not None and sheet.establishment_id == m.establishment_id

    def holders(self, sheet):
        return Q(establishment_id=sheet.establishment_id) if sheet.establishment_id else Q(pk=None)


class NetworkScope(Scope):
    """Network lead: the network's own sheets, and the filed sheets of its member
    establishments (for the steering committee's opinion)."""

    def establishments(self, m):
        return Q(pk__in=_members_of(m.network_id))

    def sheets(self, m):
        return Q(network_id=m.network_id) | (
            Q(establishment_id__in=_members_of(m.network_id)) & ~Q(status=Status.DRAFT)
        )

    def covers(self, m, sheet):
        if sheet.network_id:
            return sheet.network_id == m.network_id
        return not sheet.is_draft and m.network_id in _sheet_networks(sheet)

    def holders(self, sheet):
        if sheet.network_id:
            return Q(network_id=sheet.network_id)
        if sheet.is_draft:
            return Q(pk=None)
        return Q(network__members=sheet.establishment_id)


def _district_carriers(m: Membership) -> tuple[list[int], list[int]]:
    """The ids of the district's establishments and of the networks with members in it, read
    once per membership (a request reads its user's memberships once: ``memberships_of``).
    Given as ids, PostgreSQL reads each carrier's sheets from the index on their carrier;
    given as a join to the establishments, it read every sheet of the campaign to keep the
    district's (the MLDS list's count at 100,000 sheets: 37 ms, 11 ms this way)."""
    carriers = m.__dict__.get("_aps_carriers")
    if carriers is None:
        establishments = Establishment.objects.filter(district_id=m.district_id)
        networks = FoqualeNetwork.objects.filter(members__district_id=m.district_id).distinct()
        carriers = (
            sorted(establishments.values_list("pk", flat=True)),
            sorted(networks.values_list("pk", flat=True)),
        )
        m._aps_carriers = carriers
    return carriers


class DistrictScope(Scope):
    """MLDS: every sheet of the district, drafts included, and the sheets of the networks
    with members in the district."""

    def establishments(self, m):
        return Q(district_id=m.district_id)

    def sheets(self, m):
        establishments, networks = _district_carriers(m)
        return Q(establishment_id__in=establishments) | Q(network_id__in=networks)

    def covers(self, m, sheet):
        return m.district_id in _sheet_districts(sheet)

    def holders(self, sheet):
        return Q(district_id__in=_sheet_districts(sheet))


class DepartmentScope(Scope):
    """DSDEN: the département's sheets but drafts."""

    drafts = False

    def establishments(self, m):
        return Q(department_id=m.department_id)

    def sheets(self, m):
        return Q(department_id=m.department_id) & ~Q(status=Status.DRAFT)

    def covers(self, m, sheet):
        return not sheet.is_draft and sheet.department_id == m.department_id

    def holders(self, sheet):
        return Q(pk=None) if sheet.is_draft else Q(department_id=sheet.department_id)


def _academy_of(sheet: ProjectSheet) -> int:
    return sheet.department.academy_id


class AcademieScope(Scope):
    """Académie: every sheet of its académie (its départements')."""

    def establishments(self, m):
        return Q(department__academy_id=m.academy_id)

    def sheets(self, m):
        return Q(department__academy_id=m.academy_id)

    def covers(self, m, sheet):
        return _academy_of(sheet) == m.academy_id

    def holders(self, sheet):
        return Q(academy_id=_academy_of(sheet))


class NationalScope(Scope):
    """Ministry: every sheet of every académie. (Conditions that always hold: an empty ``Q()``
    would vanish from the ``|`` that joins a user's scopes.)"""

    everything = True

    def establishments(self, m):
        return Q(pk__isnull=False)

    def sheets(self, m):
        return Q(pk__isnull=False)

    def covers(self, m, sheet):
        return True

    def holders(self, sheet):
        return Q()


_establishment = EstablishmentScope()
SCOPES: dict[str, Scope] = {
    R.STAFF: _establishment,
    R.HEAD: _establishment,
    R.NETWORK_LEAD: NetworkScope(),
    R.MLDS: DistrictScope(),
    R.DSDEN: DepartmentScope(),
    R.ACADEMIE: AcademieScope(),
    R.NATIONAL: NationalScope(),
}


def sheets_visible_to(user) -> QuerySet[ProjectSheet]:
    """The sheets any of the user's memberships covers (``SCOPES``)."""
    return sheets_covered_by(user, *SCOPES)


def sheets_covered_by(user, *roles: str) -> QuerySet[ProjectSheet]:
    """The sheets the user's memberships of one of ``roles`` cover."""
    memberships = [m for m in memberships_of(user) if m.role in roles]
    if any(SCOPES[m.role].everything for m in memberships):
        return ProjectSheet.objects.all()
    condition = Q(pk__in=[])
    for membership in memberships:
        condition |= SCOPES[membership.role].sheets(membership)
    return ProjectSheet.objects.filter(condition)


def covers(user, sheet: ProjectSheet, *roles: str) -> bool:
    """Whether the user holds one of ``roles`` over a scope that covers the sheet."""
    return any(m.role in roles and SCOPES[m.role].covers(m, sheet) for m in memberships_of(user))


def users_covering(sheet: ProjectSheet, *roles: str) -> QuerySet:
    """The active users holding one of ``roles`` over a scope that covers the sheet (e-mail
    recipients)."""
    condition = Q(pk__in=[])
    for role in dict.fromkeys(roles):
        condition |= Q(role=role) & SCOPES[role].holders(sheet)
    memberships = Membership.objects.filter(condition)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("email")
    )


@dataclass(frozen=True)
class Reach:
    """What a user's scopes span, for the filters of a list worth offering: the ids of the
    départements and districts, and the kinds, of the establishments they cover (``None``:
    all of them), and whether they cover drafts."""

    departments: frozenset[int] | None
    districts: frozenset[int] | None
    kinds: frozenset[str] | None
    drafts: bool


def reach_of(user) -> Reach:
    """The reach of the user's scopes (``SCOPES``): one query, none for a scope that covers
    everything. (A network's own sheets, without an establishment, count through its members,
    of its département.)"""
    scopes = [SCOPES[m.role] for m in memberships_of(user)]
    drafts = any(scope.drafts for scope in scopes)
    if any(scope.everything for scope in scopes):
        return Reach(None, None, None, drafts)
    rows = set(
        establishments_in_scope(user)
        .order_by()
        .values_list("department_id", "district_id", "kind")
        .distinct()
    )
    return Reach(
        departments=frozenset(department for department, _, _ in rows),
        districts=frozenset(district for _, district, _ in rows if district is not None),
        kinds=frozenset(kind for _, _, kind in rows),
        drafts=drafts,
    )


def departments_overseen(user) -> QuerySet[Department]:
    """The départements a user oversees: the DSDEN's own, its académie's for the académie,
    every one for the ministry."""
    if has_role(user, R.NATIONAL):
        return Department.objects.all()
    memberships = memberships_of(user)
    return Department.objects.filter(
        Q(pk__in=[m.department_id for m in memberships if m.role == R.DSDEN])
        | Q(academy_id__in=[m.academy_id for m in memberships if m.role == R.ACADEMIE])
    )


def establishments_in_scope(user) -> QuerySet[Establishment]:
    """The establishments covered by at least one of the user's memberships."""
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        condition |= SCOPES[membership.role].establishments(membership)
    return Establishment.objects.filter(condition)


def establishments_of(user) -> list[Establishment]:
    """The establishments where the user works (staff or head), for the home page."""
    found = []
    for membership in memberships_of(user):
        if membership.is_establishment_role and membership.establishment not in found:
            found.append(membership.establishment)
    return found


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
    if sheet.network_id:
        return covers(user, sheet, R.NETWORK_LEAD)
    return covers(user, sheet, *roles)


def carrier_team(sheet: ProjectSheet, *roles: str) -> QuerySet:
    """The active users who carry the sheet in one of ``roles``: on an establishment's sheet,
    its staff or head; on a network's, its lead (as ``carries``)."""
    if sheet.network_id:
        return users_covering(sheet, R.NETWORK_LEAD)
    return users_covering(sheet, *roles)


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


# --- The establishment's team ----------------------------------------------------------


def can_see_team(user, establishment: Establishment) -> bool:
    """Who works on an establishment's sheets is read by its own head and staff, and by the
    académie's staff and DSDEN overseeing it."""
    return (
        any(
            (m.is_establishment_role and m.establishment_id == establishment.pk)
            for m in memberships_of(user)
        )
        or departments_overseen(user).filter(pk=establishment.department_id).exists()
    )


def can_manage_team(user, establishment: Establishment) -> bool:
    """The head invites and removes the staff of their establishment."""
    return any(
        m.role == R.HEAD and m.establishment_id == establishment.pk for m in memberships_of(user)
    )
