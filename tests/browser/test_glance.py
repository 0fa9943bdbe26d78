"""In Chromium: what the reviewer reads at a glance still fits — the list with the network's
opinion at 1280 px, the envelope page with the amounts under review and the establishment's
sheets on a phone (375 px) — without scrolling sideways."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funding.models import Envelope
from projects.models import Campaign, Department, Establishment
from reviews.workflow.models import Opinion
from tests.browser.test_answer_and_submission import log_in
from tests.reviews.test_list_opinion import give_opinions
from tests.reviews.test_sheet_list import many_sheets

pytestmark = pytest.mark.browser
WIDE = "() => document.documentElement.scrollWidth"
CUT = """() => [...document.querySelectorAll('.fr-table__container')]
    .filter(c => c.scrollWidth > c.clientWidth + 1).length"""
STATE_WIDTHS = """() => {
    const cell = [...document.querySelectorAll('tbody td')].find(
        td => td.textContent.includes('Avis du réseau'));
    return [cell.offsetWidth, Math.max(...[...document.querySelectorAll('tbody .fr-badge')]
        .map(b => b.offsetWidth))];
}"""


@pytest.fixture
def glance(personas):
    college = Establishment.objects.get(uai="0931610V")
    long_title = "Atelier relais de remobilisation scolaire et de découverte des métiers"
    by = personas.dsden93
    sheets = many_sheets(
        6, establishment=college, by=by, euros=Decimal("12500.5"), title=long_title
    )
    sheets += many_sheets(2, establishment=college, by=by, status="needs_info", hse=Decimal(40))
    give_opinions(sheets[:3], Opinion.Value.UNFAVOURABLE, by=personas.network_lead)
    give_opinions(sheets[3:], Opinion.Value.RESERVED, by=personas.network_lead)
    many_sheets(1, establishment=college, by=by, status="validated", euros=Decimal(900))
    campaign = Campaign.objects.get(is_current=True)
    for dept in Department.objects.all():
        Envelope.objects.create(
            campaign=campaign, department=dept, euros=Decimal("250000"), hse=Decimal(1200)
        )


@pytest.mark.parametrize(
    ("email", "width"), [("dsden93@aps.test", 1280), ("dsden93@aps.test", 375)]
)
def test_the_list_with_the_opinion_fits(live_server, page, glance, email, width):
    log_in(page, live_server, email, width)
    page.goto(live_server.url + reverse("reviews:sheet_list"))
    assert page.get_by_text("Avis du réseau : défavorable").count() == 3
    page.screenshot(path=f"/tmp/glance-list-{width}.png", full_page=True)
    assert page.evaluate(WIDE) <= width
    # The opinion goes under the state, whose badge sets the column's width: no wider.
    state, badge = page.evaluate(STATE_WIDTHS)
    assert state <= badge + 40


@pytest.mark.parametrize(
    ("email", "url"),
    [
        ("academie@aps.test", reverse("funding:envelope_list")),
        ("chef.college@aps.test", reverse("projects:establishment_detail", args=["0931610V"])),
        ("dsden93@aps.test", reverse("projects:establishment_detail", args=["0931610V"])),
    ],
)
@pytest.mark.parametrize("width", [375, 1280])
def test_the_envelopes_and_the_establishments_sheets_fit(
    live_server, page, glance, email, url, width
):
    log_in(page, live_server, email, width)
    page.goto(live_server.url + url)
    shown = page.get_by_role("rowheader", name="À l'étude").or_(page.get_by_text("Réponse de"))
    assert shown.count()
    name = url.strip("/").replace("/", "-")
    page.screenshot(path=f"/tmp/glance-{name}-{email.split('@')[0]}-{width}.png", full_page=True)
    assert page.evaluate(WIDE) <= width
    assert page.evaluate(CUT) == 0  # every column of the envelopes' tables in view
