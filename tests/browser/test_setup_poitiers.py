"""The académie de Poitiers is set up from its set-up page in Chromium, beside Créteil: its
establishments, districts and networks and accounts imported, its head invited; the head
chooses a password and files a draft. Créteil's data stays invisible to Poitiers' staff."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from projects.models import Establishment, ProjectSheet
from tests.factories import SheetFactory, department

pytestmark = pytest.mark.browser

# Five real establishments of the Vienne (from ../shared/data/etablissements_poitiers.csv).
ESTABLISHMENTS = """uai,name,type,public_private,city,postcode,department
0860002K,Collège Romain Rolland,Collège,Public,Charroux,86250,086
0860003L,LYCEE GENERAL ET TECHNOLOGIQUE MARCELIN BERTHELOT,Lycée général et technologique,Public,Châtellerault,86100,086
0860005N,LYCEE GENERAL ET TECHNOLOGIQUE CITE TECHNIQUE EDOUARD BRANLY,Lycée général et technologique,Public,Châtellerault,86100,086
0860006P,LYCEE PROFESSIONNEL EDOUARD BRANLY,Lycée professionnel,Public,Châtellerault,86100,086
0860009T,LYCEE GENERAL ET TECHNOLOGIQUE ANDRE THEURIET,Lycée général et technologique,Public,Civray,86400,086
"""
NETWORKS = """uai;district;reseau;tete_de_reseau
0860003L;Châtellerault;Réseau FOQUALE Châtellerault;oui
0860005N;Châtellerault;Réseau FOQUALE Châtellerault;non
0860006P;Châtellerault;Réseau FOQUALE Châtellerault;non
0860002K;Civray;Réseau FOQUALE Civray;non
0860009T;Civray;Réseau FOQUALE Civray;oui
"""
ACCOUNTS = """email;nom;role;perimetre;fonction
ce.0860003l@ac-poitiers.fr;Agnès Moreau;chef;0860003L;Proviseure
relecteur86@ac-poitiers.fr;Bruno Lemoine;dsden;86;Conseiller technique
mlds.chatellerault@ac-poitiers.fr;Nadia Benali;mlds;86 / Châtellerault;
"""


def upload(page, tmp_path, name, text, *, invite=False):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(path))
    if invite:
        page.get_by_label("Envoyer l'invitation aux comptes sans mot de passe").check()
    page.get_by_role("button", name="Importer").click()


def step(page, title):
    return page.locator(".aps-setup__step").filter(has=page.get_by_role("heading", name=title))


def test_poitiers_is_set_up_from_its_page_and_its_head_files_a_draft(
    live_server, personas, browser, tmp_path, today
):
    creteil_sheet = SheetFactory(establishment=personas.college, submitted=True)
    for code in ("16", "17", "79"):
        department(code)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill("academie.poitiers@aps.test")
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Mise en route").first.click()
    expect(page.get_by_role("heading", name="Mise en route", level=1)).to_be_visible()
    expect(step(page, "Établissements")).to_contain_text("À faire")

    # 1. Establishments, from the link of the step.
    step(page, "Établissements").get_by_role("link").click()
    upload(page, tmp_path, "etablissements.csv", ESTABLISHMENTS)
    expect(page.get_by_role("status")).to_contain_text("Import terminé : 5 créés")
    page.goto(f"{live_server.url}/mise-en-route/")
    expect(step(page, "Établissements")).to_contain_text("5 établissements importés")
    expect(step(page, "Établissements")).to_contain_text("Prêt")

    # 2. Districts and networks: a bad file first, refused whole.
    step(page, "Districts et réseaux FOQUALE").get_by_role("link").click()
    upload(page, tmp_path, "reseaux.csv", NETWORKS + "0931610V;Noisy;Réseau Noisy;non\n")
    expect(page.get_by_role("alert")).to_contain_text("rien n'a été importé")
    expect(page.get_by_role("table", name="Lignes rejetées")).to_contain_text(
        "UAI 0931610V inconnue dans votre annuaire."
    )
    upload(page, tmp_path, "reseaux.csv", NETWORKS)
    expect(page.get_by_role("status")).to_contain_text("Import terminé : 5 créés")

    # 3. Accounts, invited.
    page.goto(f"{live_server.url}/mise-en-route/")
    step(page, "Relecteurs des DSDEN").get_by_role("link").click()
    upload(page, tmp_path, "comptes.csv", ACCOUNTS, invite=True)
    expect(page.get_by_role("status")).to_contain_text("3 invitations envoyées")
    page.goto(f"{live_server.url}/mise-en-route/")
    expect(step(page, "Chefs d'établissement")).to_contain_text(
        "1 établissement sur 5 avec un chef"
    )
    expect(step(page, "Chefs d'établissement")).to_contain_text("1 invité(s)")
    expect(step(page, "Coordonnateurs MLDS")).to_contain_text("1 district sur 2")

    # Créteil stays invisible: its sheets, its establishments in the admin.
    page.goto(f"{live_server.url}/projets/")
    expect(page.locator("main")).not_to_contain_text(creteil_sheet.title)
    page.goto(f"{live_server.url}/admin/projects/establishment/?q=0931610V")
    expect(page.locator("#result_list")).to_have_count(0)
    page.goto(f"{live_server.url}/projets/{creteil_sheet.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("introuvable")
    context.close()

    # 4. The head opens the invitation, chooses a password and files a draft.
    invitation = next(m for m in mail.outbox if m.to == ["ce.0860003l@ac-poitiers.fr"])
    assert "académie de Poitiers" in invitation.body
    link = re.search(r"https?://\S+/invitation/\S+/", invitation.body).group(0)
    link = live_server.url + link[link.index("/invitation/") :]
    head = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR").new_page()
    head.goto(link)
    expect(head.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    head.locator("#id_new_password1").fill("Vienne-Persévérance-86")
    head.locator("#id_new_password2").fill("Vienne-Persévérance-86")
    head.get_by_role("button", name="Enregistrer et me connecter").click()
    expect(head.get_by_role("heading", level=1)).to_contain_text("Bonjour Agnès Moreau")
    expect(head.locator("header")).to_contain_text("Poitiers")
    head.get_by_role("link", name="Nouvelle fiche projet").first.click()
    head.locator("#id_title").fill("Tutorat de seconde à Châtellerault")
    head.locator("#id_problem").fill("Des élèves de seconde décrochent dès novembre.")
    head.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(head.get_by_text("Brouillon enregistré")).to_be_visible()
    sheet = ProjectSheet.objects.get(title="Tutorat de seconde à Châtellerault")
    assert sheet.establishment == Establishment.objects.get(uai="0860003L")
    assert sheet.department.code == "86"
    # The link is spent.
    head.goto(link)
    expect(head.get_by_role("heading", level=1)).to_contain_text("Lien d'invitation invalide")
