"""The footer's pages: the accessibility statement, the legal notice and the personal-data
page, public, linked from every page's footer, stating what the code does."""

import datetime

import pytest
from django.urls import reverse

from aps.typography import french_spacing
from tests.reviews.test_guide import main_of, page_text, words

FOOTER_PAGES = {
    "reviews:accessibility": "Accessibilité : non conforme",
    "reviews:legal_notice": "Mentions légales",
    "reviews:personal_data": "Données personnelles",
}


def footer_of(text: str) -> str:
    return text[text.index('<footer class="fr-footer') : text.index("</footer>")]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonyme", "connecté"])
def test_footer_links_to_the_three_pages(client, personas, signed_in):
    if signed_in:
        client.force_login(personas.college_head)
        shown = page_text(client.get(reverse("home")))
    else:
        shown = page_text(client.get(reverse("login")))
    footer = footer_of(shown)
    for url_name, label in FOOTER_PAGES.items():
        link = f'<a class="fr-footer__bottom-link" href="{reverse(url_name)}">{label}</a>'
        assert link in footer, url_name
        assert client.get(reverse(url_name)).status_code == 200
    assert f'href="{reverse("reviews:guide")}"' in footer


def legal(client, url_name: str) -> str:
    return words(main_of(page_text(client.get(reverse(f"reviews:{url_name}")))))


def test_accessibility_statement_says_non_conforme_without_an_audit(client, personas):
    shown = legal(client, "accessibility")
    assert "APS est non conforme au référentiel général d'amélioration de l'accessibilité" in shown
    assert "RGAA), version 4.1 : aucun audit de conformité n'a encore été réalisé" in shown
    assert "axe-core" in shown and "375 pixels" in shown and "au clavier" in shown
    assert "Les documents PDF produits par APS" in shown  # a known non-accessible content
    assert "Cette déclaration a été établie le 2 décembre 2026" in shown
    assert "Chromium" in shown
    assert "Défenseur des droits" in shown and "Libre réponse 71120" in shown
    assert "La session se ferme 8 heures après la connexion" in shown


def test_accessibility_contact_is_the_operators_setting_or_said_missing(client, personas, settings):
    settings.LEGAL_CONTACT_EMAIL = ""
    assert "À compléter par l'exploitant l'adresse électronique" in legal(client, "accessibility")
    settings.LEGAL_CONTACT_EMAIL = "aps@ac-exemple.fr"
    shown = main_of(page_text(client.get(reverse("reviews:accessibility"))))
    assert '<a href="mailto:aps@ac-exemple.fr">aps@ac-exemple.fr</a>' in shown


def test_legal_notice_names_the_publisher_a_role_the_host_and_the_licence(
    client, personas, settings
):
    settings.LEGAL_HOSTING = ""
    shown = legal(client, "legal_notice")
    assert "éditée par le rectorat de l'" in shown
    assert "Directeur ou directrice de la publication" in shown
    assert "Le recteur ou la rectrice de l'" in shown
    assert "À compléter par l'exploitant le nom, l'adresse et le numéro de téléphone" in shown
    assert "licence Etalab 2.0" in shown
    assert "À compléter par l'exploitant l'adresse postale du rectorat." in shown
    settings.LEGAL_HOSTING = "Hébergeur Exemple, 1 rue de la Paix, 75000 Paris, 01 23 45 67 89"
    settings.LEGAL_PUBLISHER_ADDRESS = "4 rue Georges-Enesco, 94000 Exemple"
    shown = legal(client, "legal_notice")
    assert "Adresse : 4 rue Georges-Enesco, 94000 Exemple" in shown
    assert "Hébergeur Exemple, 1 rue de la Paix" in shown
    assert "le nom, l'adresse et le numéro de téléphone" not in shown


def test_personal_data_page_says_what_is_stored_about_whom_and_who_sees_it(client, personas):
    shown = legal(client, "personal_data")
    assert "article 6, paragraphe 1, point e" in shown
    assert "Les bénéficiaires des IMP" in shown
    assert "N'écrivez aucun nom d'élève" in shown
    assert "l'adresse IP, le navigateur utilisé" in shown  # django-axes' log of logins
    for role in (
        "Personnel d'établissement",
        "Responsable de réseau FOQUALE",
        "Coordonnateur·rice-conseil MLDS",
        "DSDEN",
        "Académie",
    ):
        assert role in shown
    assert "les fiches déposées des établissements membres, jamais leurs brouillons" in shown
    assert "Les fiches déposées de son département, jamais les brouillons" in shown
    assert "À compléter par l'exploitant son adresse." in shown  # the DPO


def test_personal_data_retention_is_read_from_the_settings_that_enforce_it(
    client, personas, settings
):
    shown = legal(client, "personal_data")
    assert "une fois vieux de 15 minutes" in shown  # failed logins (AXES_COOLOFF_TIME)
    assert "une fois vieilles de 1 heure" in shown  # reset requests
    assert "Connexions réussies" in shown and "rien ne les efface" in shown
    assert "sessionid" in shown and "csrftoken" in shown and "52 semaines" in shown
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    settings.SESSION_COOKIE_AGE = 4 * 3600
    shown = legal(client, "personal_data")
    assert "une fois vieux de 30 minutes" in shown
    assert "il expire 4 heures après" in shown


def test_french_spacing_keeps_punctuation_on_its_line():
    assert french_spacing("Aide : que mettre ? Oui ; non !") == (
        "Aide\xa0: que mettre\xa0? Oui\xa0; non\xa0!"
    )
    assert french_spacing("« Devis »") == "«\xa0Devis\xa0»"
    assert french_spacing("https://exemple.fr/?a=1") == "https://exemple.fr/?a=1"
