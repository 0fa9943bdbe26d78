"""What a sheet still lacks before it can be submitted, section by section.

Each item names its section and links to the field to fill (``anchor`` is the field's HTML
id on the edit page). Apps above ``projects`` (funding: the cost estimate) add their own
checks with ``register_check``, so that one checklist covers the whole sheet.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from . import sections
from .models import ProjectSheet


@dataclass(frozen=True)
class MissingItem:
    section: str  # a key of projects.sections
    label: str
    anchor: str  # the HTML id of the field to fill
    url: str  # the page holding that field


# The numbered lists of a sheet: the first item is the field the checklist links to.
_LIST_ANCHORS = {"objectives": "id_objective_1", "criteria": "id_criterion_1"}

Check = Callable[[ProjectSheet], list[MissingItem]]
_extra_checks: list[Check] = []


def register_check(check: Check) -> None:
    if check not in _extra_checks:
        _extra_checks.append(check)


def _always(sheet: ProjectSheet) -> bool:
    return True


# Fields the checklist asks for only in some cases.
ASKED_IF = {"gpds_consulted_on": lambda sheet: sheet.gpds_associated == "oui"}


def _is_empty(sheet: ProjectSheet, field: str, lists: dict[str, list]) -> bool:
    if field in lists:
        return not lists[field]
    value = getattr(sheet, field)
    return value is None or (isinstance(value, str) and not value.strip())


def missing_items(sheet: ProjectSheet) -> list[MissingItem]:
    lists = {"objectives": list(sheet.objectives.all()), "criteria": list(sheet.criteria.all())}
    edit_url = reverse("projects:sheet_edit", kwargs={"pk": sheet.pk})
    missing = [
        MissingItem(section.key, label, _LIST_ANCHORS.get(field, f"id_{field}"), edit_url)
        for section in sections.SECTIONS
        for field, label in section.fields
        if _is_empty(sheet, field, lists) and ASKED_IF.get(field, _always)(sheet)
    ]
    for check in _extra_checks:
        missing.extend(check(sheet))
    return missing


def missing_by_section(sheet: ProjectSheet) -> list[tuple[sections.Section, list[MissingItem]]]:
    grouped: dict[str, list[MissingItem]] = {}
    for item in missing_items(sheet):
        grouped.setdefault(item.section, []).append(item)
    return [(sections.section(key), items) for key, items in grouped.items()]
