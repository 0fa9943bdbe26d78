"""Demo means: rates, département envelopes, an estimate for every demo sheet with content,
quotes for the euro lines of filed sheets (the grants come with the demo answers)."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from funding.estimate import compute_totals, stored_totals
from funding.models import Envelope, Estimate, EuroLine, HseLine, ImpLine
from funding.services import rates_for
from projects.models import Attachment, Campaign, Department, ProjectSheet

D = Decimal
# Estimate lines by typology: (HSE lines, IMP lines, euro lines).
LINES = {
    "module_relais": (
        [
            ("Ateliers du module relais", "titulaire", "face", 24, D("4"), 2),
            ("Coordination et suivi des élèves", "titulaire", "peripherique", 24, D("1"), 1),
        ],
        [("coordination", D("0.5"), "Mme Nadia Benhamou")],
        [("prestataire", "Ateliers d'expression théâtrale (compagnie du quartier)", D("1800.00"))],
    ),
    "parcours_individualise": (
        [("Tutorat individuel", "titulaire", "peripherique", 30, D("3"), 6)],
        [("coordination", D("0.25"), "M. Olivier Garnier")],
        [],
    ),
    "module_fls": (
        [("Atelier de français langue seconde", "titulaire", "face", 28, D("3"), 1)],
        [],
        [("outils", "Ouvrages et imagiers FLS", D("420.50"))],
    ),
    "familles": (
        [("Animation des rencontres", "titulaire", "peripherique", 9, D("3"), 2)],
        [("coordination", D("0.25"), "Mme Sophie Marchand")],
        [("prestataire", "Interprétariat (association de médiation)", D("960.00"))],
    ),
    "pafi": (
        [("Référence des élèves en parcours", "titulaire", "peripherique", 26, D("2"), 2)],
        [("tutorat", D("0.5"), "M. Karim Haddad"), ("tutorat", D("0.5"), "Mme Julie Roux")],
        [],
    ),
    "autre": (
        [("Accompagnement des immersions", "contractuel", "face", 8, D("3"), 2)],
        [],
        [("autre", "Transports pour les journées d'immersion", D("350.00"))],
    ),
}
ENVELOPES = {
    "77": (D("45000"), D("3200"), D("24")),
    "93": (D("60000"), D("4200"), D("30")),
    "94": (D("50000"), D("3600"), D("26")),
}


def _demo_quote_pdf(label: str) -> bytes:
    text = f"Devis - {label}".encode("latin-1", "replace")[:80]
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% "
        + text
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


@transaction.atomic
def seed_funding() -> None:
    for campaign in Campaign.objects.all():
        rates_for(campaign)
        for department in Department.objects.all():
            euros, hse, imp = ENVELOPES.get(department.code, (D("0"), D("0"), D("0")))
            Envelope.objects.get_or_create(
                campaign=campaign,
                department=department,
                defaults={"euros": euros, "hse": hse, "imp": imp},
            )
    sheets = ProjectSheet.objects.filter(estimate__isnull=True).exclude(typology="")
    for sheet in sheets.select_related("campaign"):
        _seed_estimate(sheet)


def _seed_estimate(sheet: ProjectSheet) -> None:
    hse, imp, euro = LINES.get(sheet.typology, LINES["autre"])
    if sheet.typology == "pafi_tdo":
        hse, imp, euro = LINES["pafi"]
    rates = rates_for(sheet.campaign)
    estimate = Estimate.objects.create(sheet=sheet, updated_by=sheet.created_by)
    hse_rows = [
        dict(
            zip(
                ("activity", "speaker", "hour_kind", "weeks", "hours_per_week", "speakers"),
                line,
                strict=True,
            )
        )
        for line in hse
    ]
    imp_rows = [
        dict(zip(("mission", "fraction", "beneficiary"), line, strict=True)) for line in imp
    ]
    euro_rows = [dict(zip(("nature", "label", "amount"), line, strict=True)) for line in euro]
    filed = sheet.status != ProjectSheet.Status.DRAFT
    for position, row in enumerate(hse_rows, start=1):
        HseLine.objects.create(estimate=estimate, position=position, **row)
    for position, row in enumerate(imp_rows, start=1):
        ImpLine.objects.create(estimate=estimate, position=position, **row)
    for position, row in enumerate(euro_rows, start=1):
        quote = None
        if filed:  # filed sheets carry their quotes; some drafts still lack theirs
            quote = Attachment(
                sheet=sheet,
                kind=Attachment.Kind.QUOTE,
                original_name=f"devis-{position}.pdf",
                content_type="application/pdf",
                uploaded_by=sheet.created_by,
            )
            content = _demo_quote_pdf(row["label"])
            quote.size = len(content)
            quote.file.save(f"devis-{position}.pdf", ContentFile(content), save=True)
        EuroLine.objects.create(estimate=estimate, position=position, quote=quote, **row)
    totals = compute_totals(hse_rows, imp_rows, euro_rows, rates)
    for name, value in stored_totals(totals).items():
        setattr(estimate, name, value)
    estimate.save()
