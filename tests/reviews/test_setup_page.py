"""The set-up page ("Mise en route"): what an académie has ready, step by step."""

import html

import pytest
from django.urls import reverse

from funding.models import Envelope, Rates
from projects.models import District, Membership
from tests.factories import EstablishmentFactory, department, member

R = Membership.Role


def _steps(client, user, **query) -> dict[str, str]:
    client.force_login(user)
    page = client.get(reverse("reviews:setup"), query)
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    blocks = text.split('<li class="aps-setup__step">')[1:]
    return {b.split("</h2>")[0].rsplit(">", 1)[1]: b for b in blocks}


@pytest.fixture
def poitiers(personas):
    """The académie de Poitiers' four départements (the personas hold the 86 only)."""
    return [department(code) for code in ("16", "17", "79", "86")]


def test_an_empty_academie_sees_every_step_to_do(client, personas, poitiers):
    steps = _steps(client, personas.poitiers_academie)
    assert "Prêt" not in steps["Établissements"]
    assert "0 établissement importé" in steps["Établissements"]
    assert (
        "Sans relecteur : 16 Charente, 17 Charente-Maritime, 79 Deux-Sèvres"
        in steps["Relecteurs des DSDEN"]
    )
    assert "86 : 1" in steps["Relecteurs des DSDEN"]
    assert "Saisir l'adresse fonctionnelle" in steps["Chefs d'établissement"]
    assert reverse("admin:projects_establishment_import") in steps["Établissements"]


def test_the_steps_turn_ready_as_the_academie_sets_up(client, personas, poitiers):
    vienne = department("86")
    academy = vienne.academy
    school = EstablishmentFactory(department=vienne)
    district = District.objects.create(department=vienne, name="Châtellerault")
    school.district = district
    school.save()
    member(role=R.HEAD, establishment=school)
    member(role=R.MLDS, district=district)
    academy.head_email_pattern = "ce.{uai}@ac-poitiers.fr"
    academy.save()
    Envelope.objects.create(campaign=personas.campaign, department=vienne, euros=1000)
    Rates.objects.get_or_create(campaign=personas.campaign)
    steps = _steps(client, personas.poitiers_academie)
    assert (
        "1 établissement importé" in steps["Établissements"] and "Prêt" in steps["Établissements"]
    )
    assert "1 établissement sur 1 avec un chef" in steps["Chefs d'établissement"]
    assert "Prêt" in steps["Chefs d'établissement"]
    assert "1 district sur 1 avec un coordonnateur" in steps["Coordonnateurs MLDS"]
    assert "Prêt" in steps["Coordonnateurs MLDS"]
    assert "Créer et inviter les comptes" in steps["Chefs d'établissement"]
    assert "Prêt" in steps["Barème"]
    assert "1 département sur 4" in steps["Enveloppes"]
    assert (
        "Sans enveloppe : 16 Charente, 17 Charente-Maritime, 79 Deux-Sèvres" in steps["Enveloppes"]
    )
    assert "Prêt" in steps["Calendrier 2024-2025"]


def test_an_academie_sees_its_own_and_the_ministry_chooses(client, personas):
    EstablishmentFactory(department=department("86"))
    EstablishmentFactory(department=department("93"))
    mine = _steps(client, personas.academie, academie="poitiers")  # not theirs: ignored
    assert "77 Seine-et-Marne" in mine["Établissements"] or "93" in mine["Établissements"]
    assert "86 Vienne" not in mine["Établissements"]
    chosen = _steps(client, personas.national, academie="poitiers")
    assert "86 Vienne : 1" in chosen["Établissements"]


@pytest.mark.parametrize("who", ["college_head", "dsden93", "mlds", "network_lead"])
def test_the_setup_page_is_the_academies(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("reviews:setup")).status_code == 403
    assert "Mise en route" not in client.get(reverse("home")).content.decode()
