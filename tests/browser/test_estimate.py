"""A head fills an estimate in Chromium, reads the totals, downloads the workbook and reads it."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from funding.models import Estimate
from projects.models import Establishment
from tests.factories import SheetFactory

pytestmark = pytest.mark.browser


def test_head_fills_an_estimate_and_downloads_the_workbook(live_server, demo, page):
    sheet = SheetFactory(
        establishment=Establishment.objects.get(uai="0931610V"), title="Module relais"
    )
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("chef.college@aps.test")
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/projets/{sheet.pk}/estimation/")

    page.locator("#id_hse-0-activity").fill("Ateliers du module")
    page.locator("#id_hse-0-speaker").select_option("titulaire")
    page.locator("#id_hse-0-hour_kind").select_option("face")
    page.locator("#id_hse-0-weeks").fill("24")
    page.locator("#id_hse-0-hours_per_week").fill("1,5")
    page.locator("#id_hse-0-speakers").fill("2")
    page.locator("#id_imp-0-mission").select_option("coordination")
    page.locator("#id_imp-0-fraction").select_option("0.5")
    page.locator("#id_imp-0-beneficiary").fill("Mme Nadia Benhamou")
    page.locator("#id_euro-0-nature").select_option("prestataire")
    page.locator("#id_euro-0-label").fill("Compagnie de théâtre")
    page.locator("#id_euro-0-amount").fill("1800")
    page.get_by_role("button", name="Enregistrer l'estimation").click()

    totals = page.locator("#estimate-totals")
    expect(totals).to_contain_text("72 HSE")
    expect(totals).to_contain_text("0,50 IMP")
    expect(totals).to_contain_text("625,00 €")
    expect(totals).to_contain_text("1\xa0800,00 €")
    estimate = Estimate.objects.get(sheet=sheet)
    assert (estimate.total_hse, estimate.total_imp, estimate.total_euros) == (
        Decimal("72.00"),
        Decimal("0.50"),
        Decimal("1800.00"),
    )

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le classeur (.xlsx)").click()
    assert download_info.value.suggested_filename == "estimation-module-relais.xlsx"
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    hse = workbook["HSE"]
    assert [hse[f"{c}2"].value for c in "ABCDEF"] == [
        "Ateliers du module",
        "Enseignant titulaire",
        "Face-à-face pédagogique",
        24,
        1.5,
        2,
    ]
    assert hse["H2"].value.startswith('=IF(G2="",""')
    assert workbook["IMP"]["C2"].value == "Mme Nadia Benhamou"
    assert workbook["Euros"]["C2"].value == 1800
