"""The GPDS's association to the project on the sheet page and in the export (the PDF:
tests/reviews/test_pdf.py; the checklist: tests/projects/test_sections.py)."""

import html
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import SheetFactory

pytestmark = pytest.mark.django_db


def test_the_sheet_page_and_the_export_say_whether_the_gpds_was_consulted(client, personas):
    sheet = SheetFactory(establishment=personas.college, submitted=True)
    client.force_login(personas.dsden93)
    page = html.unescape(client.get(sheet.get_absolute_url()).content.decode())
    assert "Association du GPDS" in page and "Oui, consulté le 11 avril 2024" in page
    response = client.get(reverse("reviews:sheet_list_export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"].iter_rows(
            values_only=True
        )
    )
    header = rows[0]
    values = dict(zip(header, rows[1], strict=True))
    assert values["GPDS associé"] == "Oui"
    assert values["Consultation du GPDS"].date().isoformat() == "2024-04-11"
