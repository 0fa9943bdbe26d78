"""In Chromium, at 375 and 1280 px: the DSDEN's answer reached before the sheet's summary on
a phone, beside it on a wide screen; and on the MLDS home, the counts apart from the heading
under them."""

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
# The space, in px, under a block before the next heading: a paragraph's margin gives 24; the
# counts' list gave 8, the heading looked stuck to it.
BEFORE_HEADING = 16


@pytest.mark.parametrize("width", WIDTHS)
def test_the_answer_comes_before_the_sheets_summary(live_server, demo_sheets, signed_in, width):
    page = signed_in("dsden93@aps.test", width)
    page.goto(f"{live_server.url}/projets/{demo_sheets['lycee_fls'].pk}/reponse/")
    answer = page.locator("#answer-forms form").first.bounding_box()
    summary = page.locator("#sheet-summary").bounding_box()
    if width == 375:
        # Stacked: the form first, the summary under the answers.
        assert answer["y"] < summary["y"]
        assert page.locator(".fr-accordions-group").bounding_box()["y"] + 1 < summary["y"]
    else:
        # Side by side, the answer in the left column, both in the first screen.
        assert answer["x"] + answer["width"] <= summary["x"]
        assert summary["y"] < 740 and answer["y"] < 740
    # The keyboard reaches the answers before the summary's links.
    order = page.evaluate(
        """() => {
            const all = [...document.querySelectorAll('a[href], button, input, textarea')];
            const first = selector => all.findIndex(el => el.closest(selector));
            return {answer: first('#answer-forms'), summary: first('#sheet-summary')};
        }"""
    )
    assert 0 <= order["answer"] < order["summary"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_counts_stand_apart_from_the_next_heading(live_server, demo_sheets, signed_in, width):
    page = signed_in("mlds@aps.test", width)
    page.goto(f"{live_server.url}/")
    gap = page.evaluate(
        """() => {
            const counts = document.querySelector('.aps-counts');
            const heading = counts.nextElementSibling;
            return {gap: heading.getBoundingClientRect().top - counts.getBoundingClientRect().bottom,
                    text: heading.textContent.trim()};
        }"""
    )
    assert gap["text"] == "Brouillons à accompagner"
    assert gap["gap"] >= BEFORE_HEADING, gap
