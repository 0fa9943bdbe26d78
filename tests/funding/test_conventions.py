"""A service provider's convention, voted by the conseil d'administration: its date in the
estimate, or "convention à voter", then asked on the bilan before it is submitted."""

import datetime
import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import EuroLine
from reviews.bilans.models import Bilan
from reviews.documents import pdf
from tests.factories import SheetFactory
from tests.funding.test_estimate_views import management
from tests.reviews.conftest import complete_sheet
from tests.reviews.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

FINAL = {
    "objectives": "Atteints.",
    "criteria": "Mesurés.",
    "public": "Ciblé.",
    "organisation": "Tenue.",
    "calendar": "Tenu.",
    "pupils_reached": "12",
    "staff_mobilised": "4",
    "partners": "Présents.",
    "consumed_euros": "300",
    "consumed_hse": "20",
    "consumed_imp": "0",
    "general": "À reconduire.",
}


@pytest.fixture
def provider_sheet(personas):
    """A validated sheet of the collège paying a theatre company, convention not voted."""
    return complete_sheet(
        state="validated", euros=True, nature="prestataire", label="Compagnie de théâtre"
    )


def test_the_estimate_form_keeps_the_vote_of_a_provider_only(client, personas):
    sheet = SheetFactory(establishment=personas.college)
    client.force_login(personas.college_staff)
    data = {
        **management("hse", 0),
        **management("imp", 0),
        **management("euro", 2),
        "euro-0-nature": "prestataire",
        "euro-0-label": "Compagnie de théâtre",
        "euro-0-amount": "1 800,00",
        "euro-0-ca_voted_on": "2024-05-21",
        "euro-1-nature": "outils",
        "euro-1-label": "Livres",
        "euro-1-amount": "120",
        "euro-1-ca_voted_on": "2024-05-21",
    }
    client.post(reverse("funding:estimate", args=[sheet.pk]), data)
    lines = {line.label: line for line in EuroLine.objects.filter(estimate__sheet=sheet)}
    assert lines["Compagnie de théâtre"].ca_voted_on == datetime.date(2024, 5, 21)
    assert lines["Livres"].ca_voted_on is None  # no convention for tools
    page = client.get(reverse("funding:estimate", args=[sheet.pk])).content.decode()
    assert 'value="2024-05-21"' in page


def test_the_bilan_asks_for_the_vote_then_is_submitted(client, personas, provider_sheet, today):
    today(datetime.date(2025, 6, 20))
    url = reverse("reviews:bilan", kwargs={"pk": provider_sheet.pk, "stage": "final"})
    client.force_login(personas.college_head)
    page = html.unescape(client.get(url).content.decode())
    assert "Conventions des prestataires" in page
    line = EuroLine.objects.get(estimate__sheet=provider_sheet)
    field = f"vote_{line.pk}"
    refused = client.post(url, {**FINAL, "action": "submit"})
    text = html.unescape(refused.content.decode())
    assert "Indiquez la date du vote de la convention « Compagnie de théâtre »" in text
    assert not Bilan.objects.filter(sheet=provider_sheet, submitted_at__isnull=False).exists()
    done = client.post(url, {**FINAL, field: "2024-09-12", "action": "submit"}, follow=True)
    assert "Bilan déposé" in html.unescape(done.content.decode())
    line.refresh_from_db()
    assert line.ca_voted_on == datetime.date(2024, 9, 12)


def test_the_pdf_and_the_export_say_the_convention_to_vote(client, personas, provider_sheet):
    found = pdf.sheets_for_pdf(type(provider_sheet).objects.filter(pk=provider_sheet.pk)).get()
    flat = " ".join(pdf_text(pdf.sheet_pdf(found, personas.dsden93)).split())
    assert "Convention (CA)" in flat and "à voter" in flat
    client.force_login(personas.dsden93)
    response = client.get(reverse("reviews:sheet_list_export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"].iter_rows(
            values_only=True
        )
    )
    column = rows[0].index("Conventions à voter (CA)")
    assert [row[column] for row in rows[1:]] == [1]
    EuroLine.objects.filter(estimate__sheet=provider_sheet).update(
        ca_voted_on=datetime.date(2024, 9, 12)
    )
    found = pdf.sheets_for_pdf(type(provider_sheet).objects.filter(pk=provider_sheet.pk)).get()
    flat = " ".join(pdf_text(pdf.sheet_pdf(found, personas.dsden93)).split())
    assert "votée le 12/09/2024" in flat
