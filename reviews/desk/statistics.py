"""Statistics of a campaign, as the vade-mecum counts them ("549 déposées, 389 financées"):
sheets filed and funded by département, district, typology and state; means requested and
granted; the share of each kind of answer; the median delay between submission and answer.

A sheet is *filed* once it has been submitted (a withdrawn draft never was), *funded* when
validated. Every figure is one grouped query: the page costs the same whatever the number
of sheets.
"""

import io
import statistics as stats
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from openpyxl import Workbook

from aps.numbers import euros, quantity
from aps.xlsx import COUNT_FORMAT, EUROS_FORMAT, quantity_format, write_only_row
from funding.models import Grant
from projects.action_types import every_choice
from projects.models import Department, District, Membership, ProjectSheet
from projects.rules import sheets_covered_by
from reviews.workflow.models import SheetEvent
from reviews.workflow.table import ANSWERS, GRANT_STANDS

from .charts import bar_chart

R = Membership.Role
S = ProjectSheet.Status
ZERO = Decimal(0)
# The DSDEN's answers (``reviews.workflow.table.ANSWERS``) as the figures name them.
ANSWER_LABELS = {
    "validate": "Projet validé",
    "request_info": "En attente de précisions",
    "reject": "Projet non validé",
}
ANSWER_KINDS = [(kind, ANSWER_LABELS[kind]) for kind in ANSWERS]


def scope(user, campaign):
    """The campaign's sheets the user's statistics cover, among those the user may see: the
    DSDEN's départements, or all for the académie."""
    return sheets_covered_by(user, R.DSDEN, R.ACADEMIE, R.NATIONAL).filter(campaign=campaign)


@dataclass
class Group:
    label: str
    filed: int
    funded: int

    @property
    def rate(self) -> int:
        return round(100 * self.funded / self.filed) if self.filed else 0


@dataclass
class Means:
    label: str
    requested: Decimal
    granted: Decimal
    unit: str

    @property
    def rate(self) -> int:
        return round(100 * self.granted / self.requested) if self.requested else 0

    def text(self, value) -> str:
        """``value`` in this kind's unit: "1 800,00 €", "180 HSE", "0,5 IMP"."""
        return euros(value) if self.unit == "€" else quantity(value, self.unit)

    @property
    def requested_text(self) -> str:
        return self.text(self.requested)

    @property
    def granted_text(self) -> str:
        return self.text(self.granted)

    def xlsx_format(self, value) -> str:
        return EUROS_FORMAT if self.unit == "€" else quantity_format(value)


def percent(value) -> str:
    return f"{quantity(value)}\xa0%"


def filed_sheets(sheets):
    """The sheets that were submitted at least once (a draft withdrawn never was): the
    workflow keeps the first submission on the sheet."""
    return sheets.filter(submitted_at__isnull=False)


GROUPED_BY = ["department", "establishment__district", "typology", "status", "network"]


def _cells(filed) -> list[dict]:
    """The filed sheets counted in one grouped query by every dimension of the page at once
    (a few hundred cells at most); each table is then a sum over these cells."""
    return list(
        filed.order_by()
        .values(*GROUPED_BY)
        .annotate(filed=Count("pk"), funded=Count("pk", filter=Q(status__in=sorted(GRANT_STANDS))))
    )


def _groups(cells, field: str, labels) -> list[Group]:
    sums: dict = {}
    for cell in cells:
        filed, funded = sums.get(cell[field], (0, 0))
        sums[cell[field]] = (filed + cell["filed"], funded + cell["funded"])
    return [Group(label, *sums[key]) for key, label in labels if key in sums]


def compute(user, campaign) -> dict:
    sheets = scope(user, campaign)
    filed = filed_sheets(sheets)
    cells = _cells(filed)
    departments = [(d.pk, str(d)) for d in Department.objects.order_by("code")]
    districts = [(d.pk, str(d)) for d in District.objects.select_related("department")]
    # The sheet's copies of its estimate's totals: no join.
    requested = filed.aggregate(
        euros=Coalesce(Sum("requested_euros"), ZERO),
        hse=Coalesce(Sum("requested_hse"), ZERO),
        imp=Coalesce(Sum("requested_imp"), ZERO),
    )
    granted = Grant.objects.filter(
        sheet__in=filed.filter(status__in=sorted(GRANT_STANDS))
    ).aggregate(
        euros=Coalesce(Sum("euros"), ZERO),
        hse=Coalesce(Sum("hse"), ZERO),
        imp=Coalesce(Sum("imp"), ZERO),
    )
    answers = _latest_answers(sheets)
    answered = sum(answers.values())
    return {
        "filed": sum(cell["filed"] for cell in cells),
        "funded": sum(cell["funded"] for cell in cells),
        "by_department": _groups(cells, "department", departments),
        "by_district": _groups(cells, "establishment__district", districts) + _network_group(cells),
        "by_typology": _groups(cells, "typology", every_choice("typology")),
        "by_state": _groups(cells, "status", S.choices),
        "means": [
            Means("Crédits (€)", requested["euros"], granted["euros"], "€"),
            Means("HSE", requested["hse"], granted["hse"], "HSE"),
            Means("IMP", requested["imp"], granted["imp"], "IMP"),
        ],
        "answers": [
            {
                "label": label,
                "count": answers.get(kind, 0),
                "share": round(100 * answers.get(kind, 0) / answered) if answered else 0,
            }
            for kind, label in ANSWER_KINDS
        ],
        "answered": answered,
        "median_days": _median_delay(sheets),
    }


def _latest_answers(sheets) -> dict[str, int]:
    """How many sheets have each kind of answer as their latest (a request for information
    followed by a validation is a validated sheet): the answers ranked per sheet in one pass
    over the history, rather than a lookup of the history for each sheet."""
    ranked = (
        SheetEvent.objects.filter(
            sheet__in=sheets.order_by().values("pk"), transition__in=[k for k, _ in ANSWER_KINDS]
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("sheet_id"),
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .order_by()  # no Meta.ordering: it would join and sort every answer by its sheet
    )
    return dict(Counter(ranked.values_list("transition", flat=True)))


def _network_group(cells) -> list[Group]:
    networks = [cell for cell in cells if cell["network"] is not None]
    filed = sum(cell["filed"] for cell in networks)
    funded = sum(cell["funded"] for cell in networks)
    return [Group("Réseaux FOQUALE", filed, funded)] if filed else []


def _median_delay(sheets) -> float | None:
    """Median days between a sheet's first submission (kept on the sheet) and the DSDEN's
    first answer, grouped over the answers alone."""
    rows = (
        SheetEvent.objects.filter(
            sheet__in=sheets.filter(submitted_at__isnull=False).order_by().values("pk"),
            transition__in=[k for k, _ in ANSWER_KINDS],
        )
        .values("sheet_id")
        .annotate(answered=Min("created_at"))
        .values_list("sheet__submitted_at", "answered")
        .order_by()
    )
    delays = [(answered - submitted).total_seconds() / 86400 for submitted, answered in rows]
    return round(stats.median(delays), 1) if delays else None


def charts(figures: dict) -> dict:
    """The page's charts, from ``compute``'s figures."""

    def groups(by, key):
        return bar_chart(
            title=f"Fiches déposées et financées par {by}",
            series=["Déposées", "Financées"],
            rows=[(group.label, [group.filed, group.funded]) for group in figures[key]],
        )

    return {
        "department": groups("département", "by_department"),
        "district": groups("district", "by_district"),
        "typology": groups("typologie", "by_typology"),
        "state": bar_chart(
            title="Fiches déposées par état",
            series=["Fiches"],
            rows=[(group.label, [group.filed]) for group in figures["by_state"]],
        ),
        "means": bar_chart(
            title="Moyens demandés et accordés (chaque ligne à l'échelle du demandé)",
            series=["Demandé", "Accordé"],
            rows=[(m.label, [m.requested, m.granted]) for m in figures["means"]],
            per_row_scale=True,
            texts=[m.text for m in figures["means"]],
        ),
        "answers": bar_chart(
            title="Part de chaque réponse de la DSDEN",
            series=["Part des réponses"],
            rows=[(a["label"], [a["share"]]) for a in figures["answers"]],
            texts=[percent] * len(figures["answers"]),
        ),
    }


def workbook(figures: dict, campaign) -> bytes:
    """The statistics as an .xlsx workbook: one sheet per table; numbers stay numbers, in
    French-looking formats (``aps.xlsx``)."""
    book = Workbook(write_only=True)

    def table(name, header, rows, number_formats=None):
        """``number_formats``: a row → its cells' number formats by column (whole numbers are
        counts, "1 234", unless it says otherwise)."""
        sheet = book.create_sheet(name)
        sheet.append(write_only_row(sheet, header, bold=True))
        for row in rows:
            formats = {i: COUNT_FORMAT for i, value in enumerate(row) if type(value) is int}
            if number_formats:
                formats |= number_formats(row)
            sheet.append(write_only_row(sheet, row, formats=formats))

    table(
        "Synthèse",
        ["Campagne", "Déposées", "Financées", "Délai médian dépôt → réponse (jours)"],
        [[campaign.school_year, figures["filed"], figures["funded"], figures["median_days"]]],
        lambda row: {3: quantity_format(row[3])} if row[3] is not None else {},
    )
    for name, key in (
        ("Départements", "by_department"),
        ("Districts", "by_district"),
        ("Typologies", "by_typology"),
        ("États", "by_state"),
    ):
        table(
            name,
            ["", "Déposées", "Financées", "Taux (%)"],
            [[g.label, g.filed, g.funded, g.rate] for g in figures[key]],
        )
    means = {m.label: m for m in figures["means"]}
    table(
        "Moyens",
        ["", "Demandé", "Accordé", "Taux (%)"],
        [[m.label, m.requested, m.granted, m.rate] for m in means.values()],
        lambda row: {column: means[row[0]].xlsx_format(row[column]) for column in (1, 2)},
    )
    table(
        "Réponses",
        ["Réponse", "Nombre", "Part (%)"],
        [[a["label"], a["count"], a["share"]] for a in figures["answers"]],
    )
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
