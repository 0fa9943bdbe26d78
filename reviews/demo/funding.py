"""Demo means: rates, département envelopes, an estimate for every demo sheet with content,
quotes for the euro lines of sheets to be filed (the grants come with the demo answers)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from funding.models import Envelope
from funding.services import EstimateLines, estimate_write, rates_for, sheet_rates
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


def seed_rates_and_envelopes() -> None:
    """Each campaign's rates and each département's envelope (idempotent)."""
    for campaign in Campaign.objects.all():
        rates_for(campaign)
        for department in Department.objects.all():
            euros, hse, imp = ENVELOPES.get(department.code, (D("0"), D("0"), D("0")))
            Envelope.objects.get_or_create(
                campaign=campaign,
                department=department,
                defaults={"euros": euros, "hse": hse, "imp": imp},
            )


def seed_estimate(sheet: ProjectSheet, *, with_quotes: bool) -> None:
    """The estimate of a demo sheet, by its typology; ``with_quotes``: its euro lines carry
    their quotes (a sheet to be filed; some drafts still lack theirs)."""
    hse, imp, euro = LINES.get(sheet.typology, LINES["autre"])
    if sheet.typology == "pafi_tdo":
        hse, imp, euro = LINES["pafi"]
    fields = ("activity", "speaker", "hour_kind", "weeks", "hours_per_week", "speakers")
    euro_rows = []
    for position, line in enumerate(euro, start=1):
        row = dict(zip(("nature", "label", "amount"), line, strict=True))
        if with_quotes and row["nature"] == "prestataire":
            # The conseil d'administration voted the convention before the filing.
            first_year = int(sheet.campaign.school_year[:4])
            row["ca_voted_on"] = datetime.date(first_year, 5, 16)
        if with_quotes:
            content = _demo_quote_pdf(row["label"])
            quote = Attachment(
                sheet=sheet,
                kind=Attachment.Kind.QUOTE,
                original_name=f"devis-{position}.pdf",
                content_type="application/pdf",
                uploaded_by=sheet.created_by,
                size=len(content),
            )
            quote.file.save(f"devis-{position}.pdf", ContentFile(content), save=True)
            row["quote"] = quote
        euro_rows.append(row)
    lines = EstimateLines(
        hse=[dict(zip(fields, line, strict=True)) for line in hse],
        imp=[dict(zip(("mission", "fraction", "beneficiary"), line, strict=True)) for line in imp],
        euro=euro_rows,
    )
    estimate_write(sheet=sheet, by=sheet.created_by, lines=lines, rates=sheet_rates(sheet))
