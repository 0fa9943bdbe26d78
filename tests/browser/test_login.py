"""Each demo account logs in through the real login page in Chromium and sees its home."""

import pytest
from playwright.sync_api import expect

from reviews.demo.directory import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

EXPECTED = {
    "chef.college@aps.test": ("Chef·fe d'établissement", "Collège Jacques Prévert"),
    "staff.college@aps.test": ("Personnel d'établissement", "Collège Jacques Prévert"),
    "chef.lycee@aps.test": ("Chef·fe d'établissement", "Olympe de Gouges"),
    "staff.lycee@aps.test": ("Personnel d'établissement", "Olympe de Gouges"),
    "foquale@aps.test": (
        "Responsable de réseau FOQUALE",
        "Réseau FOQUALE Montreuil - Noisy-le-Sec",
    ),
    "mlds@aps.test": ("Coordonnateur·rice-conseil MLDS", "Montreuil - Noisy-le-Sec (93)"),
    "dsden77@aps.test": ("DSDEN", "77 Seine-et-Marne"),
    "dsden93@aps.test": ("DSDEN", "93 Seine-Saint-Denis"),
    "dsden93.instructeur@aps.test": ("DSDEN", "93 Seine-Saint-Denis"),
    "dsden94@aps.test": ("DSDEN", "94 Val-de-Marne"),
    "academie@aps.test": ("Académie", "académie de Créteil"),
    "academie.poitiers@aps.test": ("Académie", "académie de Poitiers"),
    "dsden86@aps.test": ("DSDEN", "86 Vienne"),
    "ministere@aps.test": ("Ministère (toutes les académies)", "toutes les académies"),
}


def test_every_demo_account_is_covered():
    assert {account.email for account in DEMO_ACCOUNTS} == set(EXPECTED)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_demo_account_logs_in_and_sees_its_home(live_server, demo, page, account):
    role_label, scope_text = EXPECTED[account.email]
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/connexion/?next=/")
    expect(page.get_by_role("heading", name="Connexion à APS")).to_be_visible()

    page.get_by_label("Adresse électronique").fill(account.email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=f"Bonjour {account.full_name}")).to_be_visible()
    roles = page.get_by_role("region", name="Vos rôles")
    expect(roles).to_contain_text(role_label)
    expect(page.locator("main")).to_contain_text(scope_text)
    # The DSFR stylesheet is served and applied: the header has its layout, not raw HTML.
    expect(page.locator("header.fr-header")).to_have_css("display", "block")
    expect(page.get_by_text("Actions Persévérance Scolaire").first).to_be_visible()


def test_wrong_password_shows_a_french_error_and_keeps_the_email(live_server, demo, page):
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("chef.college@aps.test")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Adresse électronique ou mot de passe incorrect"
    )
    expect(page.get_by_label("Adresse électronique")).to_have_value("chef.college@aps.test")


def test_locked_address_stays_locked_in_another_spelling(live_server, personas, page, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page.goto(f"{live_server.url}/connexion/")
    for _ in range(2):
        page.get_by_label("Adresse électronique").fill("staff.lycee@aps.test")
        page.get_by_label("Mot de passe").fill("mauvais")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "Adresse électronique ou mot de passe incorrect"
        )
    page.get_by_label("Adresse électronique").fill("Staff.Lycee@aps.test")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Connexion temporairement bloquée")).to_be_visible()

    # The right password, the address in capitals: still locked, with a French explanation.
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("STAFF.LYCEE@APS.TEST")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Connexion temporairement bloquée")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("la connexion est bloquée pendant 15 minutes")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/connexion/?next=/")
