"""Reads that pages share: a sheet looked up inside what the user may see."""

from django.db.models import Case, F, QuerySet, When
from django.shortcuts import get_object_or_404

from .models import FUNDED_STATES, Establishment, ProjectSheet
from .rules import sheets_visible_to

PAGE_RELATED = ("campaign", "department", "establishment__district", "network")


def visible_sheet(user, pk, *, prefetch=()) -> ProjectSheet:
    """The sheet ``pk`` if the user may see it, else 404 (never a 403 that names it)."""
    sheets = sheets_visible_to(user).select_related(*PAGE_RELATED).prefetch_related(*prefetch)
    return get_object_or_404(sheets, pk=pk)


def establishment_sheets(user, establishment: Establishment) -> QuerySet[ProjectSheet]:
    """The establishment's sheets of every campaign that the user may see, the newest campaign
    first, each with the amounts granted while its grant stands (``granted_*``, else none).
    The grant is read through the sheet's reverse relation (the funding app's table, named
    by the ORM only: this app imports nothing of funding)."""

    def granted(field: str):
        return Case(When(status__in=sorted(FUNDED_STATES), then=F(f"grant__{field}")))

    return (
        sheets_visible_to(user)
        .filter(establishment=establishment)
        .select_related("campaign")
        .only("title", "status", "is_renewal", "campaign__school_year")
        .annotate(
            granted_euros=granted("euros"),
            granted_hse=granted("hse"),
            granted_imp=granted("imp"),
        )
        .order_by("-campaign__school_year", "title", "pk")
    )
