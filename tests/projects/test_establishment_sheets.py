"""The establishment's page lists its sheets of every campaign, the newest first, each with its
state and the DSDEN's answer — only those the user may see."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Campaign, Establishment, ProjectSheet
from tests.reviews.test_sheet_list import many_sheets

pytestmark = pytest.mark.django_db
PAGE = reverse("projects:establishment_detail", args=["0931610V"])


@pytest.fixture
def college_sheets(personas):
    """The collège's sheets: last campaign's validated with a grant; this campaign's rejected,
    awaiting precisions, under review and a draft; and a sheet of the lycée."""
    college = Establishment.objects.get(uai="0931610V")
    by = personas.dsden93

    def one(status, title, establishment=college, **amounts):
        return many_sheets(
            1, establishment=establishment, by=by, status=status, title=title, **amounts
        )[0]

    previous = one("validated", "Ancienne", euros=Decimal(900), hse=Decimal("12.5"))
    ProjectSheet.objects.filter(pk=previous.pk).update(
        campaign=Campaign.objects.get(school_year="2023-2024")
    )
    one("rejected", "Refusée")
    one("needs_info", "Précisions")
    one("in_review", "Étudiée")
    one("draft", "Brouillon")
    one("in_review", "Du lycée", establishment=Establishment.objects.get(uai="0930123D"))


def shown(client, user) -> list[tuple[str, str]]:
    """The (campaign, sheet's title, answer) of each sheet on the page, in order."""
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    if 'id="fiches"' not in page:
        return []
    section = page[page.index('id="fiches"') : page.index("</section>", page.index('id="fiches"'))]
    found = []
    campaign = None
    for match in re.finditer(
        r"Campagne (\d{4}-\d{4})|<a href=\"/projets/\d+/\">([^<]+)</a>|Réponse de la DSDEN : ([^<]+)</p>",
        section,
    ):
        if match.group(1):
            campaign = match.group(1)
        elif match.group(2):
            found.append([campaign, match.group(2)])
        else:
            found[-1].append(match.group(3))
    return [tuple(row) for row in found]


EVERY_SHEET = [
    ("2024-2025", "Brouillon 0", "aucune"),
    ("2024-2025", "Précisions 0", "en attente de précisions"),
    ("2024-2025", "Refusée 0", "non validé"),
    ("2024-2025", "Étudiée 0", "à venir"),
    ("2023-2024", "Ancienne 0", "validé — accordé : 900,00\xa0€, 12,5\xa0HSE"),
]
FILED = [row for row in EVERY_SHEET if row[1] != "Brouillon 0"]


@pytest.mark.parametrize("persona", ["college_head", "college_staff", "mlds", "academie"])
def test_the_establishment_and_those_over_it_read_every_sheet_and_its_answer(
    client, personas, college_sheets, persona
):
    assert shown(client, getattr(personas, persona)) == EVERY_SHEET


@pytest.mark.parametrize("persona", ["dsden93", "network_lead"])
def test_the_dsden_and_the_network_read_the_filed_sheets_only(
    client, personas, college_sheets, persona
):
    assert shown(client, getattr(personas, persona)) == FILED


@pytest.mark.parametrize("persona", ["dsden94", "lycee_head", "outsider_head"])
def test_outsiders_read_the_directory_without_the_sheets(client, personas, college_sheets, persona):
    client.force_login(getattr(personas, persona))
    page = client.get(PAGE).content.decode()
    assert "Collège Jacques Prévert" in page  # the directory's page stays public
    assert 'id="fiches"' not in page and "Précisions 0" not in page


def test_a_reopened_sheet_shows_no_grant(client, personas, college_sheets):
    ProjectSheet.objects.filter(title="Ancienne 0").update(status="in_review")
    rows = {title: answer for _campaign, title, answer in shown(client, personas.college_head)}
    assert rows["Ancienne 0"] == "à venir"
