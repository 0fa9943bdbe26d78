"""Champs and typologies as data: the default list (the vadémécum's), an académie's own list
for every campaign or for one, sub-types, labels of stored keys."""

import html
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from projects import action_types
from projects.action_types import VADEMECUM, form_choices, offered
from projects.models import ActionType
from tests.factories import EstablishmentFactory, SheetFactory, department, member


@pytest.fixture(autouse=True)
def vademecum(db):
    """The default list as the data migration writes it (a test run that flushed the tables,
    for a browser test, loses what the migrations wrote)."""
    import_module("projects.migrations.0021_action_types_vademecum").seed(apps, None)


def _typology(key, label, *, academy=None, campaign=None, parent=None, position=0):
    return ActionType.objects.create(
        kind="typology",
        key=key,
        label=label,
        academy=academy,
        campaign=campaign,
        parent=parent,
        position=position,
    )


@pytest.fixture
def poitiers(personas):
    """The académie de Poitiers' own typologies (its circular: prévention, intervention,
    remédiation) and an establishment there with its head."""
    vienne = department("86")
    academy = vienne.academy
    prevention = _typology("prevention", "Action de prévention", academy=academy, position=1)
    _typology("tutorat", "Tutorat", academy=academy, parent=prevention, position=2)
    _typology("remobilisation", "Remobilisation", academy=academy, position=3)
    school = EstablishmentFactory(department=vienne)
    head = member(role="chef_etablissement", establishment=school)
    return academy, school, head


def test_the_default_list_is_the_vademecums_in_the_database(db):
    rows = ActionType.objects.filter(academy=None, campaign=None)
    assert {(r.kind, r.key, r.label) for r in rows} == {(d.kind, d.key, d.label) for d in VADEMECUM}
    assert rows.get(key="pafi_tdo").parent.key == "pafi"
    assert [c.key for c in offered("typology", None, None)][:3] == [
        "parcours_individualise",
        "pafi",
        "pafi_tdo",
    ]


def test_a_sub_type_is_offered_under_its_parent(db):
    choices = form_choices("typology", None, None)
    group = next(c for c in choices if c[0] == "Parcours aménagé de formation initiale (PAFI)")
    assert group[1] == [
        ("pafi", "Parcours aménagé de formation initiale (PAFI)"),
        ("pafi_tdo", "PAFI-TDO (15 ans et plus)"),
    ]


def test_an_academies_list_replaces_the_default_one_for_it_only(personas, poitiers):
    academy, _school, _head = poitiers
    creteil = personas.college.department.academy_id
    assert [c.key for c in offered("typology", academy.pk, personas.campaign.pk)] == [
        "prevention",
        "tutorat",
        "remobilisation",
    ]
    assert "module_relais" in [c.key for c in offered("typology", creteil, personas.campaign.pk)]
    # A list for one campaign wins over the académie's list for every campaign.
    _typology("decouverte", "Découverte des métiers", academy=academy, campaign=personas.campaign)
    assert [c.key for c in offered("typology", academy.pk, personas.campaign.pk)] == ["decouverte"]
    previous = personas.previous_campaign.pk
    assert [c.key for c in offered("typology", academy.pk, previous)][0] == "prevention"
    # The champs keep the default list: Poitiers wrote no champ.
    assert [c.key for c in offered("field", academy.pk, None)] == ["intervention", "remediation"]


def test_the_sheet_form_offers_the_academies_list_and_refuses_another(client, poitiers):
    academy, school, head = poitiers
    client.force_login(head)
    page = html.unescape(client.get(reverse("projects:sheet_create")).content.decode())
    assert '<optgroup label="Action de prévention">' in page
    assert ">Tutorat</option>" in page
    assert "Module relais en établissement" not in page
    data = {"carrier": f"establishment:{school.pk}", "title": "Tutorat entre pairs"}
    refused = client.post(reverse("projects:sheet_create"), {**data, "typology": "module_relais"})
    assert "Sélectionnez un choix valide" in html.unescape(refused.content.decode())
    done = client.post(reverse("projects:sheet_create"), {**data, "typology": "tutorat"})
    assert done.status_code == 302
    sheet = school.sheets.get()
    assert (sheet.typology, sheet.get_typology_display()) == ("tutorat", "Tutorat")


def test_a_sheet_keeps_its_key_and_label_when_its_list_changes(client, personas, poitiers):
    academy, school, head = poitiers
    old = SheetFactory(establishment=personas.college, complete=True)  # the default list
    assert old.get_typology_display() == "Module relais en établissement"
    sheet = SheetFactory(establishment=school, typology="remobilisation", complete=True)
    ActionType.objects.filter(academy=academy, key="remobilisation").update(
        label="Remobilisation scolaire"
    )
    action_types.forget()
    sheet.refresh_from_db()
    assert sheet.get_typology_display() == "Remobilisation scolaire"
    ActionType.objects.filter(academy=academy, key="remobilisation").delete()
    action_types.forget()
    sheet.refresh_from_db()
    assert sheet.get_typology_display() == "remobilisation"  # its key, still stored
    # Its edit form still offers the stored key, so that saving does not lose it.
    client.force_login(head)
    page = client.get(reverse("projects:sheet_edit", kwargs={"pk": sheet.pk})).content.decode()
    assert 'value="remobilisation" selected' in page


def test_the_page_the_pdf_and_the_export_show_the_academies_label(client, personas, poitiers):
    academy, school, head = poitiers
    sheet = SheetFactory(establishment=school, typology="tutorat", complete=True)
    client.force_login(head)
    page = client.get(reverse("reviews:sheet_detail", kwargs={"pk": sheet.pk})).content.decode()
    assert "<dt>Typologie</dt><dd>Tutorat</dd>" in page
    guide = html.unescape(client.get(reverse("reviews:guide_sections")).content.decode())
    assert "<dt>Action de prévention</dt>" in guide and "Module relais" not in guide


def test_academie_staff_write_their_list_not_the_default_one(client, personas, poitiers):
    academy, _school, _head = poitiers
    client.force_login(personas.poitiers_academie)
    listing = client.get(reverse("admin:projects_actiontype_changelist")).content.decode()
    assert "Tutorat" in listing and "Module relais en établissement" in listing
    default = ActionType.objects.get(key="module_relais", academy=None)
    change = reverse("admin:projects_actiontype_change", args=[default.pk])
    response = client.post(change, {"label": "Changé", "kind": "typology", "key": "x"})
    assert response.status_code in (302, 403)
    assert ActionType.objects.get(pk=default.pk).label == "Module relais en établissement"
    add = reverse("admin:projects_actiontype_add")
    refused = client.post(
        add, {"kind": "typology", "label": "Sans académie", "key": "sans", "position": 0}
    )
    assert refused.status_code == 200
    assert not ActionType.objects.filter(key="sans").exists()
    done = client.post(
        add,
        {
            "kind": "typology",
            "academy": academy.pk,
            "label": "Ateliers relais",
            "key": "ateliers",
            "position": 4,
        },
    )
    assert done.status_code == 302
    assert ActionType.objects.get(key="ateliers").academy == academy
    # Créteil's staff do not see Poitiers' list.
    client.force_login(personas.academie)
    listing = client.get(reverse("admin:projects_actiontype_changelist")).content.decode()
    assert "Tutorat" not in listing
