"""Who finds which sheets in the list. Who may open each sheet URL, on each kind of sheet (a
draft, a submitted one, last year's, the network's draft): tests/test_access_matrix.py.

Visibility: staff and head see their establishment's sheets; the network lead the network's
own sheets and the filed sheets of its members; the MLDS coordinator every sheet of the
district, drafts included (and those of networks with members in the district); the DSDEN the
département's sheets but drafts; the académie everything.
"""

import pytest
from django.urls import reverse

from tests.factories import SheetFactory
from tests.personas import EMAILS

pytestmark = pytest.mark.django_db

COLLEGE = {"staff", "head"}
OVERSEERS = {"academie", "national"}  # Créteil's staff and the ministry (not Poitiers')
# Who sees each sheet of the collège's scope.
VISIBLE = {
    "college_draft": COLLEGE | {"mlds"} | OVERSEERS,
    "college_submitted": COLLEGE | {"network", "mlds", "dsden"} | OVERSEERS,
    "college_previous": COLLEGE | {"network", "mlds", "dsden"} | OVERSEERS,
    "network_draft": {"network", "mlds"} | OVERSEERS,
}


@pytest.fixture
def sheets(personas):
    return {
        "college_draft": SheetFactory(establishment=personas.college),
        "college_submitted": SheetFactory(establishment=personas.college, submitted=True),
        "college_previous": SheetFactory(
            establishment=personas.college,
            campaign=personas.previous_campaign,
            validated=True,
        ),
        "network_draft": SheetFactory(establishment=None, network=personas.network),
    }


def test_lists_show_only_visible_sheets(client, personas, sheets):
    titles = {key: sheet.title for key, sheet in sheets.items()}
    for persona, email in EMAILS.items():
        client.force_login(personas.by_email(email))
        page = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
        for key, title in titles.items():
            assert (title in page) == (persona in VISIBLE[key]), f"{persona} {key}"
