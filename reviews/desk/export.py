"""The list of sheets as an .xlsx workbook, one row per sheet, streamed in constant memory."""

import datetime
import tempfile

import xlsxwriter
from django.db.models import Case, Count, OuterRef, Q, StringAgg, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from aps.xlsx import (
    COUNT_FORMAT,
    DATE_FORMAT,
    EUROS_FORMAT,
    quantity_format,
    workbook_text,
)
from funding.models import Cofunding, EuroLine
from reviews.workflow.models import SheetEvent
from reviews.workflow.table import ANSWERS

from .listing import opinion_label
from .models import Assignment, SheetLabel
from .per_sheet import latest_opinion
from .rules import reviewed_departments


def _last_answer_time():
    """When the DSDEN last answered the sheet (the export's "Réponse le")."""
    answers = SheetEvent.objects.filter(sheet=OuterRef("pk"), transition__in=ANSWERS)
    return Subquery(answers.order_by("-created_at").values("created_at")[:1])


def _conventions_to_vote():
    """The sheet's service providers' conventions not voted yet by the conseil d'administration."""
    lines = (
        EuroLine.objects.filter(
            estimate__sheet=OuterRef("pk"),
            nature=EuroLine.Nature.PROVIDER,
            ca_voted_on__isnull=True,
        )
        .order_by()
        .values("estimate__sheet")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(lines[:1]), 0)


def _cofunding(standing: str):
    """The euros of the sheet's other funding, obtained or requested."""
    rows = (
        Cofunding.objects.filter(sheet=OuterRef("pk"), standing=standing)
        .order_by()
        .values("sheet")
        .annotate(total=Sum("euros"))
        .values("total")
    )
    return Subquery(rows[:1])


# (title, width, kind of cell): numbers stay numbers, in French-looking formats (aps.xlsx).
COLUMNS = [
    ("Campagne", 11, "text"),
    ("Département", 12, "text"),
    ("District", 22, "text"),
    ("Porteur", 34, "text"),
    ("Nom officiel (annuaire)", 34, "text"),
    ("UAI", 10, "text"),
    ("Commune", 18, "text"),
    ("Titre de l'action", 40, "text"),
    ("Typologie", 28, "text"),
    ("Champ", 16, "text"),
    ("GPDS associé", 12, "text"),
    ("Consultation du GPDS", 14, "date"),
    ("Conventions à voter (CA)", 14, "count"),
    ("Cofinancements obtenus (€)", 16, "euros"),
    ("Cofinancements demandés (€)", 16, "euros"),
    ("Renouvellement", 14, "text"),
    ("État", 30, "text"),
    ("Avis du réseau FOQUALE", 14, "text"),
    ("Euros demandés", 16, "euros"),
    ("HSE demandées", 14, "quantity"),
    ("IMP demandées", 14, "quantity"),
    ("Euros accordés", 16, "euros"),
    ("HSE accordées", 14, "quantity"),
    ("IMP accordées", 14, "quantity"),
    ("Créée le", 12, "date"),
    ("Déposée le", 12, "date"),
    ("Réponse le", 12, "date"),
]


def _row(sheet) -> list:
    establishment = sheet.establishment
    district = establishment.district if establishment else None

    def day(value):
        return timezone.localdate(value) if value else None

    return [
        sheet.campaign.school_year,
        sheet.department.code,
        district.name if district else "",
        (establishment or sheet.network).name,
        establishment.official_name if establishment else "",
        establishment.uai if establishment else "",
        establishment.city if establishment else "",
        sheet.title,
        sheet.get_typology_display(),
        sheet.get_field_display(),
        sheet.get_gpds_associated_display(),
        sheet.gpds_consulted_on,
        sheet.conventions_to_vote,
        sheet.cofunding_obtained,
        sheet.cofunding_requested,
        "oui" if sheet.is_renewal else "non",
        sheet.get_status_display(),
        opinion_label(sheet.network_opinion),
        sheet.requested_euros,
        sheet.requested_hse,
        sheet.requested_imp,
        sheet.granted_euros,
        sheet.granted_hse,
        sheet.granted_imp,
        day(sheet.created_at),
        day(sheet.submitted_at),
        day(sheet.answered_at),
    ]


def _label_names():
    """The sheet's labels' names ("À revoir, Dossier incomplet"): the reviewers' column (in
    no set order: SQLite orders no aggregate)."""
    rows = (
        SheetLabel.objects.filter(sheet=OuterRef("pk"))
        .order_by()
        .values("sheet")
        .annotate(names=StringAgg("label__name", Value(", ")))
        .values("names")
    )
    return Subquery(rows[:1])


def _assignee_name():
    rows = Assignment.objects.filter(sheet=OuterRef("pk")).values("reviewer__full_name")
    return Subquery(rows[:1])


# The reviewers' own columns (DSDEN, académie), after the others: never in anyone else's file.
REVIEWER_COLUMNS = [("Étiquettes", 30, "text"), ("Instruit par", 22, "text")]


def export_xlsx(queryset, *, reviewer=None) -> tempfile.SpooledTemporaryFile:
    """The sheets of ``queryset`` (from ``filtered_sheets``), one row each. XlsxWriter in
    constant-memory mode writes each row to disk as it comes, strings inline (openpyxl keeps
    every distinct string in memory until the end), from a server-side cursor: memory stays
    flat whatever the number of rows. Text typed by users is written as text, never as a
    formula. The caller streams the file."""
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    workbook = xlsxwriter.Workbook(
        output, {"constant_memory": True, "tmpdir": tempfile.gettempdir()}
    )
    sheet = workbook.add_worksheet("Fiches")
    bold = workbook.add_format({"bold": True})
    formats = {
        format_code: workbook.add_format({"num_format": format_code})
        for format_code in (EUROS_FORMAT, COUNT_FORMAT, quantity_format(0.5), DATE_FORMAT)
    }
    columns = COLUMNS + (REVIEWER_COLUMNS if reviewer is not None else [])
    kinds = [kind for _title, _width, kind in columns]
    for column, (title, width, _kind) in enumerate(columns):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, title, bold)
    sheet.freeze_panes(1, 0)
    # Joined rather than prefetched here: one query for the whole file, whatever its size.
    queryset = (
        queryset.prefetch_related(None)
        .select_related("campaign", "department", "establishment__district")
        .annotate(
            answered_at=_last_answer_time(),
            network_opinion=latest_opinion(),
            conventions_to_vote=_conventions_to_vote(),
            cofunding_obtained=_cofunding(Cofunding.Standing.OBTAINED),
            cofunding_requested=_cofunding(Cofunding.Standing.REQUESTED),
        )
    )
    if reviewer is not None:
        # Only for the sheets of the départements the reviewer prepares (they may hold
        # another role elsewhere, over sheets another DSDEN labels).
        prepared = Q(department__in=reviewed_departments(reviewer).values("pk"))
        queryset = queryset.annotate(
            label_names=Case(When(prepared, then=_label_names()), default=None),
            assignee_name=Case(When(prepared, then=_assignee_name()), default=None),
        )
    for row, sheet_row in enumerate(queryset.iterator(chunk_size=2000), start=1):
        values = _row(sheet_row)
        if reviewer is not None:
            values += [sheet_row.label_names or "", sheet_row.assignee_name or ""]
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, column, workbook_text(value))
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, column, value, formats[DATE_FORMAT])
            else:
                code = EUROS_FORMAT if kinds[column] == "euros" else quantity_format(value)
                sheet.write_number(row, column, float(value), formats[code])
    workbook.close()
    output.seek(0)
    return output
