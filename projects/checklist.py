"""What a sheet still lacks before it can be submitted, section by section.

Each item names its section and links to the field to fill (``anchor`` is the field's HTML
id on the edit page). Apps above ``projects`` (funding: the cost estimate) add their own
checks with ``register_check``, so that one checklist covers the whole sheet.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .models import ProjectSheet


@dataclass(frozen=True)
class MissingItem:
    section: str
    label: str
    anchor: str  # the HTML id of the field to fill
    url: str  # the page holding that field


# The sections of the official form, in its order: (section, [(field, what is missing)]).
SECTIONS = [
    ("Identification de l'action", [("title", "le titre de l'action")]),
    (
        "Diagnostic",
        [
            ("problem", "la problématique"),
            ("qualitative_indicators", "les indicateurs qualitatifs"),
            ("quantitative_indicators", "les indicateurs quantitatifs"),
        ],
    ),
    (
        "Champ et typologie",
        [
            ("field", "le champ (intervention ou remédiation)"),
            ("typology", "la typologie d'action"),
        ],
    ),
    ("Objectifs de l'action", [("objective_1", "au moins un objectif")]),
    ("Critères d'évaluation", [("criterion_1", "au moins un critère d'évaluation")]),
    (
        "Public ciblé et moyens de repérage",
        [
            ("expected_pupils", "le nombre prévisionnel d'élèves"),
            ("pupil_levels", "les niveaux des élèves"),
            ("pupil_profiles", "les profils des élèves"),
            ("identification", "les critères et moyens de repérage"),
        ],
    ),
    ("Modalités organisationnelles", [("organisation", "les modalités organisationnelles")]),
    (
        "Calendrier",
        [
            ("start_date", "la date de lancement"),
            ("end_date", "la date de fin"),
            ("key_moments", "les temps forts"),
        ],
    ),
    (
        "Personnels mobilisés",
        [
            ("staff_count", "le nombre de personnels mobilisés"),
            ("staff_roles", "la qualité des personnels mobilisés"),
        ],
    ),
    ("Partenaires associés", [("partners", "les partenaires associés")]),
    ("Moyens demandés à la DSDEN", [("means_use", "l'utilisation envisagée des moyens")]),
]
SECTION_IDS = {
    section: f"section-{index}" for index, (section, _fields) in enumerate(SECTIONS, start=1)
}

Check = Callable[[ProjectSheet], list[MissingItem]]
_extra_checks: list[Check] = []


def register_check(check: Check) -> None:
    if check not in _extra_checks:
        _extra_checks.append(check)


def _is_empty(sheet: ProjectSheet, field: str, objectives: list, criteria: list) -> bool:
    if field == "objective_1":
        return not objectives
    if field == "criterion_1":
        return not criteria
    value = getattr(sheet, field)
    return value is None or (isinstance(value, str) and not value.strip())


def missing_items(sheet: ProjectSheet) -> list[MissingItem]:
    objectives = list(sheet.objectives.all())
    criteria = list(sheet.criteria.all())
    edit_url = reverse("projects:sheet_edit", kwargs={"pk": sheet.pk})
    missing = [
        MissingItem(section, label, f"id_{field}", edit_url)
        for section, fields in SECTIONS
        for field, label in fields
        if _is_empty(sheet, field, objectives, criteria)
    ]
    for check in _extra_checks:
        missing.extend(check(sheet))
    return missing


def missing_by_section(sheet: ProjectSheet) -> list[tuple[str, list[MissingItem]]]:
    grouped: dict[str, list[MissingItem]] = {}
    for item in missing_items(sheet):
        grouped.setdefault(item.section, []).append(item)
    return list(grouped.items())
