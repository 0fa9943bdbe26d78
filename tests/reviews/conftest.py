from decimal import Decimal

from projects.models import Establishment
from tests.factories import SheetFactory, add_estimate, advance


def complete_sheet(
    *,
    state="draft",
    hse=True,
    euros=False,
    grant=None,
    nature="outils",
    label="Livres",
    amount=Decimal("300"),
    voted_on=None,
    establishment=None,
    **fields,
):
    """A complete sheet of the demo collège (or of ``establishment``, with ``fields``), with
    an estimate (and quotes for euros: one line of ``nature`` named ``label``, of ``amount``;
    a provider's convention voted on ``voted_on``), taken to ``state`` through the workflow (``grant``: the
    amounts a validation grants, if not all)."""
    sheet = SheetFactory(
        establishment=establishment or Establishment.objects.get(uai="0931610V"),
        complete=True,
        estimate=False,
        **fields,
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
        line = {"nature": nature, "label": label, "amount": amount, "quote": quote}
        if voted_on:  # a provider's convention voted by the conseil d'administration
            line["ca_voted_on"] = voted_on
        lines["euro"] = [line]
    add_estimate(sheet, **lines)
    return sheet if state == "draft" else advance(sheet, state, **(grant or {}))
