"""The network's opinion in the list of sheets and its export: the latest opinion of each sheet,
under its state, for the roles that weigh it; one query for the page, whatever its size."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import Establishment
from reviews.workflow.models import Opinion
from tests.reviews.test_sheet_list import many_sheets

pytestmark = pytest.mark.django_db
LIST = reverse("reviews:sheet_list")
EXPORT = reverse("reviews:sheet_list_export")


def give_opinions(sheets, value, *, by, days_ago=0):
    """One opinion on each of ``sheets``, given ``days_ago`` days ago."""
    opinions = Opinion.objects.bulk_create(
        [Opinion(sheet=s, value=value, comment="Comité du réseau", author=by) for s in sheets]
    )
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Opinion.objects.filter(pk__in=[o.pk for o in opinions]).update(created_at=moment)


@pytest.fixture
def reviewed(personas):
    """A sheet of the collège whose opinion went from favourable to reserved, and one without."""
    college = Establishment.objects.get(uai="0931610V")
    changed, silent = many_sheets(
        2, establishment=college, by=personas.dsden93, euros=Decimal(100), title="Avis"
    )
    give_opinions([changed], Opinion.Value.FAVOURABLE, by=personas.network_lead, days_ago=3)
    give_opinions([changed], Opinion.Value.RESERVED, by=personas.network_lead)
    return changed, silent


@pytest.mark.parametrize("persona", ["dsden93", "academie", "network_lead", "national"])
def test_reviewers_and_the_network_read_the_latest_opinion_under_the_state(
    client, personas, reviewed, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(f"{LIST}?q=Avis")
    page = response.content.decode()
    assert page.count("Avis du réseau : ") == 1  # the sheet without an opinion says nothing
    assert "Avis du réseau : réservé" in page and "favorable" not in page


@pytest.mark.parametrize("persona", ["college_staff", "college_head", "mlds"])
def test_the_establishment_and_the_mlds_list_without_the_opinion(
    client, personas, reviewed, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(f"{LIST}?q=Avis")
    titles = [sheet.title for sheet in response.context["page_obj"]]
    assert set(titles) == {"Avis 0", "Avis 1"}
    page = response.content.decode()
    assert "Avis du réseau" not in page and "réservé" not in page


def test_the_export_gives_the_latest_opinion_of_each_sheet(client, personas, reviewed):
    client.force_login(personas.dsden93)
    response = client.get(f"{EXPORT}?q=Avis")
    fiches = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"]
    rows = list(fiches.iter_rows(values_only=True))
    header, rows = rows[0], rows[1:]
    opinions = {
        row[header.index("Titre de l'action")]: row[header.index("Avis du réseau FOQUALE")]
        for row in rows
    }
    assert opinions == {"Avis 0": "Réservé", "Avis 1": None}


def test_the_opinion_column_adds_no_query_per_sheet(client, personas):
    college = Establishment.objects.get(uai="0931610V")

    def queries(count) -> tuple[int, int, str]:
        """The list's and the export's queries with ``count`` more sheets with an opinion."""
        sheets = many_sheets(count, establishment=college, by=personas.dsden93, hse=Decimal(5))
        give_opinions(sheets, Opinion.Value.UNFAVOURABLE, by=personas.network_lead)
        with CaptureQueriesContext(connection) as listed:
            page = client.get(f"{LIST}?means=hse&o=-hse").content.decode()
        with CaptureQueriesContext(connection) as exported:
            b"".join(client.get(f"{EXPORT}?means=hse").streaming_content)
        return len(listed.captured_queries), len(exported.captured_queries), page

    client.force_login(personas.dsden93)
    client.get(LIST)  # session and caches warm
    few_list, few_export, page = queries(3)
    assert page.count("Avis du réseau : défavorable") == 3
    many_list, many_export, page = queries(60)
    assert page.count("Avis du réseau : défavorable") == 25  # a page
    assert (many_list, many_export) == (few_list, few_export)
