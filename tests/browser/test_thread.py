"""In Chromium, at 375 and 1280 px: the DSDEN writes to the lycée with a file, the lycée's head
finds the message from the home page, marked « Nouveau », answers it with two files, and answers
the MLDS's advice; the thread passes axe."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from reviews.workflow.services import advise

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.mark.parametrize("width", (375, 1280))
def test_a_message_goes_to_the_establishment_and_back(
    live_server, demo_sheets, signed_in, width, tmp_path
):
    from aps.models import User

    sheet = demo_sheets["lycee_fls"]
    shots = Path(os.environ.get("APS_SCREENSHOTS", tmp_path))  # to look at them

    advise(sheet=sheet, by=User.objects.get(email="mlds@aps.test"), text="Associez le CIO.")
    dsden = signed_in("dsden93@aps.test", width)
    dsden.goto(f"{live_server.url}{sheet.get_absolute_url()}")
    thread = dsden.locator("#messages")
    expect(thread.get_by_text("Associez le CIO.")).to_be_visible()
    expect(thread.get_by_role("button", name="Répondre à ce conseil")).to_have_count(0)
    thread.get_by_label("Votre message").fill("Merci de joindre la convention du partenaire.")
    thread.locator("form").last.locator('input[type="file"]').set_input_files([pdf("grille.pdf")])
    thread.get_by_role("button", name="Envoyer le message").click()
    expect(dsden.locator("#messages")).to_contain_text("Merci de joindre la convention")
    expect(dsden.locator("#messages")).to_contain_text("grille.pdf")

    head = signed_in("chef.lycee@aps.test", width)
    head.goto(f"{live_server.url}/")
    unread = head.locator(".aps-unread-messages")
    expect(unread).to_contain_text("Nouveaux messages de la DSDEN")
    unread.get_by_role("link", name=sheet.title).click()
    thread = head.locator("#messages")
    message = thread.locator("li", has_text="Merci de joindre la convention")
    expect(message.locator(".fr-badge--new")).to_have_text("Nouveau")
    with head.expect_download() as download:
        message.get_by_role("link", name="grille.pdf").click()
    assert download.value.suggested_filename == "grille.pdf"
    head.screenshot(path=str(shots / f"thread-{width}.png"), full_page=True)

    # A refused file: the text stays as typed, nothing is sent.
    form = thread.locator("form").last
    form.get_by_label("Votre message").fill("La convention, et le devis.")
    bad = {"name": "devis.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF"}
    form.locator('input[type="file"]').set_input_files([pdf("convention.pdf"), bad])
    form.get_by_role("button", name="Envoyer le message").click()
    expect(head.locator("#form-errors")).to_contain_text("« devis.pdf » est refusé")
    expect(head.locator("#messages form").last.get_by_label("Votre message")).to_have_value(
        "La convention, et le devis."
    )
    form = head.locator("#messages form").last
    form.locator('input[type="file"]').set_input_files([pdf("convention.pdf"), pdf("annexe.pdf")])
    form.get_by_role("button", name="Envoyer le message").click()
    expect(head.locator("#messages")).to_contain_text("convention.pdf")
    expect(head.locator("#messages")).to_contain_text("annexe.pdf")

    # The answer to the MLDS's advice.
    advice = head.locator("#messages li", has_text="Associez le CIO.")
    advice.get_by_role("button", name="Répondre à ce conseil").click()
    advice.get_by_label("Votre message").fill("Le CIO vient le 12.")
    advice.get_by_role("button", name="Envoyer la réponse").click()
    expect(head.locator("#messages")).to_contain_text("En réponse au conseil MLDS du")
    head.screenshot(path=str(shots / f"thread-after-{width}.png"), full_page=True)

    results = Axe().run(head, context="#messages")
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, results.generate_report()
