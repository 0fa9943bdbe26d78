"""Statistics of a campaign, as the vade-mecum counts them ("549 déposées, 389 financées"):
sheets filed and funded by département, district, typology and state; means requested and
granted; the share of each kind of answer; the median delay between submission and answer.

A sheet is *filed* once it has been submitted (a withdrawn draft never was), *funded* when
its answer standing is a validation that grants something (validated, one amount above zero:
a reopened sheet's grant is suspended, it is under review again; a withdrawn sheet was never
answered). Every figure is one grouped query, read from the sheets' own columns (their state,
first submission and first answer), never from their history; and the grouped counts are
kept in the database while no sheet of the scope changes (``statistics_store``): the page
costs the same whatever the number of sheets.
"""

import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections
from django.db.models import Count, FloatField, Func, Q, Sum
from django.db.models.functions import Coalesce
from openpyxl import Workbook

from aps.numbers import euros, quantity
from aps.xlsx import COUNT_FORMAT, EUROS_FORMAT, quantity_format, write_only_row
from projects.action_types import every_choice
from projects.models import Department, District, Membership, ProjectSheet
from projects.rules import sheets_covered_by
from reviews.workflow.table import ANSWERS, GRANT_STANDS

from . import statistics_store
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


# Funded: the grant stands (validated; a reopening suspends it) and grants something. A
# validation grants at least one amount (reviews.workflow.services.validate); one recorded
# before that rule with nothing granted funds nothing.
STANDS = Q(status__in=sorted(GRANT_STANDS))
FUNDED = STANDS & (Q(grant__euros__gt=0) | Q(grant__hse__gt=0) | Q(grant__imp__gt=0))


MEANS = ("euros", "hse", "imp")


def _cells(filed) -> list[dict]:
    """The filed sheets counted in one grouped query by every dimension of the page at once
    (a few hundred cells at most), with their means requested (the sheet's copies of its
    estimate's totals) and granted (where the grant stands); each table is then a sum over
    these cells."""
    means = {}
    for kind in MEANS:
        means[f"requested_{kind}"] = Coalesce(Sum(f"requested_{kind}"), ZERO)
        means[f"granted_{kind}"] = Coalesce(Sum(f"grant__{kind}", filter=STANDS), ZERO)
    return list(
        filed.order_by()
        .values(*GROUPED_BY)
        .annotate(filed=Count("pk"), funded=Count("pk", filter=FUNDED), **means)
    )


def _groups(cells, field: str, labels) -> list[Group]:
    sums: dict = {}
    for cell in cells:
        filed, funded = sums.get(cell[field], (0, 0))
        sums[cell[field]] = (filed + cell["filed"], funded + cell["funded"])
    return [Group(label, *sums[key]) for key, label in labels if key in sums]


def compute(user, campaign) -> dict:
    sheets = scope(user, campaign)
    # The cells and the median as stored while no filed sheet of the scope changed
    # (``statistics_store``), else computed again.
    cells, median_days = statistics_store.figures(
        campaign,
        statistics_store.scope_departments(user),
        lambda: (_cells(filed_sheets(sheets)), _median_delay(sheets)),
    )
    departments = [(d.pk, str(d)) for d in Department.objects.order_by("code")]
    districts = [(d.pk, str(d)) for d in District.objects.select_related("department")]
    requested = {kind: sum((cell[f"requested_{kind}"] for cell in cells), ZERO) for kind in MEANS}
    granted = {kind: sum((cell[f"granted_{kind}"] for cell in cells), ZERO) for kind in MEANS}
    answers = _standing_answers(cells)
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
        "median_days": median_days,
    }


# The answer that stands, by the state it led to. A sheet sent back with its precisions or
# reopened is under review again (its earlier answer no longer stands); a withdrawn one has
# no answer.
STANDING_ANSWERS = {S.VALIDATED: "validate", S.NEEDS_INFO: "request_info", S.REJECTED: "reject"}


def _standing_answers(cells) -> dict[str, int]:
    """How many filed sheets have each kind of answer standing, from their state (the cells'
    counts by state): no pass over the history."""
    answers = Counter()
    for cell in cells:
        if cell["status"] in STANDING_ANSWERS:
            answers[STANDING_ANSWERS[cell["status"]]] += cell["filed"]
    return dict(answers)


def _network_group(cells) -> list[Group]:
    networks = [cell for cell in cells if cell["network"] is not None]
    filed = sum(cell["filed"] for cell in networks)
    funded = sum(cell["funded"] for cell in networks)
    return [Group("Réseaux FOQUALE", filed, funded)] if filed else []


def _median_delay(sheets) -> float | None:
    """Median days between a sheet's first submission and the DSDEN's first answer, both
    kept on the sheet, computed by the database: one query whatever the number of sheets."""
    delays = (
        sheets.filter(submitted_at__isnull=False, first_answered_at__isnull=False)
        .order_by()
        .annotate(days=DaysBetween("submitted_at", "first_answered_at"))
        .values("days")
    )
    sql, params = delays.query.sql_with_params()
    database = connections[delays.db]
    with database.cursor() as cursor:
        cursor.execute(MEDIAN_SQL[database.vendor].replace("{delays}", sql), params)
        (median,) = cursor.fetchone()
    return None if median is None else round(float(median), 1)


class DaysBetween(Func):
    """The days (with their fraction) from the first datetime to the second."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError(connection.vendor)

    def _days(self, compiler, connection, template):
        (start, start_params), (end, end_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return template.format(start=start, end=end), (*end_params, *start_params)

    def as_postgresql(self, compiler, connection, **extra):
        return self._days(
            compiler,
            connection,
            "CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 86400",
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self._days(compiler, connection, "(julianday({end}) - julianday({start}))")


# The median of the delays: PostgreSQL's own percentile; on SQLite, the middle one (or the
# mean of the middle two) of the delays in order, as percentile_cont(0.5) interpolates.
MEDIAN_SQL = {
    "postgresql": "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM ({delays}) d",
    "sqlite": (
        "SELECT AVG(days) FROM (SELECT days, ROW_NUMBER() OVER (ORDER BY days) AS n, "
        "COUNT(*) OVER () AS total FROM ({delays}) d) "
        "WHERE n IN ((total + 1) / 2, (total + 2) / 2)"
    ),
}


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
