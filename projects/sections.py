"""The sections of a project sheet, written once: the edit form's fieldsets, the checklist,
the sheet page, the PDF, the bilan, the diff and the DSDEN's requests for precisions read them
from here.

A section's ``key`` is what the database stores (requests for precisions, the history's
details); its ``title`` is only shown, so rewording a title changes no data.

The official form "Fiche Projet / Bilan" lays the sheet out as rows of two columns, the
project's and the bilan's (``ROWS``). Bilan fields are named here, not imported: the Bilan
model lives in the reviews app, above this one.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # (field, what the checklist says is missing), in the edit form's order; "objectives" and
    # "criteria" are the sheet's numbered lists, the others its columns.
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for name, _missing in self.fields)

    @property
    def html_id(self) -> str:
        return f"section-{self.key}"

    @property
    def guide_anchor(self) -> str:
        """The id of this section's part of the guide's page on the sheet's sections
        (``reviews.guide``), to which the edit form's fieldset links for help."""
        return f"rubrique-{self.key}"


# The sheet's sections, in the order of the official form (header, diagnostic, field and
# typology first, as in the vade-mecum's list of what a sheet holds).
SECTIONS = (
    Section("header", "Identification de l'action", (("title", "le titre de l'action"),)),
    Section(
        "diagnostic",
        "Diagnostic",
        (
            ("problem", "la problématique"),
            ("qualitative_indicators", "les indicateurs qualitatifs"),
            ("quantitative_indicators", "les indicateurs quantitatifs"),
            ("gpds_associated", "l'association du GPDS (oui ou non)"),
            # Asked when the GPDS was associated (projects.checklist.ASKED_IF).
            ("gpds_consulted_on", "la date de la consultation du GPDS"),
        ),
    ),
    Section(
        "typology",
        "Champ et typologie d'action",
        (
            ("field", "le champ (intervention ou remédiation)"),
            ("typology", "la typologie d'action"),
        ),
    ),
    Section("objectives", "Objectifs de l'action", (("objectives", "au moins un objectif"),)),
    Section(
        "criteria", "Critères d'évaluation", (("criteria", "au moins un critère d'évaluation"),)
    ),
    Section(
        "public",
        "Public ciblé et moyens de repérage",
        (
            ("expected_pupils", "le nombre prévisionnel d'élèves"),
            ("pupil_levels", "les niveaux des élèves"),
            ("pupil_profiles", "les profils des élèves"),
            ("identification", "les critères et moyens de repérage"),
        ),
    ),
    Section(
        "organisation",
        "Modalités organisationnelles",
        (("organisation", "les modalités organisationnelles"),),
    ),
    Section(
        "calendar",
        "Calendrier",
        (
            ("start_date", "la date de lancement"),
            ("end_date", "la date de fin"),
            ("key_moments", "les temps forts"),
        ),
    ),
    Section(
        "staff",
        "Personnels mobilisés",
        (
            ("staff_count", "le nombre de personnels mobilisés"),
            ("staff_roles", "la qualité des personnels mobilisés"),
        ),
    ),
    Section("partners", "Partenaires associés", (("partners", "les partenaires associés"),)),
    Section(
        "means",
        "Moyens demandés à la DSDEN",
        (("means_use", "l'utilisation envisagée des moyens"),),
    ),
)

# What the DSDEN may also ask about, besides the sections.
DOCUMENTS = (
    Section("attachments", "Pièces jointes"),
    Section("estimate", "Estimation du coût"),
)

# The checklist's group for what a renewal needs (the previous year's bilan).
RENEWAL = Section("renewal", "Renouvellement")

# What a request for precisions may name: the sections, then the documents.
ASKABLE = SECTIONS + DOCUMENTS

# The snapshot's names for what the documents hold, compared after a request for precisions.
DOCUMENT_VALUES = {
    "estimate": ("total_euros", "total_hse", "total_imp"),
    "attachments": ("attachments",),
}


@dataclass(frozen=True)
class Row:
    """A row of the official form: the project column (the content of ``section``), then the
    bilan column."""

    key: str
    section: str  # the key of the section the project column shows
    title: str  # the project column's heading, in the form's words
    bilan_title: str
    bilan_fields: tuple[str, ...]  # fields of reviews' Bilan, in the form's order
    bilan_missing: str = ""  # what a final bilan lacks while this row's text is empty


# The rows of the official form, in its order. The forecast number of pupils, entered with
# the public, is a row of its own after the calendar.
ROWS = (
    Row(
        "objectives",
        "objectives",
        "Objectifs de l'action (3 au maximum)",
        "Bilan portant sur les objectifs de l'action",
        ("objectives",),
        "le bilan portant sur les objectifs",
    ),
    Row(
        "criteria",
        "criteria",
        "Critères d'évaluation (3 au maximum)",
        "Bilan portant sur les critères d'évaluation",
        ("criteria",),
        "le bilan portant sur les critères d'évaluation",
    ),
    Row(
        "public",
        "public",
        "Public ciblé et moyens de repérage",
        "Bilan portant sur le public ciblé",
        ("public",),
        "le bilan portant sur le public ciblé",
    ),
    Row(
        "organisation",
        "organisation",
        "Modalités organisationnelles (emploi du temps, déroulement, lieu…)",
        "Bilan portant sur les modalités organisationnelles",
        ("organisation",),
        "le bilan portant sur les modalités organisationnelles",
    ),
    Row(
        "calendar",
        "calendar",
        "Calendrier (dates de lancement, temps forts, fin de l'action…)",
        "Bilan portant sur le calendrier",
        ("calendar",),
        "le bilan portant sur le calendrier",
    ),
    Row(
        "pupils",
        "public",
        "Nombre prévisionnel de jeunes",
        "Réalisé (expliquez les écarts si nécessaire)",
        ("pupils_reached", "pupils_gap"),
    ),
    Row(
        "staff",
        "staff",
        "Nombre et qualité des personnels mobilisés",
        "Réalisé (expliquez les écarts si nécessaire)",
        ("staff_mobilised", "staff_gap"),
    ),
    Row(
        "partners",
        "partners",
        "Partenaires associés",
        "Bilan concernant le travail avec les partenaires",
        ("partners",),
        "le bilan concernant le travail avec les partenaires",
    ),
    Row(
        "means",
        "means",
        "Moyens demandés à la DSDEN",
        "Moyens consommés",
        ("consumed_euros", "consumed_hse", "consumed_imp", "means_gap"),
    ),
)

_BY_KEY = {section.key: section for section in (*SECTIONS, *DOCUMENTS, RENEWAL)}
_ROW_BY_KEY = {row.key: row for row in ROWS}


def section(key: str) -> Section:
    """The section (or document) of ``key``; an unknown key is a programming error."""
    return _BY_KEY[key]


def row(key: str) -> Row:
    """The row of the official form of ``key``."""
    return _ROW_BY_KEY[key]


def title_of(key: str) -> str:
    """The title to show for a stored key; a stored value that is no key (the data migration
    keeps what matched no title) is shown as it is."""
    found = _BY_KEY.get(key)
    return found.title if found else key


def value_order() -> tuple[str, ...]:
    """Every name a sheet's snapshot holds, in the order of the sections then the documents
    (the order in which the diff lists what changed)."""
    return tuple(
        name
        for entry in ASKABLE
        for name in (*entry.field_names, *DOCUMENT_VALUES.get(entry.key, ()))
    )
