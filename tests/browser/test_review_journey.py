"""The whole journey in Chromium with the demo accounts: staff drafts, head submits, network
lead pre-validates, DSDEN requests information, head completes and resubmits, DSDEN validates
with partial amounts, head sees the answer."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funding.models import Grant
from projects.models import ProjectSheet
from tests.factories import add_estimate

pytestmark = pytest.mark.browser


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def open_sheet(page, live_server, sheet):
    page.goto(f"{live_server.url}{sheet.get_absolute_url()}")


def test_the_whole_review_journey(live_server, demo, today, page):
    # Staff drafts the sheet.
    log_in(page, live_server, "staff.college@aps.test")
    page.goto(f"{live_server.url}/projets/nouveau/")
    page.locator("#id_title").fill("Ateliers d'éloquence")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    sheet = ProjectSheet.objects.get(title="Ateliers d'éloquence")
    # (The filling of every section is the subject of test_sheet_editing.)
    ProjectSheet.objects.filter(pk=sheet.pk).update(
        problem="Prise de parole difficile",
        qualitative_indicators="GPDS",
        quantitative_indicators="12 % d'absentéisme",
        gpds_associated="non",
        field="intervention",
        typology="module_relais",
        expected_pupils=10,
        pupil_levels="4e",
        pupil_profiles="Élèves en retrait",
        identification="GPDS",
        organisation="Le jeudi",
        start_date="2024-10-01",
        end_date="2025-05-30",
        key_moments="Concours en mai",
        staff_count=2,
        staff_roles="Professeurs",
        partners="Association",
        means_use="HSE",
    )
    sheet.objectives.create(position=1, text="Oser parler")
    sheet.criteria.create(position=1, text="Participation orale")
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Ateliers",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": 20,
                "hours_per_week": Decimal("1"),
                "speakers": 2,
            }
        ],
    )

    # The head submits: it waits for the network's opinion.
    log_in(page, live_server, "chef.college@aps.test")
    open_sheet(page, live_server, sheet)
    page.get_by_role("link", name="Déposer le projet").click()
    page.get_by_text("J'ai relu ce récapitulatif et je confirme le dépôt du projet").click()
    page.get_by_role("button", name="Déposer le projet").click()
    expect(page.get_by_text("Projet déposé : il attend l'avis du réseau FOQUALE.")).to_be_visible()

    # The network lead gives a favourable opinion.
    log_in(page, live_server, "foquale@aps.test")
    open_sheet(page, live_server, sheet)
    page.get_by_role("link", name="Donner l'avis du réseau").click()
    page.locator("label[for=id_value_0]").click()
    page.locator("#id_comment").fill("Projet cohérent avec le diagnostic du réseau.")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    expect(page.get_by_text("Avis enregistré")).to_be_visible()

    # The DSDEN asks for more information.
    log_in(page, live_server, "dsden93@aps.test")
    open_sheet(page, live_server, sheet)
    page.get_by_role("link", name="Répondre au projet").click()
    expect(
        page.get_by_text("Projet cohérent avec le diagnostic du réseau.", exact=True)
    ).to_be_visible()
    page.get_by_role("button", name="Demander des précisions").click()
    page.locator("#id_info-comment").fill("Précisez les partenaires associés.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_text("Demande envoyée")).to_be_visible()

    # The head completes the sheet and resubmits.
    log_in(page, live_server, "chef.college@aps.test")
    open_sheet(page, live_server, sheet)
    expect(page.get_by_text("Précisez les partenaires associés.", exact=True)).to_be_visible()
    page.get_by_role("link", name="Modifier").click()
    page.locator("#id_partners").fill("Association Éloquence 93 et médiathèque")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Modifications enregistrées.")).to_be_visible()
    page.get_by_role("link", name="Renvoyer avec une réponse").click()
    page.locator("#id_answer").fill("Partenaires précisés.")
    page.get_by_role("button", name="Renvoyer avec une réponse").click()
    expect(page.get_by_text("Projet renvoyé à la DSDEN")).to_be_visible()

    # The DSDEN sees what changed and validates with partial amounts.
    log_in(page, live_server, "dsden93@aps.test")
    page.goto(f"{live_server.url}/projets/{sheet.pk}/reponse/")
    changes = page.locator("section", has_text="Ce qui a changé depuis votre demande")
    expect(changes).to_contain_text("Association Éloquence 93 et médiathèque")
    page.locator("#id_validate-hse").fill("30")
    page.get_by_role("button", name="Valider", exact=True).click()
    expect(page.get_by_text("Projet validé : l'établissement est prévenu.")).to_be_visible()

    # The head sees the answer.
    log_in(page, live_server, "chef.college@aps.test")
    open_sheet(page, live_server, sheet)
    answer = page.locator("#answer")
    expect(answer).to_contain_text("Projet validé")
    expect(answer).to_contain_text("Financement partiel")
    expect(page.locator("#history")).to_contain_text("30 HSE")
    expect(page.locator("#history")).to_contain_text("(partiel)")
    grant = Grant.objects.get(sheet=sheet)
    assert (grant.hse, grant.requested_hse, grant.is_partial) == (
        Decimal("30"),
        Decimal("40.00"),
        True,
    )
