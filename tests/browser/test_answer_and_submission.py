"""In Chromium, on a phone (375 px) and a desktop (1280 px): the DSDEN's answer at the top of
the sheet's page, the edit page while precisions are requested, and the submission's recap
with its explicit confirmation."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from aps.models import User
from projects.models import ProjectSheet
from reviews.workflow import services
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.browser
WIDTHS = [375, 1280]


def log_in(page, live_server, email, width):
    page.set_viewport_size({"width": width, "height": 740 if width == 375 else 900})
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def within_width(page, locator, width):
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


@pytest.mark.parametrize("width", WIDTHS)
def test_the_answer_is_the_first_thing_the_sheet_page_shows(live_server, personas, page, width):
    sheet = complete_sheet(state="validated", grant={"hse": Decimal("15")})
    log_in(page, live_server, "staff.college@aps.test", width)
    page.goto(live_server.url + sheet.get_absolute_url())
    answer = page.locator("#answer")
    expect(answer).to_be_in_viewport()
    expect(answer.get_by_role("heading", name="Réponse de la DSDEN")).to_be_visible()
    expect(answer).to_contain_text("Financement partiel")
    row = answer.get_by_role("row", name="HSE")
    expect(row).to_contain_text("20\u00a0HSE")
    expect(row).to_contain_text("15\u00a0HSE")
    expect(row).to_contain_text("partiel")
    expect(answer).to_contain_text("Ce que signifie cette réponse")
    within_width(page, answer, width)
    within_width(page, answer.locator("table"), width)
    identification = page.get_by_role("heading", name="Identification de l'action")
    assert answer.bounding_box()["y"] < identification.bounding_box()["y"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_edit_page_says_the_request_and_marks_its_sections(live_server, personas, page, width):
    sheet = complete_sheet(state="in_review")
    services.request_info(
        sheet=sheet,
        by=User.objects.get(email="dsden93@aps.test"),
        comment="Précisez le calendrier des immersions.",
        sections=["calendar"],
        due_date=datetime.date(2030, 6, 20),
    )
    log_in(page, live_server, "chef.college@aps.test", width)
    page.goto(live_server.url + reverse("projects:sheet_edit", args=[sheet.pk]))
    request = page.locator("#info-request")
    expect(request).to_be_in_viewport()
    expect(request).to_contain_text("Précisez le calendrier des immersions.")
    expect(request).to_contain_text("20 juin 2030")
    within_width(page, request, width)
    calendar = page.locator("#section-calendar")
    expect(calendar.locator("legend")).to_contain_text("Précisions demandées")
    expect(page.locator("#section-diagnostic-legend")).not_to_contain_text("Précisions demandées")
    request.get_by_role("link", name="Calendrier").click()
    expect(calendar.locator("legend")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Enregistrer", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer le brouillon")).to_have_count(0)
    expect(request.get_by_role("link", name="Renvoyer avec une réponse")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_submission_goes_through_the_recap_and_its_confirmation(
    live_server, personas, page, width, today
):
    sheet = complete_sheet(euros=True)
    log_in(page, live_server, "chef.college@aps.test", width)
    page.goto(live_server.url + sheet.get_absolute_url())
    page.get_by_role("link", name="Déposer le projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer le projet")
    expect(page.locator("#recap-means")).to_contain_text("300,00\u00a0€")
    expect(page.locator("#recap-deadlines")).to_contain_text("23 juin 2024")
    expect(page.locator("#recap-attachments")).to_contain_text("devis.pdf")
    expect(page.locator("#recap-next")).to_contain_text("comité de pilotage")
    for section in ("#recap-means", "#recap-deadlines", "#recap-next"):
        within_width(page, page.locator(section), width)

    # Without the confirmation: refused, said at the top, nothing filed.
    page.get_by_role("button", name="Déposer le projet").click()
    alert = page.locator("#form-errors")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("Cochez la case pour confirmer le dépôt du projet.")
    assert page.title().startswith("Erreur : ")
    assert ProjectSheet.objects.get(pk=sheet.pk).status == "draft"

    # The alert's link leads to the checkbox, ticked from the keyboard.
    alert.get_by_role("link").click()
    expect(page.locator("#id_confirm")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#id_confirm")).to_be_checked()
    page.get_by_role("button", name="Déposer le projet").click()
    expect(page.get_by_text("Projet déposé : il attend l'avis du réseau FOQUALE.")).to_be_visible()
    expect(page.get_by_role("link", name="Accusé de dépôt")).to_be_visible()
    assert ProjectSheet.objects.get(pk=sheet.pk).status == "submitted"
