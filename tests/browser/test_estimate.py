"""A head fills an estimate in Chromium, reads the totals, downloads the workbook and reads it."""

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from funding.estimate import hse_figures, imp_euros
from funding.models import Estimate
from projects.models import Establishment
from tests.browser.test_review_journey import log_in
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
    expect(totals).to_contain_text("0,5\xa0IMP")
    expect(totals).to_contain_text("625,00\xa0€")
    expect(totals).to_contain_text("1\xa0800,00\xa0€")
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


NBSP = "\xa0"


@pytest.fixture(params=[1280, 375], ids=["1280px", "375px"])
def head_page(request, browser, live_server, demo):
    """The collège's head in Chromium at each width, on the estimate of a new sheet."""
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Relais")
    context = browser.new_context(viewport={"width": request.param, "height": 800}, locale="fr-FR")
    page = context.new_page()
    log_in(page, live_server, "chef.college@aps.test")
    page.goto(f"{live_server.url}/projets/{sheet.pk}/estimation/")
    yield page, sheet
    context.close()


def fill_hse(page, index, activity, kind, weeks, per_week, speakers):
    page.locator(f"#id_hse-{index}-activity").fill(activity)
    page.locator(f"#id_hse-{index}-speaker").select_option("titulaire")
    page.locator(f"#id_hse-{index}-hour_kind").select_option(kind)
    page.locator(f"#id_hse-{index}-weeks").fill(weeks)
    page.locator(f"#id_hse-{index}-hours_per_week").fill(per_week)
    page.locator(f"#id_hse-{index}-speakers").fill(speakers)


def total(page, name):
    return page.locator(f'#estimate-totals [data-total="{name}"]')


def test_lines_are_added_and_removed_in_place_and_the_totals_follow_the_typing(head_page):
    page, sheet = head_page
    fill_hse(page, 0, "Tutorat", "peripherique", "3", "1,25", "1")
    # 3 × 1,25 h = 3,75 h périphériques ÷ 2 = 1,875 → 1,88 HSE ≈ 75,20 €
    expect(page.locator("#hse-1 [data-result]")).to_have_text(
        f"3,75{NBSP}h · 1,88{NBSP}HSE · ≈{NBSP}75,20{NBSP}€"
    )
    expect(total(page, "hse")).to_have_text(f"1,88{NBSP}HSE")

    page.get_by_role("button", name="Ajouter une ligne HSE").click()
    expect(page.locator("#id_hse-1-activity")).to_be_focused()
    expect(page.locator("#id_hse-1-speakers")).to_have_value("1")
    fill_hse(page, 1, "Ateliers", "face", "24", "1,5", "2")
    expect(page.locator("#hse-2 [data-result]")).to_have_text(
        f"72{NBSP}h · 72{NBSP}HSE · ≈{NBSP}2{NBSP}880,00{NBSP}€"
    )
    expect(total(page, "hse")).to_have_text(f"73,88{NBSP}HSE")
    expect(total(page, "hours")).to_have_text(f"75,75{NBSP}h")

    page.locator("#id_imp-0-mission").select_option("coordination")
    page.locator("#id_imp-0-fraction").select_option("0.5")
    page.locator("#id_imp-0-beneficiary").fill("Mme Benhamou")
    expect(page.locator("#imp-1 [data-result]")).to_have_text(f"625,00{NBSP}€")
    page.locator("#id_euro-0-nature").select_option("prestataire")
    page.locator("#id_euro-0-label").fill("Compagnie de théâtre")
    page.locator("#id_euro-0-amount").fill("1 800,00 €")
    expect(total(page, "euros")).to_have_text(f"1{NBSP}800,00{NBSP}€")
    # A figure being typed wrong is not counted, and the page says a line is incomplete.
    page.get_by_role("button", name="Ajouter une ligne en euros").click()
    page.locator("#id_euro-1-nature").select_option("outils")
    page.locator("#id_euro-1-amount").fill("12O")
    expect(total(page, "euros")).to_have_text(f"1{NBSP}800,00{NBSP}€")
    expect(page.locator("#totals-state")).to_contain_text("1 ligne incomplète n'est pas comptée")
    page.get_by_role("button", name="Supprimer la ligne 2").nth(1).click()  # the euro line 2
    expect(page.locator("#totals-state")).not_to_contain_text("incomplète")

    page.get_by_role("button", name="Supprimer la ligne 1").first.click()  # the HSE line 1
    expect(page.locator("#hse-1")).to_be_hidden()
    expect(page.locator("#totals-state")).to_contain_text("Ligne 1 supprimée")
    expect(total(page, "hse")).to_have_text(f"72{NBSP}HSE")
    expect(total(page, "overall")).to_have_text(f"5{NBSP}305,00{NBSP}€")
    shown = page.locator("#estimate-totals").inner_text()

    page.get_by_role("button", name="Enregistrer l'estimation").click()
    expect(page.get_by_text("Estimation enregistrée")).to_be_visible()
    estimate = Estimate.objects.get(sheet=sheet)
    assert [line.activity for line in estimate.hse_lines.all()] == ["Ateliers"]
    assert estimate.euro_lines.count() == 1
    assert (estimate.total_hse, estimate.total_imp, estimate.total_euros) == (
        Decimal("72.00"),
        Decimal("0.50"),
        Decimal("1800.00"),
    )
    # The server's totals, shown after the save, are the ones the page computed.
    assert page.locator("#estimate-totals").inner_text() == shown
    expect(page.locator("#hse-1 [data-result]")).to_have_text(
        f"72{NBSP}h · 72{NBSP}HSE · ≈{NBSP}2{NBSP}880,00{NBSP}€"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_page_computes_by_the_servers_rules(head_page):
    """The figures the page shows while typing come from the same rules as the server's, on
    rates chosen to round: every case of a grid gives the same hundredths on both sides."""
    page, _sheet = head_page
    rates = SimpleNamespace(
        face_to_face_hours_per_hse=Decimal("1.5"),
        peripheral_hours_per_hse=Decimal("2.25"),
        hse_euro_rate=Decimal("41.37"),
        imp_annual_base=Decimal("1249.99"),
    )
    in_hundredths = {
        "face": 150,
        "peripheral": 225,
        "hseRate": 4137,
        "impBase": 124999,
    }
    cases = [
        {"weeks": w, "hours_per_week": h, "speakers": s, "hour_kind": k}
        for w in ("1", "7", "52")
        for h in ("0,25", "1,33", "2,5", "7,77", "60")
        for s in ("1", "3", "50")
        for k in ("face", "peripherique")
    ]
    shown = page.evaluate(
        "([cases, rates]) => cases.map(c => window.apsEstimate.hseFigures(c, rates))",
        [cases, in_hundredths],
    )
    for case, figures in zip(cases, shown, strict=True):
        server = hse_figures(
            {**case, "hours_per_week": Decimal(case["hours_per_week"].replace(",", "."))}, rates
        )
        assert figures == {
            "hours": int(server.hours * 100),
            "hse": int(server.hse * 100),
            "euros": int(server.euros * 100),
        }, case
    fractions = ["0.25", "0.5", "1", "2", "3"]
    imp = page.evaluate(
        "([fractions, rates]) => fractions.map(f => window.apsEstimate.impEuros(f, rates))",
        [fractions, in_hundredths],
    )
    assert imp == [int(imp_euros(Decimal(f), rates) * 100) for f in fractions]
    # What the server refuses, the page does not count.
    refused = page.evaluate(
        """() => [
            window.apsEstimate.hseFigures({weeks: "0", hours_per_week: "1", speakers: "1", hour_kind: "face"}, {face: 100}),
            window.apsEstimate.hseFigures({weeks: "2,5", hours_per_week: "1", speakers: "1", hour_kind: "face"}, {face: 100}),
            window.apsEstimate.hseFigures({weeks: "2", hours_per_week: "1,255", speakers: "1", hour_kind: "face"}, {face: 100}),
            window.apsEstimate.euroAmount("1 8 00"), window.apsEstimate.euroAmount("douze"),
            window.apsEstimate.euroAmount("1 000 000,01"), window.apsEstimate.euroAmount("1 000 000,00 €"),
        ]"""
    )
    assert refused == [None, None, None, None, None, None, 100_000_000]


def test_without_javascript_a_blank_row_and_a_box_per_row_do_the_same(browser, live_server, demo):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Relais")
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    log_in(page, live_server, "chef.college@aps.test")
    page.goto(f"{live_server.url}/projets/{sheet.pk}/estimation/")
    expect(page.get_by_role("button", name="Ajouter une ligne HSE")).to_be_hidden()
    expect(
        page.get_by_text("Une ligne vide de plus apparaît après chaque enregistrement.")
    ).to_be_visible()
    fill_hse(page, 0, "Ateliers", "face", "24", "1,5", "2")
    page.get_by_role("button", name="Enregistrer l'estimation").click()
    expect(page.locator("#hse-1 [data-result]")).to_have_text(
        f"72{NBSP}h · 72{NBSP}HSE · ≈{NBSP}2{NBSP}880,00{NBSP}€"
    )
    fill_hse(page, 1, "Tutorat", "peripherique", "10", "1", "1")
    box = page.get_by_label("Supprimer la ligne 1").first
    box.evaluate("box => box.scrollIntoView({block: 'center'})")  # above the sticky bar
    page.locator("label[for=id_hse-0-DELETE]").click()
    expect(box).to_be_checked()
    page.get_by_role("button", name="Enregistrer l'estimation").click()
    estimate = Estimate.objects.get(sheet=sheet)
    assert [line.activity for line in estimate.hse_lines.all()] == ["Tutorat"]
    assert estimate.total_hse == Decimal("5.00")
    context.close()
