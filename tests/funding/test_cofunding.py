"""Other funding mobilised by an action (the vadémécum's "cofinancements"): on the estimate
page, saved with it, read-only once filed, in the PDF and the export."""

import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import Cofunding
from projects.models import ProjectSheet
from reviews.documents import pdf
from tests.factories import SheetFactory, advance
from tests.funding.test_estimate_views import management
from tests.reviews.conftest import complete_sheet
from tests.reviews.test_pdf import pdf_text

pytestmark = pytest.mark.django_db

ROWS = {
    **management("hse", 0),
    **management("imp", 0),
    **management("euro", 0),
    **management("cofunding", 2),
    "cofunding-0-source": "politique_ville",
    "cofunding-0-detail": "Contrat de ville de Noisy-le-Sec",
    "cofunding-0-euros": "1 500,00",
    "cofunding-0-standing": "obtenu",
    "cofunding-1-source": "etablissement",
    "cofunding-1-hours": "12,5",
    "cofunding-1-standing": "demande",
}


def test_the_team_declares_other_funding_with_its_estimate(client, personas):
    sheet = SheetFactory(establishment=personas.college)
    client.force_login(personas.college_staff)
    url = reverse("funding:estimate", args=[sheet.pk])
    assert "Cofinancements" in client.get(url).content.decode()
    done = client.post(url, ROWS, follow=True)
    assert "Estimation enregistrée" in html.unescape(done.content.decode())
    rows = list(sheet.cofundings.values_list("source", "detail", "euros", "hours", "standing"))
    assert rows == [
        ("politique_ville", "Contrat de ville de Noisy-le-Sec", Decimal("1500.00"), None, "obtenu"),
        ("etablissement", "", None, Decimal("12.50"), "demande"),
    ]
    again = client.get(url).content.decode()
    assert 'value="Contrat de ville de Noisy-le-Sec"' in again


def test_a_cofunding_without_amount_nor_hours_is_refused_and_kept(client, personas):
    sheet = SheetFactory(establishment=personas.college)
    client.force_login(personas.college_staff)
    data = {**ROWS, "cofunding-0-euros": "", "cofunding-0-detail": "Région, appel à projets"}
    page = html.unescape(
        client.post(reverse("funding:estimate", args=[sheet.pk]), data).content.decode()
    )
    assert "Indiquez un montant en euros ou un nombre d'heures." in page
    assert 'value="Région, appel à projets"' in page
    assert not Cofunding.objects.exists()


def test_filed_sheets_show_their_cofunding_read_only_in_the_pdf_and_export(client, personas):
    sheet = complete_sheet()
    Cofunding.objects.create(
        sheet=sheet,
        position=1,
        source="region",
        detail="Lycées en action",
        euros=Decimal("800"),
        standing="obtenu",
    )
    sheet = advance(sheet, "in_review")
    client.force_login(personas.college_head)
    page = html.unescape(client.get(reverse("funding:estimate", args=[sheet.pk])).content.decode())
    assert "Lycées en action" in page and "800,00" in page
    refused = client.post(reverse("funding:estimate", args=[sheet.pk]), ROWS)
    assert refused.status_code == 403
    assert sheet.cofundings.count() == 1
    found = pdf.sheets_for_pdf(ProjectSheet.objects.filter(pk=sheet.pk)).get()
    flat = " ".join(pdf_text(pdf.sheet_pdf(found, personas.dsden93)).split())
    assert "Cofinancements" in flat and "Région" in flat and "Lycées en action" in flat
    client.force_login(personas.dsden93)
    response = client.get(reverse("reviews:sheet_list_export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"].iter_rows(
            values_only=True
        )
    )
    obtained = rows[0].index("Cofinancements obtenus (€)")
    assert [row[obtained] for row in rows[1:]] == [800]
