"""A refused save says so at the top of a phone's screen, and its links lead to the fields."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.models import Establishment
from tests.factories import SheetFactory

pytestmark = pytest.mark.browser


def test_refused_sheet_save_focuses_the_error_alert_on_a_phone(live_server, personas, page):
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"), title="Avant")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("staff.college@aps.test")
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + reverse("projects:sheet_edit", args=[sheet.pk]))
    page.locator("#id_expected_pupils").fill("douze")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    alert = page.locator("#form-errors")
    expect(alert).to_be_focused()
    expect(alert).to_be_in_viewport()
    expect(alert).to_contain_text("Le formulaire contient 1 erreur")
    assert page.title().startswith("Erreur : ")
    expect(page.locator("#id_expected_pupils")).to_have_value("douze")

    alert.get_by_role("link").first.click()
    expect(page.locator("#id_expected_pupils")).to_be_focused()
