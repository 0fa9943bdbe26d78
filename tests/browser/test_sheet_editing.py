"""A staff member files a sheet in two sittings in Chromium and ends with an empty checklist."""

import pytest
from playwright.sync_api import expect

from projects.models import ProjectSheet

pytestmark = pytest.mark.browser


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("demo-aps")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")


def test_staff_files_a_sheet_in_two_sittings(live_server, demo, page):
    log_in(page, live_server, "staff.college@aps.test")
    page.get_by_role("link", name="Nouvelle fiche projet").first.click()

    # First sitting: half of the sheet, then save.
    page.locator("#id_title").fill("Atelier théâtre et estime de soi")
    page.locator("#id_problem").fill("Des élèves de 4e décrochent en silence.")
    page.locator("#id_qualitative_indicators").fill("Retours du GPDS, conseils de classe.")
    page.locator("#id_quantitative_indicators").fill("Absentéisme de 12 % en 4e.")
    page.locator("label[for=id_gpds_associated_0]").click()
    page.locator("#id_gpds_consulted_on").fill("2024-04-11")
    page.locator("label[for=id_field_0]").click()
    page.locator("#id_typology").select_option(label="Module relais en établissement")
    page.locator("#id_objective_1").fill("Reprendre confiance par l'expression orale.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    checklist = page.locator("#checklist")
    expect(checklist).to_contain_text("Au moins un critère d'évaluation")
    expect(checklist).to_contain_text("Les partenaires associés")
    expect(checklist).not_to_contain_text("La problématique")
    sheet = ProjectSheet.objects.get(title="Atelier théâtre et estime de soi")
    assert sheet.status == ProjectSheet.Status.DRAFT

    # Second sitting: come back from "Mes projets" and complete the sheet.
    page.get_by_role("link", name="Mes projets", exact=True).first.click()
    page.get_by_role("link", name="Atelier théâtre et estime de soi").click()
    page.get_by_role("link", name="Modifier").click()
    expect(page.locator("#id_problem")).to_have_value("Des élèves de 4e décrochent en silence.")

    # A checklist item links to its field.
    checklist.get_by_role("link", name="Au moins un critère d'évaluation").click()
    expect(page.locator("#id_criterion_1")).to_be_focused()
    page.locator("#id_criterion_1").fill("Assiduité des élèves suivis.")
    page.locator("#id_expected_pupils").fill("12")
    page.locator("#id_pupil_levels").fill("4e")
    page.locator("#id_pupil_profiles").fill("Élèves en retrait, peu d'échanges.")
    page.locator("#id_identification").fill("GPDS, Parcours En Ligne.")
    page.locator("#id_organisation").fill("Deux heures le jeudi, au CDI.")
    page.locator("#id_start_date").fill("2024-11-04")
    page.locator("#id_end_date").fill("2025-05-30")
    page.locator("#id_key_moments").fill("Représentation en mai.")
    page.locator("#id_staff_count").fill("3")
    page.locator("#id_staff_roles").fill("Professeure de lettres, CPE.")
    page.locator("#id_partners").fill("Compagnie de théâtre du quartier.")
    page.locator("#id_means_use").fill("HSE et intervention.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    sheet.refresh_from_db()
    assert sheet.partners == "Compagnie de théâtre du quartier."
    assert [c.text for c in sheet.criteria.all()] == ["Assiduité des élèves suivis."]

    # Only the cost estimate is missing now; its checklist item leads to it.
    expect(checklist.get_by_role("listitem")).to_have_count(1)
    checklist.get_by_role("link", name="L'estimation du coût (au moins une ligne)").click()
    expect(page.get_by_role("heading", name="Estimation du coût de l'action")).to_be_visible()
    page.locator("#id_hse-0-activity").fill("Atelier théâtre")
    page.locator("#id_hse-0-speaker").select_option("titulaire")
    page.locator("#id_hse-0-hour_kind").select_option("face")
    page.locator("#id_hse-0-weeks").fill("20")
    page.locator("#id_hse-0-hours_per_week").fill("2")
    page.get_by_role("button", name="Enregistrer l'estimation").click()
    expect(page.locator("#estimate-totals")).to_contain_text("40 HSE")

    page.get_by_role("link", name="Revenir à la fiche").click()
    expect(checklist).to_contain_text("La fiche est complète.")


def test_leaving_with_unsaved_changes_asks_for_confirmation(live_server, demo, page):
    log_in(page, live_server, "staff.college@aps.test")
    page.goto(f"{live_server.url}/projets/nouveau/")
    page.locator("#id_title").fill("Texte non enregistré")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_role("link", name="Annuaire des établissements").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(page.locator("#id_title")).to_have_value("Texte non enregistré")
