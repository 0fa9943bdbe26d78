"""Downloads of the official PDF: one sheet, or a bulk export once built."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from aps.permissions import deny_unless
from projects.rules import sheets_visible_to

from . import exports, pdf, receipt
from .models import BulkExport
from .rules import can_export


def sheet_pdf(request, pk):
    """The official "Fiche Projet / Bilan" of a sheet, for everyone who can see the sheet."""
    sheet = get_object_or_404(pdf.sheets_for_pdf(sheets_visible_to(request.user)), pk=pk)
    response = HttpResponse(pdf.sheet_pdf(sheet, request.user), content_type="application/pdf")
    name = slugify(f"fiche-projet-{sheet.campaign.school_year}-{sheet.title}")[:80] or "fiche"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def receipt_pdf(request, pk):
    """The receipt of a submission, for everyone who can see the sheet once it is submitted
    (a draft, or a sheet outside one's scope, has none: 404)."""
    sheet = get_object_or_404(receipt.submitted_sheets(sheets_visible_to(request.user)), pk=pk)
    response = HttpResponse(receipt.receipt_pdf(sheet), content_type="application/pdf")
    name = slugify(f"accuse-de-depot-{sheet.campaign.school_year}-{sheet.title}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name or "accuse-de-depot"}.pdf"'
    return response


def bulk_export(request, pk):
    """Where the requester waits for a bulk PDF (the page reloads itself while pending)."""
    export = get_object_or_404(BulkExport.objects.filter(requested_by=request.user), pk=pk)
    return render(
        request,
        "reviews/bulk_export.html",
        {
            "export": export,
            "stalled": exports.is_stalled(export),
            "recent": BulkExport.objects.filter(requested_by=request.user).exclude(pk=pk)[:5],
        },
    )


def bulk_export_download(request, pk):
    deny_unless(can_export(request.user))
    export = get_object_or_404(
        BulkExport.objects.filter(requested_by=request.user, state=BulkExport.State.READY), pk=pk
    )
    stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"fiches-projet-{stamp}.pdf",
        content_type="application/pdf",
    )
