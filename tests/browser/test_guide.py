"""The guide in Chromium: its side menu on a phone, the help link of a form's section opening
the guide at that section, and its pages walked with the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import SheetFactory

pytestmark = pytest.mark.browser


def test_guide_side_menu_unfolds_on_a_phone_without_sideways_scrolling(live_server, personas, page):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + reverse("reviews:guide"))
    menu_link = page.get_by_role("link", name="HSE, IMP et crédits en euros", exact=True)
    expect(menu_link.first).to_be_visible()  # the guide's own list of pages
    side_link = page.locator(".fr-sidemenu").get_by_role(
        "link", name="HSE, IMP et crédits en euros"
    )
    expect(side_link).to_be_hidden()
    page.get_by_role("button", name="Pages du guide").click()
    side_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HSE, IMP et crédits en euros")
    expect(page.get_by_role("cell", name="1 h = 1 HSE")).to_be_visible()
    for url_name in ("guide_means", "guide_sections", "personal_data", "accessibility"):
        page.goto(live_server.url + reverse(f"reviews:{url_name}"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url_name


def test_a_sections_help_link_opens_the_guide_at_that_section(live_server, personas, page):
    sheet = SheetFactory(establishment=personas.college, created_by=personas.college_staff)
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("staff.college@aps.test")
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + reverse("projects:sheet_edit", args=[sheet.pk]))
    help_link = page.locator("#section-public").get_by_role(
        "link", name="Aide : que mettre dans cette rubrique ?"
    )
    with page.context.expect_page() as opened:
        help_link.click()
    guide = opened.value
    guide.wait_for_load_state()
    assert guide.url.endswith(reverse("reviews:guide_sections") + "#rubrique-public")
    expect(
        guide.get_by_role("heading", name="Public ciblé et moyens de repérage")
    ).to_be_in_viewport()
    expect(page.locator("#id_title")).to_be_visible()  # the form stays open behind


def test_guide_is_walked_with_the_keyboard(live_server, personas, page):
    page.goto(live_server.url + reverse("reviews:guide_filing"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Contenu")).to_be_focused()
    page.keyboard.press("Enter")
    # From the content, the next stops are the page's own: its breadcrumb, menu and summary.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    summary_link = page.locator(".fr-summary").get_by_role("link", name="Les dates limites")
    summary_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Les dates limites")).to_be_in_viewport()
    assert page.url.endswith("#dates-limites")
