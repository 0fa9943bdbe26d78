"""The receipt of a submission ("accusé de dépôt", PDF by WeasyPrint): the sheet, its
carrier, the date and time of its submission, the means requested then, what comes next and
the reference number (``reviews.workflow.submission.receipt_reference``)."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from projects.campaigns import sheet_calendar
from projects.models import ProjectSheet
from reviews.workflow import submission
from reviews.workflow.models import SheetEvent
from reviews.workflow.table import AWAITING_OPINION

from .pdf import font_dir


def submitted_sheets(queryset):
    """The sheets of ``queryset`` that have been submitted (a draft has no receipt), with what
    the receipt reads."""
    return queryset.filter(submitted_at__isnull=False).select_related(
        "campaign", "department", "establishment", "network__lead_establishment"
    )


def receipt_pdf(sheet: ProjectSheet) -> bytes:
    """``sheet`` comes from ``submitted_sheets``."""
    event = (
        SheetEvent.objects.filter(sheet=sheet, transition="submit")
        .select_related("actor")
        .order_by("created_at", "pk")
        .first()
    )
    means = submission.submitted_means(sheet, event.details if event else None)
    html = render_to_string(
        "reviews/pdf/receipt.html",
        {
            "sheet": sheet,
            "event": event,
            "reference": submission.receipt_reference(sheet),
            "means": means,
            "deadlines": submission.deadlines(sheet_calendar(sheet), means),
            "awaited_opinion": event is not None and event.to_status in AWAITING_OPINION,
            "generated_at": timezone.localtime(),
            "font_dir": font_dir(),
        },
    )
    return HTML(string=html, base_url=str(Path(__file__).resolve().parent)).write_pdf()
