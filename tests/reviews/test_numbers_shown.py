"""Numbers shown the French way outside the estimate's pages (aps.numbers): the PDF, the sheet
page's IMP beneficiaries, the dashboards, the statistics and their charts; counts grouped by
thousands; the .xlsx exports keep numbers as numbers, in French-looking formats."""

import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from aps.xlsx import COUNT_FORMAT, EUROS_FORMAT
from projects.models import Establishment
from reviews.desk.statistics import Group, Means, charts
from tests.reviews.test_pdf import pdf_text, render, user, validated  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return " ".join(text.split())  # non-breaking spaces read as spaces


def test_the_pdf_writes_means_and_imp_the_french_way(validated):  # noqa: F811
    text = flat(pdf_text(render(validated, "chef.college@aps.test")))
    assert "Mme Élise Noël : 0,5 IMP" in text
    assert "0,50" not in text and "0.5" not in text
    assert "300,00 € ; 20 HSE" in text  # the annex's totals: HSE without decimals
    assert "250,00 €" in text


def test_the_sheet_page_writes_imp_beneficiaries_the_french_way(client, validated):  # noqa: F811
    client.force_login(user("chef.college@aps.test"))
    page = client.get(validated.get_absolute_url()).content.decode()
    assert "Mme Élise Noël — 0,5\xa0IMP" in page


def test_counts_above_999_are_grouped_by_thousands():
    html = render_to_string(
        "reviews/stat_table.html",
        {"groups": [Group("93 Seine-Saint-Denis", 1234, 1000)], "caption": "", "first": ""},
    )
    assert "<td>1\xa0234</td><td>1\xa0000</td><td>81&nbsp;%</td>" in html


def test_the_charts_write_each_kind_of_means_in_its_unit():
    figures = {
        key: [] for key in ("by_department", "by_district", "by_typology", "by_state", "answers")
    }
    figures["means"] = [
        Means("Crédits (€)", Decimal("1800"), Decimal("1500.5"), "€"),
        Means("HSE", Decimal("180"), Decimal("12.5"), "HSE"),
        Means("IMP", Decimal("1"), Decimal("0.5"), "IMP"),
    ]
    figures["answers"] = [{"label": "Projet validé", "count": 1234, "share": 40}]
    drawn = charts(figures)
    texts = [bar.value_text for row in drawn["means"]["rows"] for bar in row.bars]
    assert texts == [
        "1\xa0800,00\xa0€",
        "1\xa0500,50\xa0€",
        "180\xa0HSE",
        "12,5\xa0HSE",
        "1\xa0IMP",
        "0,5\xa0IMP",
    ]
    assert "Accordé 0,5\xa0IMP" in drawn["means"]["description"]
    assert drawn["answers"]["rows"][0].bars[0].value_text == "40\xa0%"


def test_the_list_export_keeps_numbers_in_french_looking_formats(client, validated):  # noqa: F811
    Establishment.objects.filter(uai="0931610V").update(official_name="COLLEGE JACQUES PREVERT")
    client.force_login(user("dsden93@aps.test"))
    response = client.get(reverse("reviews:sheet_list_export"), {"status": "validated"})
    fiches = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"]
    header = [cell.value for cell in fiches[1]]
    row = dict(zip(header, fiches[2], strict=True))
    assert row["Euros demandés"].value == 300 and row["Euros demandés"].number_format == (
        EUROS_FORMAT
    )
    assert row["HSE accordées"].value == 20 and row["HSE accordées"].number_format == COUNT_FORMAT
    assert row["IMP accordées"].value == 0.5
    assert row["IMP accordées"].number_format == "#,##0.0#"
    assert row["Nom officiel (annuaire)"].value == "COLLEGE JACQUES PREVERT"


def test_the_statistics_export_groups_counts_and_writes_means_in_their_unit(client, validated):  # noqa: F811
    client.force_login(user("dsden93@aps.test"))
    book = load_workbook(io.BytesIO(client.get(reverse("reviews:statistics_export")).content))
    filed = book["Synthèse"]["B2"]
    assert isinstance(filed.value, int) and filed.number_format == COUNT_FORMAT
    means = {row[0].value: row for row in book["Moyens"].iter_rows(min_row=2)}
    assert means["Crédits (€)"][1].number_format == EUROS_FORMAT
    assert means["IMP"][2].value == 0.5 and means["IMP"][2].number_format == "#,##0.0#"
    assert means["HSE"][2].number_format == COUNT_FORMAT
