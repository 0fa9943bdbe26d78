"""Who may see what in the directory. Every list starts from these querysets."""

from django.db.models import Q, QuerySet

from .models import Establishment, FoqualeNetwork, Membership


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


def is_academie(user) -> bool:
    return has_role(user, Membership.Role.ACADEMIE)


def establishments_in_scope(user) -> QuerySet[Establishment]:
    """The establishments covered by at least one of the user's memberships."""
    condition = Q(pk__in=[])
    for membership in memberships_of(user):
        match membership.role:
            case Membership.Role.ACADEMIE:
                return Establishment.objects.all()
            case Membership.Role.STAFF | Membership.Role.HEAD:
                condition |= Q(pk=membership.establishment_id)
            case Membership.Role.NETWORK_LEAD:
                condition |= Q(
                    pk__in=FoqualeNetwork.members.through.objects.filter(
                        foqualenetwork_id=membership.network_id
                    ).values("establishment_id")
                )
            case Membership.Role.MLDS:
                condition |= Q(district_id=membership.district_id)
            case Membership.Role.DSDEN:
                condition |= Q(department_id=membership.department_id)
    return Establishment.objects.filter(condition)


def establishments_of(user) -> list[Establishment]:
    """The establishments where the user works (staff or head), for the home page."""
    return [m.establishment for m in memberships_of(user) if m.is_establishment_role]
