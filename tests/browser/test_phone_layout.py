"""In Chromium, what the sweep (test_every_page) cannot see: the state's badge apart from the
headings around it, and the edit page's sticky bar on one line on a phone, its buttons still
named."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_review_journey import log_in

pytestmark = pytest.mark.browser

# The gap between two boxes, in px, below which they look stuck together.
APART = 8

BOXES = """badge => {
    const box = element => element.getBoundingClientRect();
    const before = [...document.querySelectorAll('h1')].pop();
    const after = document.querySelector('#content h2, #content legend');
    return {above: box(badge).top - box(before).bottom, below: box(after).top - box(badge).bottom,
            beforeText: before.textContent.trim(), afterText: after.textContent.trim()};
}"""


@pytest.fixture
def phone_and_laptop(signed_in):
    """A browser page at each width, signed in as the collège's head."""
    return {width: signed_in("chef.college@aps.test", width) for width in (375, 1280)}


def test_the_state_badge_does_not_touch_the_headings(live_server, demo_sheets, phone_and_laptop):
    draft = demo_sheets["college_individual"]
    for width, page in phone_and_laptop.items():
        for path in (draft.get_absolute_url(), f"/projets/{draft.pk}/modifier/"):
            page.goto(f"{live_server.url}{path}")
            badge = page.locator("#content > .fr-badge")
            expect(badge).to_have_text("Brouillon")
            gaps = badge.evaluate(BOXES)
            assert gaps["above"] >= APART and gaps["below"] >= APART, (path, width, gaps)


def test_the_edit_pages_action_bar_takes_one_line_on_a_phone(
    live_server, demo_sheets, phone_and_laptop
):
    page = phone_and_laptop[375]
    page.goto(f"{live_server.url}/projets/{demo_sheets['college_individual'].pk}/modifier/")
    bar = page.locator(".aps-sticky-actions")
    buttons = [
        page.get_by_role("button", name="Enregistrer le brouillon"),
        page.get_by_role("link", name="Estimation du coût"),
        page.get_by_role("link", name="Voir la fiche"),
    ]
    tops = {round(button.bounding_box()["y"]) for button in buttons}
    assert len(tops) == 1, "les trois boutons sur une ligne"
    assert bar.bounding_box()["height"] <= 80  # of 740 px (it took 185)
    expect(buttons[0]).to_contain_text("Enregistrer le brouillon")  # the first keeps its text
    # The others show their icon alone (their text stays their name, read out).
    assert buttons[1].bounding_box()["width"] <= 48
    buttons[1].click()
    expect(page).to_have_url(
        f"{live_server.url}/projets/{demo_sheets['college_individual'].pk}/estimation/"
    )


CUT_TABLES = """() => [...document.querySelectorAll('.fr-table__container')]
    .filter(c => c.scrollWidth > c.clientWidth + 1)
    .map(c => (c.querySelector('caption') || c).textContent.trim())"""


def test_small_tables_of_figures_fit_a_phone_without_scrolling_in_their_frame(
    live_server, demo_sheets, phone_and_laptop
):
    """The envelope's figures (kinds of means as columns) and the guide's rates are read whole
    on a phone: no table of theirs scrolls inside its frame."""
    from funding.models import Envelope
    from projects.models import Campaign, Department

    Envelope.objects.get_or_create(
        campaign=Campaign.objects.get(is_current=True),
        department=Department.objects.get(code="93"),
        defaults={"euros": 60000, "hse": 4200, "imp": 30},
    )
    page = phone_and_laptop[375]
    page.goto(f"{live_server.url}/guide/moyens/")
    assert page.evaluate(CUT_TABLES) == []
    log_in(page, live_server, "dsden93@aps.test")
    page.goto(f"{live_server.url}/enveloppes/")
    expect(page.get_by_role("row", name="Reste")).to_contain_text("60\xa0000,00\xa0€")
    assert page.evaluate(CUT_TABLES) == []
