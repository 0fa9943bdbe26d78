"""In Chromium, the statistics page as one reads it: on a phone its charts' text at a
readable size and no sideways scrolling; on a laptop the bars' labels written whole; the
campaign's button in line with its select; the tables' figures aligned right."""

import pytest

pytestmark = pytest.mark.browser

PAGE = "/statistiques/"
# The smallest text size, in px, read without zooming on a phone.
READABLE = 12

CHART_TEXTS = """() => [...document.querySelectorAll('.aps-chart__label, .aps-chart__text')]
    .map(element => ({text: element.textContent.trim(),
                      size: parseFloat(getComputedStyle(element).fontSize),
                      height: element.getBoundingClientRect().height}))"""

LABELS = """() => [...document.querySelectorAll('.aps-chart__label')].map(element => ({
    text: element.textContent.trim(), scroll: element.scrollWidth, client: element.clientWidth,
    overflow: getComputedStyle(element).textOverflow, lines: Math.round(
        element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight))
}))"""


@pytest.fixture
def phone_and_laptop(signed_in, live_server):
    """The statistics page at each width, signed in as the académie."""
    pages = {width: signed_in("academie@aps.test", width) for width in (375, 1280)}
    for page in pages.values():
        page.goto(f"{live_server.url}{PAGE}")
    return pages


def test_on_a_phone_the_charts_text_is_readable_without_sideways_scrolling(phone_and_laptop):
    page = phone_and_laptop[375]
    texts = page.evaluate(CHART_TEXTS)
    assert len(texts) > 10  # the six charts' labels and values
    small = [text for text in texts if text["size"] < READABLE or text["height"] < READABLE]
    assert not small, small
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The label above its bars: a bar starts under its label, at its left.
    label, bar = (
        page.locator(".aps-chart__row:has(.aps-chart__bar)")
        .first.locator(selector)
        .first.bounding_box()
        for selector in (".aps-chart__label", ".aps-chart__bar")
    )
    assert bar["y"] >= label["y"] + label["height"] and abs(bar["x"] - label["x"]) <= 1


def test_on_a_laptop_the_long_labels_are_written_whole(phone_and_laptop):
    labels = phone_and_laptop[1280].evaluate(LABELS)
    long = "Autre : action collective de sécurisation des transitions"
    assert long in [label["text"] for label in labels]
    cut = [label for label in labels if label["scroll"] > label["client"]]
    assert not cut, cut
    assert {label["overflow"] for label in labels} == {"clip"}  # no ellipsis
    assert max(label["lines"] for label in labels) >= 2  # the longest wrap


def test_the_campaign_button_stands_in_line_with_its_select(phone_and_laptop):
    for width, page in phone_and_laptop.items():
        select = page.get_by_label("Campagne", exact=True).bounding_box()
        button = page.get_by_role("button", name="Afficher").bounding_box()
        bottoms = select["y"] + select["height"], button["y"] + button["height"]
        assert abs(bottoms[0] - bottoms[1]) <= 1, (width, select, button)
        assert button["x"] - (select["x"] + select["width"]) >= 12, (width, select, button)


def test_a_tiles_figure_does_not_run_into_its_label(phone_and_laptop):
    for width, page in phone_and_laptop.items():
        gaps = page.evaluate(
            """() => [...document.querySelectorAll('.aps-kpi')].map(tile => {
                const value = tile.querySelector('.aps-kpi__value').getBoundingClientRect();
                const label = tile.querySelector('.aps-kpi__label').getBoundingClientRect();
                // The figure's line holds its letters: 2.5rem for a 2rem font.
                const size = parseFloat(getComputedStyle(tile.firstElementChild).fontSize);
                return {line: value.height / size, gap: label.top - value.bottom};
            })"""
        )
        assert gaps and all(gap["line"] >= 1.2 and gap["gap"] >= 0 for gap in gaps), (width, gaps)


def test_the_tables_figures_are_aligned_right(phone_and_laptop):
    page = phone_and_laptop[1280]
    alignments = page.evaluate(
        """() => [...document.querySelectorAll('.aps-stat-table tbody tr')].map(row =>
            [...row.children].map(cell => getComputedStyle(cell).textAlign))"""
    )
    assert alignments
    for row in alignments:
        assert row[0] in ("left", "start") and set(row[1:]) == {"right"}, row
