"""In Chromium: a DSDEN reviewer filters the list, sorts it and exports it to .xlsx."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from projects.models import ProjectSheet
from tests.browser.test_review_journey import log_in

pytestmark = pytest.mark.browser


def test_dsden_filters_sorts_and_exports(live_server, demo, page, tmp_path):
    log_in(page, live_server, "dsden93@aps.test")
    page.get_by_role("link", name="Mes projets").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiches projet")

    page.get_by_label("Type d'établissement").select_option("")
    page.get_by_text("HSE", exact=True).click()  # the "Moyens demandés" checkbox
    page.get_by_role("button", name="Filtrer").click()
    expected = ProjectSheet.objects.filter(
        department__code="93", estimate__total_hse__gt=0, campaign__is_current=True
    ).exclude(status="draft")
    assert expected.count() >= 2
    expect(page.get_by_role("status")).to_contain_text(f"{expected.count()} fiche")

    page.get_by_role("link", name="HSE (trier)").click()
    page.get_by_role("link", name="HSE (trier)").click()  # again: descending
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("HSE")
    first_title = (
        page.locator("table.aps-sheet-table tbody tr").first.locator("a").first.inner_text()
    )
    assert first_title == expected.order_by("-estimate__total_hse").first().title

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (.xlsx)").click()
    path = tmp_path / "fiches.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(io.BytesIO(path.read_bytes()))["Fiches"].iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    titles = [row[header.index("Titre de l'action")] for row in rows]
    assert len(titles) == expected.count() and titles[0] == first_title
    assert all(row[header.index("Département")] == "93" for row in rows)


@pytest.mark.parametrize(("width", "open_at_first"), [(375, False), (1280, True)])
def test_filters_are_folded_on_a_phone_and_open_on_a_laptop(
    live_server, personas, demo_sheets, browser, width, open_at_first
):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="fr-FR")
    page = context.new_page()
    log_in(page, live_server, "dsden93@aps.test")
    page.goto(f"{live_server.url}/projets/?status=in_review")
    fold = page.get_by_role("button", name="Filtres (1 actif)")
    state = page.get_by_label("État")
    expect(page.get_by_label("Rechercher")).to_be_visible()  # the search is never folded
    expect(fold).to_have_attribute("aria-expanded", "true" if open_at_first else "false")
    if open_at_first:
        expect(state).to_be_visible()
    else:
        expect(state).to_be_hidden()
        fold.click()
        expect(state).to_be_visible()
    expect(state).to_have_value("in_review")
    expect(page.get_by_label("Département")).to_have_count(0)  # one département: not offered
    state.select_option("")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("button", name="Filtres", exact=True)).to_be_visible()
    context.close()
