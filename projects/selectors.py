"""Reads that pages share: a sheet looked up inside what the user may see."""

from django.shortcuts import get_object_or_404

from .models import ProjectSheet
from .rules import sheets_visible_to

PAGE_RELATED = ("campaign", "department", "establishment__district", "network")


def visible_sheet(user, pk, *, prefetch=()) -> ProjectSheet:
    """The sheet ``pk`` if the user may see it, else 404 (never a 403 that names it)."""
    sheets = sheets_visible_to(user).select_related(*PAGE_RELATED).prefetch_related(*prefetch)
    return get_object_or_404(sheets, pk=pk)
