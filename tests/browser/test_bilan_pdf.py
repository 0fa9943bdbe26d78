"""In Chromium: the head writes and submits the final bilan of a validated sheet, then
downloads the sheet's PDF, which carries the bilan."""

import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reviews.models import Bilan
from tests.browser.test_review_journey import log_in
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.browser


def test_head_submits_the_bilan_and_downloads_the_pdf(live_server, demo, today, page, tmp_path):
    sheet = complete_sheet(state="validated")  # 20 HSE requested and granted

    log_in(page, live_server, "chef.college@aps.test")
    page.goto(f"{live_server.url}{sheet.get_absolute_url()}")
    page.get_by_role("link", name="Rédiger le bilan final").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan final")
    page.get_by_label("Bilan portant sur les objectifs de l'action").fill(
        "Objectif atteint : dix élèves sur douze ont repris pied."
    )
    page.get_by_role("button", name="Enregistrer et déposer le bilan").click()
    # Refused: the page keeps what was typed and says what is missing.
    expect(page.get_by_text("Bilan enregistré, mais incomplet")).to_be_visible()
    expect(page.get_by_label("Bilan portant sur les objectifs de l'action")).to_have_value(
        "Objectif atteint : dix élèves sur douze ont repris pied."
    )
    for label, value in [
        ("Bilan portant sur les critères d'évaluation", "Assiduité retrouvée."),
        ("Bilan portant sur le public ciblé", "Bon repérage."),
        ("Bilan portant sur les modalités organisationnelles", "Tenues."),
        ("Bilan portant sur le calendrier", "Respecté."),
        ("Nombre de jeunes réellement touchés", "10"),
        ("Nombre de personnels réellement mobilisés", "4"),
        ("Bilan concernant le travail avec les partenaires", "Mission locale présente."),
        ("Euros consommés", "0"),
        ("HSE consommées", "18,5"),
        ("IMP consommées", "0"),
        ("Bilan général", "Action réussie, à reconduire."),
    ]:
        page.get_by_label(label, exact=True).fill(value)
    page.locator("#id_pupils_gap").fill("Deux élèves ont déménagé.")
    page.locator("#id_means_gap").fill("Une séance annulée.")
    page.get_by_role("button", name="Enregistrer et déposer le bilan").click()
    expect(page.get_by_text("Bilan déposé : la DSDEN peut le consulter.")).to_be_visible()
    bilan = Bilan.objects.get(sheet=sheet, stage="final")
    assert bilan.is_submitted and bilan.consumed_hse == Decimal("18.5")

    with page.expect_download() as download:
        page.get_by_role("link", name="Fiche PDF").click()
    path = tmp_path / "fiche.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Fiche Projet / Bilan" in text
    assert "Objectif atteint : dix élèves sur douze ont repris pied." in text
    assert "HSE : 18,5" in text
