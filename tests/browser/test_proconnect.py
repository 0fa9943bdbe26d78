"""In Chromium, at 375 and 1280 px: an agent of the DSDEN 93 signs in with ProConnect (the
suite's own OpenID provider, tests/oidc.py), lands on its home, logs out, and ProConnect's
session ends and comes back to the login page; an unknown agent is told who to ask."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import oidc

pytestmark = pytest.mark.browser


def provider_consents(page, sub):
    """The provider's own page: the agent chooses the identity ``sub``."""
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_label("Subject").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


@pytest.mark.parametrize("width", (375, 1280))
def test_an_agent_signs_in_and_out_with_proconnect(
    live_server, demo_sheets, proconnect, browser, width, tmp_path
):
    shots = Path(os.environ.get("APS_SCREENSHOTS", tmp_path))
    oidc.set_agent(proconnect, "agent-dsden", email="DSDEN93@aps.test", email_verified=True)
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/projets/")
    expect(page.get_by_role("heading", name="Connexion à APS")).to_be_visible()
    button = page.get_by_role("link", name="S’identifier avec ProConnect")
    expect(button).to_be_visible()
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_be_visible()
    page.screenshot(path=str(shots / f"proconnect-login-{width}.png"), full_page=True)
    button.click()
    provider_consents(page, "agent-dsden")
    # Back on APS, signed in, on the page first asked for.
    expect(page).to_have_url(f"{live_server.url}/projets/")
    expect(page.get_by_role("heading", name="Fiches projet", level=1)).to_be_visible()

    if width < 992:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Se déconnecter").first.click()
    # ProConnect's end of session, then the login page again.
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("heading", name="Connexion à APS")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Connexion à APS")).to_be_visible()

    # An agent ProConnect knows but APS does not.
    oidc.set_agent(proconnect, "agent-unknown", email="inconnu@education.gouv.fr")
    page.get_by_role("link", name="S’identifier avec ProConnect").click()
    provider_consents(page, "agent-unknown")
    expect(page.get_by_role("heading", name="Aucun compte APS pour cette adresse")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("inconnu@education.gouv.fr")
    page.screenshot(path=str(shots / f"proconnect-unknown-{width}.png"), full_page=True)
    context.close()
