from decimal import Decimal

from projects.models import Establishment
from tests.factories import SheetFactory, add_estimate, advance


def complete_sheet(
    *, state="draft", hse=True, euros=False, grant=None, nature="outils", label="Livres"
):
    """A complete sheet of the demo collège, with an estimate (and quotes for euros: one line
    of ``nature`` named ``label``), taken to ``state`` through the workflow (``grant``: the
    amounts a validation grants, if not all)."""
    sheet = SheetFactory(
        establishment=Establishment.objects.get(uai="0931610V"), complete=True, estimate=False
    )
    lines = {}
    if hse:
        lines["hse"] = [
            {
                "activity": "Atelier",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": 10,
                "hours_per_week": Decimal("2"),
                "speakers": 1,
            }
        ]
    if euros:
        from projects.models import Attachment

        quote = Attachment.objects.create(
            sheet=sheet,
            kind="quote",
            original_name="devis.pdf",
            content_type="application/pdf",
            size=3,
            uploaded_by=sheet.created_by,
            file="attachments/q.pdf",
        )
        lines["euro"] = [
            {"nature": nature, "label": label, "amount": Decimal("300"), "quote": quote}
        ]
    add_estimate(sheet, **lines)
    return sheet if state == "draft" else advance(sheet, state, **(grant or {}))
