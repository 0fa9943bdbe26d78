"""Bulk PDF exports for the DSDEN commission: asked from the list of sheets, built by a
background task (the "exports" task backend), offered for download when ready."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from projects.models import Membership, ProjectSheet
from reviews.workflow.services import ReviewError

from . import pdf
from .models import BulkExport
from .rules import can_export

logger = logging.getLogger(__name__)

MAX_SHEETS = 1000
# A pending export older than this is most likely not being built (no worker running).
STALLED_AFTER = datetime.timedelta(minutes=10)
R = Membership.Role


def request_bulk_pdf(*, user, sheets, description: str, agenda: dict | None = None) -> BulkExport:
    """``sheets``: a queryset already narrowed to the user and filtered, in the list's order;
    ``agenda``: a page printed first (a commission's)."""
    if not can_export(user):
        raise ReviewError("Seules la DSDEN et l'académie exportent des fiches en nombre.")
    ids = list(sheets.values_list("pk", flat=True)[: MAX_SHEETS + 1])
    if not ids:
        raise ReviewError("Aucune fiche ne correspond à ces filtres : rien à exporter.")
    if len(ids) > MAX_SHEETS:
        raise ReviewError(
            f"Plus de {MAX_SHEETS} fiches correspondent à ces filtres : "
            "affinez la sélection (département, état…) avant d'exporter."
        )
    export = BulkExport.objects.create(
        requested_by=user, sheet_ids=ids, description=description[:500], agenda=agenda or {}
    )
    transaction.on_commit(lambda: build_bulk_pdf.enqueue(export.pk))
    return export


@task(backend="exports")
def build_bulk_pdf(export_pk: int) -> int:
    """Write the PDF of an export's sheets; returns its page count."""
    export = BulkExport.objects.select_related("requested_by").get(pk=export_pk)
    order = {pk: index for index, pk in enumerate(export.sheet_ids)}
    try:
        sheets = sorted(
            pdf.sheets_for_pdf(ProjectSheet.objects.filter(pk__in=export.sheet_ids)),
            key=lambda sheet: order[sheet.pk],
        )
        data, pages = pdf.bulk_pdf(sheets, export.requested_by, export.agenda)
        export.file.save("fiches.pdf", ContentFile(data), save=False)
    except Exception:
        logger.exception("Bulk PDF %s failed", export_pk)
        export.state, export.finished_at = BulkExport.State.FAILED, timezone.now()
        export.save(update_fields=["state", "finished_at"])
        raise
    export.state, export.page_count = BulkExport.State.READY, pages
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "state", "page_count", "finished_at"])
    return pages


def is_stalled(export: BulkExport) -> bool:
    return (
        export.state == BulkExport.State.PENDING
        and timezone.now() - export.created_at > STALLED_AFTER
    )
