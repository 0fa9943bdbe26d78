"""The official PDF "Fiche Projet / Bilan" of a sheet (WeasyPrint), one sheet or many.

The HTML is rendered by Django templates (so every value is escaped: HTML typed into a field
prints as text), then laid out by WeasyPrint with the DSFR's Marianne font.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from funding.estimate import hse_figures
from funding.models import Estimate, Grant
from funding.services import rates_for
from projects.models import ProjectSheet
from reviews.bilans import rules
from reviews.bilans import services as bilans
from reviews.bilans.models import Bilan
from reviews.workflow.models import Opinion, SheetEvent
from reviews.workflow.table import ANSWER_STANDING, GRANT_STANDS


def font_dir() -> str:
    found = finders.find("dsfr/dist/fonts/Marianne-Regular.woff")
    return Path(found).parent.as_uri() if found else ""


def sheets_for_pdf(queryset):
    """Everything the PDF reads, fetched in a fixed number of queries whatever the count."""
    return queryset.select_related(
        "campaign",
        "department__academy",
        "establishment__district",
        "network",
        "estimate",
        "grant",
        "renewal_of__campaign",
    ).prefetch_related(
        "objectives",
        "criteria",
        "estimate__hse_lines",
        "estimate__imp_lines",
        "estimate__euro_lines",
        "cofundings",
        Prefetch("bilans", queryset=Bilan.objects.select_related("submitted_by")),
        Prefetch(
            "events",
            queryset=SheetEvent.objects.filter(transition__in=ANSWER_STANDING)
            .select_related("actor")
            .order_by("-created_at", "-pk"),
            to_attr="answers",
        ),
        Prefetch(
            "opinions",
            queryset=Opinion.objects.select_related("author").order_by("-created_at"),
            to_attr="latest_opinions",
        ),
    )


@dataclass
class SheetPage:
    sheet: ProjectSheet
    estimate: Estimate | None
    hse_lines: list
    grant: Grant | None
    final: Bilan | None
    means_bilan: Bilan | None
    intermediate: Bilan | None
    answer: SheetEvent | None
    opinion: Opinion | None

    @property
    def bilan_is_draft(self) -> bool:
        return any(b is not None and not b.is_submitted for b in (self.final, self.means_bilan))


def sheet_page(sheet: ProjectSheet, user, rates_cache: dict | None = None) -> SheetPage:
    """What one sheet's pages show to ``user``: the bilans they may see, the last answer.
    ``sheet`` comes from ``sheets_for_pdf``."""
    visible = {b.stage: b for b in sheet.bilans.all() if rules.can_view_bilan(user, sheet, b)}
    final = visible.get(Bilan.Stage.FINAL)
    intermediate = visible.get(Bilan.Stage.INTERMEDIATE)
    # Means consumed: the final bilan once submitted, else the latest word on them.
    means_bilan = (
        final if final is not None and (final.is_submitted or not intermediate) else (intermediate)
    )
    estimate = getattr(sheet, "estimate", None)
    rates_cache = {} if rates_cache is None else rates_cache
    key = (sheet.campaign_id, sheet.department.academy_id)
    if estimate is not None and key not in rates_cache:
        rates_cache[key] = rates_for(sheet.campaign, sheet.department.academy_id)
    rates = rates_cache.get(key)
    return SheetPage(
        sheet=sheet,
        estimate=estimate,
        hse_lines=[(line, hse_figures(line, rates)) for line in estimate.hse_lines.all()]
        if estimate
        else [],
        # Amounts granted stand only while the sheet is validated (a reopening suspends them).
        grant=getattr(sheet, "grant", None) if sheet.status in GRANT_STANDS else None,
        final=final,
        means_bilan=means_bilan,
        intermediate=intermediate,
        answer=sheet.answers[0] if sheet.answers else None,
        opinion=sheet.latest_opinions[0] if sheet.latest_opinions else None,
    )


def render_pdf(
    pages: list[SheetPage], *, title: str, contents: bool = False, agenda: dict | None = None
) -> tuple[bytes, int]:
    """One PDF of the given sheets and its page count; ``contents`` adds a contents page,
    ``agenda`` (``{"title", "columns", "rows"}``) a page before it (a commission's)."""
    html = render_to_string(
        "reviews/pdf/sheets.html",
        {
            "pages": pages,
            "title": title,
            "contents": contents,
            "agenda": agenda or None,
            "rows": bilans.rows(Bilan.Stage.FINAL),
            "generated_at": timezone.localtime(),
            "font_dir": font_dir(),
        },
    )
    document = HTML(string=html, base_url=str(Path(__file__).resolve().parent)).render()
    return document.write_pdf(), len(document.pages)


def sheet_pdf(sheet: ProjectSheet, user) -> bytes:
    """``sheet`` comes from ``sheets_for_pdf``."""
    data, _pages = render_pdf([sheet_page(sheet, user)], title=sheet.title or "Fiche projet")
    return data


def bulk_pdf(sheets, user, agenda: dict | None = None) -> tuple[bytes, int]:
    """Every sheet of ``sheets`` (from ``sheets_for_pdf``), one per section, after a contents
    page (and an agenda, for a commission)."""
    cache: dict = {}
    pages = [sheet_page(sheet, user, cache) for sheet in sheets]
    return render_pdf(pages, title="Fiches projet / bilan", contents=True, agenda=agenda)
