"""The envelope page: beside what is granted and what remains, what the sheets still under
review request (filed, under review, awaiting precisions), right-aligned, in one grouped query
for all the envelopes."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funding.models import Envelope
from funding.services import envelope_uses
from projects.models import Campaign, Department, Establishment
from tests.factories import EstablishmentFactory, department
from tests.reviews.test_sheet_list import many_sheets

pytestmark = pytest.mark.django_db
D = Decimal
PAGE = reverse("funding:envelope_list")


@pytest.fixture
def under_review(personas):
    """Sheets of the 93 in every state, requesting means, and one of the 94; the envelopes of
    the three départements for the current campaign."""
    campaign = Campaign.objects.get(is_current=True)
    for code in ("77", "93", "94"):
        Envelope.objects.create(
            campaign=campaign, department=department(code), euros=D(5000), hse=D(50), imp=D(3)
        )
    college = Establishment.objects.get(uai="0931610V")
    by = personas.dsden93
    many_sheets(2, establishment=college, by=by, status="in_review", euros=D("1000.50"))
    many_sheets(1, establishment=college, by=by, status="submitted", hse=D("12.5"))
    many_sheets(1, establishment=college, by=by, status="needs_info", requested_imp=D("0.25"))
    # Answered, withdrawn or not filed: not under review.
    for status in ("draft", "validated", "rejected", "withdrawn"):
        many_sheets(1, establishment=college, by=by, status=status, euros=D(700), hse=D(7))
    other = EstablishmentFactory(department=department("94"), city="Créteil")
    many_sheets(1, establishment=other, by=by, status="in_review", euros=D(300))
    return campaign


def test_the_amounts_under_review_sum_the_sheets_filed_and_not_answered(under_review):
    uses = {
        use.envelope.department.code: use
        for use in envelope_uses(Envelope.objects.select_related("department"), with_pending=True)
    }
    assert (uses["93"].pending_euros, uses["93"].pending_hse, uses["93"].pending_imp) == (
        D("2001.00"),
        D("12.50"),
        D("0.25"),
    )
    assert (uses["94"].pending_euros, uses["94"].pending_hse) == (D("300.00"), D("0"))
    assert (uses["77"].pending_euros, uses["77"].pending_imp) == (D("0"), D("0"))
    # Without asking, the decisions' envelope reads no more than before.
    assert envelope_uses(Envelope.objects.all())[0].pending_euros is None


def row_of(page: str, envelope_title: str, header: str) -> list[str]:
    """The cells of a row of an envelope's table, as shown."""
    section = page[page.index(envelope_title) :]
    section = section[: section.index("</table>")]
    row = re.search(rf"<th scope=\"row\">{header}</th>(.*?)</tr>", section).group(1)
    return re.findall(r'<td class="aps-num">(.*?)</td>', row)


def test_the_dsden_reads_what_its_sheets_under_review_request_right_aligned(
    client, personas, under_review
):
    client.force_login(personas.dsden93)
    page = client.get(PAGE).content.decode()
    assert row_of(page, "93 Seine-Saint-Denis —", "À l'étude") == [
        "2\xa0001,00\xa0€",
        "12,5",
        "0,25",
    ]
    assert row_of(page, "93 Seine-Saint-Denis —", "Accordé") == ["700,00\xa0€", "7", "0"]
    assert "94 Val-de-Marne" not in page


def test_the_academie_reads_every_departments_amounts_under_review(client, personas, under_review):
    client.force_login(personas.academie)
    page = client.get(PAGE).content.decode()
    assert row_of(page, "94 Val-de-Marne —", "À l'étude")[0] == "300,00\xa0€"
    assert row_of(page, "77 Seine-et-Marne —", "À l'étude")[0] == "0,00\xa0€"


def test_the_envelope_page_queries_do_not_grow_with_the_envelopes(client, personas, under_review):
    client.force_login(personas.academie)
    client.get(PAGE)  # session and caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    previous = Campaign.objects.exclude(pk=under_review.pk).get()
    for dept in Department.objects.all():
        Envelope.objects.create(campaign=previous, department=dept, euros=D(10))
    with CaptureQueriesContext(connection) as many:
        page = client.get(PAGE).content.decode()
    # The académie de Créteil's three départements, for two campaigns.
    assert page.count('<th scope="row">À l\'étude</th>') == 6
    assert len(many.captured_queries) == len(few.captured_queries)
