"""The filters of the list of sheets: each role is offered only those that can narrow its own
scope (read from its scope, ``projects.rules.reach_of``), with only its scope's choices; a
choice forged outside the scope shows nothing outside it; the fold says how many are set."""

import re
from html import unescape

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import District
from projects.rules import sheets_visible_to
from tests.factories import EstablishmentFactory, SheetFactory, department
from tests.personas import EMAILS

pytestmark = pytest.mark.django_db
LIST = reverse("reviews:sheet_list")
EXPORT = reverse("reviews:sheet_list_export")
CONTENT = ["typology", "field", "status", "renewal"]  # what a sheet is: narrows any scope


@pytest.fixture
def sheets(personas):
    """Filed sheets of the collège, the lycée (the same district, another kind), the collège
    of Stains (another district of the 93) and a lycée of the 94; a draft of the collège."""
    in_94 = EstablishmentFactory(
        department=department("94"),
        district=District.objects.create(department=department("94"), name="Créteil"),
        lycee=True,
    )
    made = {
        "college": SheetFactory(establishment=personas.college, in_review=True),
        "college draft": SheetFactory(establishment=personas.college, complete=True),
        "lycee": SheetFactory(establishment=personas.lycee, in_review=True),
        "stains": SheetFactory(establishment=personas.outsider_establishment, in_review=True),
        "94": SheetFactory(establishment=in_94, in_review=True),
    }
    return made


def page(client, role, params=""):
    client.force_login(User.objects.get(email=EMAILS[role]))
    response = client.get(f"{LIST}?{params}")
    assert response.status_code == 200
    return response


def offered(response) -> list[str]:
    return [field.name for field in response.context["filter"].folded_fields]


def options(response, name) -> list[str]:
    """The labels of a select of the page, as the user sees them."""
    select = re.search(rf'<select[^>]* name="{name}">(.*?)</select>', response.text, re.S)
    if not select:
        return []
    return [unescape(label) for label in re.findall(r"<option [^>]*>([^<]*)</option>", select[1])]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # One establishment: nothing to narrow but the campaign and what the sheets are.
        ("staff", ["campaign", *CONTENT]),
        ("head", ["campaign", *CONTENT]),
        # A network of a collège and a lycée of one district.
        ("network", ["campaign", "kind", *CONTENT]),
        ("mlds", ["campaign", "kind", *CONTENT]),
        # One département, two districts of it; the reviewers' own files ("Suivi": no
        # label is defined here, so no label filter).
        ("dsden", ["desk", "campaign", "district", "kind", *CONTENT]),
        # A département where nobody works yet.
        ("dsden77", ["desk", "campaign", *CONTENT]),
        ("academie", ["desk", "campaign", "department", "district", "kind", *CONTENT]),
    ],
)
def test_each_role_is_offered_the_filters_that_narrow_its_scope(client, sheets, role, expected):
    response = page(client, role)
    assert offered(response) == expected
    labels_shown = re.findall(r'<label class="fr-label" for="id_\w+">([^<]+)<', response.text)
    shown = {"Département", "District", "Type d'établissement"} & set(map(unescape, labels_shown))
    labels = {"department": "Département", "district": "District", "kind": "Type d'établissement"}
    assert shown == {label for name, label in labels.items() if name in expected}


def test_a_dsden_is_offered_its_districts_and_kinds_and_no_draft(client, sheets):
    response = page(client, "dsden")
    assert options(response, "district") == [
        "Tous",
        "Montreuil - Noisy-le-Sec (93)",
        "Saint-Denis (93)",
    ]
    assert options(response, "kind") == ["Tous", "Collège", "Lycée général et technologique"]
    assert "Brouillon" not in options(response, "status")
    assert "Brouillon" in options(page(client, "head"), "status")


def test_the_academie_is_offered_its_academies_departements_only(client, sheets):
    """Its départements that hold establishments (here 93 and 94); a département of another
    académie is not offered."""
    EstablishmentFactory(department=department("86"))
    response = page(client, "academie")
    assert [label[:2] for label in options(response, "department")[1:]] == ["93", "94"]
    assert "Créteil" in " ".join(options(response, "district"))


@pytest.mark.parametrize(
    ("role", "forged"),
    [
        ("dsden", "department=94"),
        ("dsden", "district={district_94}"),
        ("dsden", "status=draft"),
        ("head", "district={stains}"),
        ("head", "department=94"),
        ("mlds", "district={stains}"),
        ("network", "district={district_94}"),
    ],
)
def test_a_choice_forged_outside_the_scope_is_left_out(client, sheets, personas, role, forged):
    """Refused as any invalid choice: the list (and its export) is the whole scope, nothing of
    what the choice points to."""
    params = forged.format(
        district_94=sheets["94"].establishment.district_id,
        stains=personas.outsider_establishment.district_id,
    )
    response = page(client, role, params)
    visible = set(sheets_visible_to(response.wsgi_request.user).values_list("pk", flat=True))
    assert visible
    assert {sheet.pk for sheet in response.context["page_obj"]} == visible
    assert set(response.context["filter"].qs.values_list("pk", flat=True)) == visible  # export
    assert client.get(f"{EXPORT}?{params}").status_code == 200


def test_a_choice_within_the_scope_still_narrows(client, sheets, personas):
    district = personas.outsider_establishment.district_id
    response = page(client, "dsden", f"district={district}")
    assert {sheet.pk for sheet in response.context["page_obj"]} == {sheets["stains"].pk}


@pytest.mark.parametrize(
    ("params", "title"),
    [
        ("", "Filtres"),
        ("campaign=2024-2025", "Filtres"),  # the current campaign is the default
        ("status=in_review", "Filtres (1 actif)"),
        ("status=in_review&means=hse&means=euros&campaign=", "Filtres (3 actifs)"),
        ("department=94", "Filtres"),  # not offered to the DSDEN: not counted
    ],
)
def test_the_fold_says_how_many_filters_are_set(client, sheets, params, title):
    response = page(client, "dsden", params)
    button = re.search(
        r'<button [^>]*aria-controls="sheet-filters"[^>]*>(.*?)</button>', response.text, re.S
    )
    assert " ".join(button.group(1).split()) == title
