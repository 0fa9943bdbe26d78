"""Submission: the recap the head confirms, the button disabled with its reasons while the sheet
cannot be submitted, the acknowledgement e-mail and the receipt ("accusé de dépôt")."""

import datetime
import html
import re
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from aps.models import User
from projects.models import FoqualeNetwork, ProjectSheet
from reviews.models import SheetEvent
from reviews.workflow import services
from reviews.workflow.submission import receipt_reference
from tests.factories import SheetFactory, add_estimate, transition

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status


def user(email) -> User:
    return User.objects.get(email=email)


def page_of(client, email, url) -> str:
    client.force_login(user(email))
    return html.unescape(client.get(url).content.decode())


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def recap_url(sheet) -> str:
    return reverse("reviews:submit", args=[sheet.pk])


# --- The recap ---------------------------------------------------------------------------


def test_recap_lists_means_deadlines_attachments_and_the_network_step(client, personas, today):
    sheet = complete_sheet(euros=True)
    page = page_of(client, "chef.college@aps.test", recap_url(sheet))
    means = page.split('id="recap-means"')[1].split("</section>")[0]
    assert "300,00\xa0€" in means and "20\xa0HSE" in means and "0\xa0IMP" in means
    deadlines = page.split('id="recap-deadlines"')[1].split("</section>")[0]
    assert "Crédits en euros : dépôt jusqu'au <strong>23 juin 2024</strong>" in deadlines
    assert "réponse de la DSDEN avant le 10 juillet 2024" in deadlines
    assert "HSE et IMP : dépôt jusqu'au <strong>15 septembre 2024</strong>" in deadlines
    assert "devis.pdf" in page.split('id="recap-attachments"')[1].split("</section>")[0]
    next_step = page.split('id="recap-next"')[1].split("</section>")[0]
    assert "comité de pilotage du Réseau FOQUALE Montreuil - Noisy-le-Sec" in next_step
    assert "J'ai relu ce récapitulatif et je confirme le dépôt du projet" in page
    assert 'name="confirm"' in page


def test_recap_of_a_network_sheet_says_it_goes_straight_to_the_dsden(client, personas, today):
    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=network, complete=True)
    page = page_of(client, "foquale@aps.test", recap_url(sheet))
    next_step = page.split('id="recap-next"')[1].split("</section>")[0]
    assert "transmis directement à la DSDEN 93 Seine-Saint-Denis" in next_step
    assert "comité de pilotage du" not in next_step
    # Only HSE requested: the HSE/IMP calendar alone.
    deadlines = page.split('id="recap-deadlines"')[1].split("</section>")[0]
    assert "HSE et IMP" in deadlines and "Crédits en euros" not in deadlines


def test_recap_of_an_incomplete_sheet_says_why_and_offers_no_confirmation(client, personas, today):
    sheet = SheetFactory(establishment=personas.college, title="À moitié")
    page = page_of(client, "chef.college@aps.test", recap_url(sheet))
    assert "Le projet ne peut pas encore être déposé" in page
    assert "La fiche est incomplète. Il manque : Diagnostic : la problématique" in page
    assert 'name="confirm"' not in page


def test_submission_without_the_confirmation_is_refused_and_changes_nothing(
    client, personas, today, django_capture_on_commit_callbacks
):
    from tests.form_errors import assert_error_links

    sheet = complete_sheet()
    client.force_login(user("chef.college@aps.test"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(recap_url(sheet), {})
    assert response.status_code == 200
    alert = assert_error_links(response, "id_confirm")
    assert "Cochez la case pour confirmer le dépôt du projet." in html.unescape(alert)
    sheet.refresh_from_db()
    assert (sheet.status, sheet.submitted_at) == (S.DRAFT, None)
    assert not SheetEvent.objects.filter(sheet=sheet).exists()
    assert mail.outbox == []


def test_confirmed_submission_from_the_recap_is_filed(client, personas, today):
    sheet = complete_sheet()
    client.force_login(user("chef.college@aps.test"))
    response = client.post(recap_url(sheet), {"confirm": "on"}, follow=True)
    assert "Un accusé de dépôt est envoyé par courriel" in html.unescape(response.content.decode())
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED


def test_staff_cannot_open_the_recap(client, personas, today):
    sheet = complete_sheet()
    client.force_login(user("staff.college@aps.test"))
    assert client.get(recap_url(sheet)).status_code == 403
    assert client.post(recap_url(sheet), {"confirm": "on"}).status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT


def test_refused_recap_says_who_submits(client, personas, today):
    """Still a 403, and its page says why: the head submits (the network's lead a network's
    sheet), rather than the generic refusal."""
    sheet = complete_sheet()
    client.force_login(user("staff.college@aps.test"))
    response = client.get(recap_url(sheet))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Seul le chef ou la cheffe d'établissement dépose la fiche projet" in page
    assert "Votre rôle ne vous permet pas" not in page

    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    filed = SheetFactory(establishment=None, network=network, in_review=True)
    client.force_login(user("dsden93@aps.test"))
    response = client.get(recap_url(filed))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Seul le ou la responsable du réseau FOQUALE dépose la fiche projet du réseau" in page


def test_other_refusals_keep_the_generic_page(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(user("staff.college@aps.test"))
    response = client.get(reverse("reviews:answer", args=[sheet.pk]))
    assert response.status_code == 403
    page = html.unescape(response.content.decode())
    assert "Votre rôle ne vous permet pas d'effectuer cette action sur cette page." in page
    assert "Seul le" not in page


# --- The button on the sheet's page ---------------------------------------------------------


def submit_box(page: str) -> str:
    return page.split('id="workflow"')[1].split("</section>")[0]


def test_submit_button_is_disabled_with_its_reason_while_the_sheet_is_incomplete(
    client, personas, today
):
    sheet = SheetFactory(establishment=personas.college, title="À moitié")
    box = submit_box(page_of(client, "chef.college@aps.test", sheet.get_absolute_url()))
    assert re.search(r'<button type="button" class="fr-btn" disabled[^>]*>Déposer le projet', box)
    assert recap_url(sheet) not in box
    assert "La fiche est incomplète : 21 éléments à renseigner" in box


def test_submit_button_is_disabled_after_the_deadline_of_euros(client, personas, today):
    sheet = complete_sheet(euros=True)
    today(datetime.date(2024, 6, 24))
    box = submit_box(page_of(client, "chef.college@aps.test", sheet.get_absolute_url()))
    assert "disabled" in box
    assert "se déposent jusqu'au 23 juin 2024 : ce délai est passé" in box


def test_submit_button_of_a_complete_sheet_opens_the_recap(client, personas, today):
    sheet = complete_sheet()
    box = submit_box(page_of(client, "chef.college@aps.test", sheet.get_absolute_url()))
    assert f'<a class="fr-btn" href="{recap_url(sheet)}">Déposer le projet</a>' in box
    assert "disabled" not in box


def test_staff_reads_that_the_head_submits(client, personas, today):
    sheet = complete_sheet()
    box = submit_box(page_of(client, "staff.college@aps.test", sheet.get_absolute_url()))
    assert "Le chef ou la cheffe d'établissement dépose la fiche une fois complète." in box
    assert "Déposer le projet" not in box


# --- The acknowledgement e-mail ------------------------------------------------------------


def submit(sheet, email, capture):
    with capture(execute=True):
        return services.submit(sheet=sheet, by=user(email))


def test_acknowledgement_goes_to_the_head_and_the_staff(
    personas, today, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://aps.example.fr/"
    sheet = complete_sheet()
    submit(sheet, "chef.college@aps.test", django_capture_on_commit_callbacks)
    receipts = [m for m in mail.outbox if "Accusé de dépôt" in m.subject]
    assert sorted(m.to[0] for m in receipts) == ["chef.college@aps.test", "staff.college@aps.test"]
    message = receipts[0]
    assert message.subject == f"APS — Accusé de dépôt : {sheet.title}"
    sheet.refresh_from_db()
    assert f"Référence du dépôt : APS-2024-2025-93-{sheet.pk:06d}" in message.body
    assert "Moyens demandés : 0,00\xa0€, 20\xa0HSE, 0\xa0IMP." in message.body
    assert "le comité de pilotage du réseau FOQUALE donne son avis" in message.body
    assert "HSE et IMP : réponse de la DSDEN attendue avant le 31 octobre 2024." in message.body
    assert f"https://aps.example.fr/projets/{sheet.pk}/\n" in message.body
    assert f"https://aps.example.fr/projets/{sheet.pk}/accuse-de-depot.pdf" in message.body
    # The network hears of it as before, and only the network.
    announced = [m for m in mail.outbox if m not in receipts]
    assert [m.to for m in announced] == [["foquale@aps.test"]]


def test_acknowledgement_of_a_network_sheet_goes_to_its_lead(
    personas, today, django_capture_on_commit_callbacks
):
    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=network, complete=True)
    submit(sheet, "foquale@aps.test", django_capture_on_commit_callbacks)
    receipts = [m for m in mail.outbox if "Accusé de dépôt" in m.subject]
    assert [m.to for m in receipts] == [["foquale@aps.test"]]
    assert "la DSDEN étudie le projet" in receipts[0].body


# --- The receipt (PDF) -----------------------------------------------------------------------


def test_receipt_says_the_sheet_carrier_moment_means_and_reference(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(user("dsden93@aps.test"))
    response = client.get(reverse("reviews:receipt_pdf", args=[sheet.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "accuse-de-depot-2024-2025" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    submitted = timezone.localtime(sheet.submitted_at)
    for expected in (
        "Accusé de dépôt",
        f"Référence : APS-2024-2025-93-{sheet.pk:06d}",
        sheet.title,
        "Collège Jacques Prévert",
        "UAI 0931610V",
        "Ville Noisy-le-Sec",
        f"Déposé le {date_format(submitted, 'j F Y')} à {submitted:%H:%M}",
        "Déposé par Claire Martin",
        "Moyens demandés à la DSDEN",
        "0,00 €",
        "20 HSE",
        " 0 IMP",
    ):
        assert expected.replace("\xa0", " ") in text.replace("\xa0", " "), expected


def test_receipt_keeps_the_means_requested_when_submitted(client, personas, today):
    sheet = complete_sheet(state=S.NEEDS_INFO)
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Atelier",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": 30,
                "hours_per_week": Decimal("2"),
                "speakers": 1,
            }
        ],
    )
    sheet.refresh_from_db()
    assert sheet.requested_hse == 60  # completed after the request
    client.force_login(user("chef.college@aps.test"))
    text = pdf_text(client.get(reverse("reviews:receipt_pdf", args=[sheet.pk])).content)
    text = text.replace("\xa0", " ")
    assert "20 HSE" in text and "60 HSE" not in text


def test_receipt_exists_only_once_submitted_and_in_ones_scope(client, personas, today):
    draft = complete_sheet()
    client.force_login(user("chef.college@aps.test"))
    assert client.get(reverse("reviews:receipt_pdf", args=[draft.pk])).status_code == 404
    assert "Accusé de dépôt" not in client.get(draft.get_absolute_url()).content.decode()
    transition("submit", sheet=draft, by=user("chef.college@aps.test"))
    assert client.get(reverse("reviews:receipt_pdf", args=[draft.pk])).status_code == 200
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'href="{reverse("reviews:receipt_pdf", args=[draft.pk])}"' in page
    for outsider in ("dsden94@aps.test", "chef.lycee@aps.test"):
        client.force_login(user(outsider))
        assert client.get(reverse("reviews:receipt_pdf", args=[draft.pk])).status_code == 404


def test_receipt_reference_is_stable_and_unique(personas, today):
    first, second = complete_sheet(state=S.IN_REVIEW), complete_sheet(state=S.IN_REVIEW)
    assert receipt_reference(first) != receipt_reference(second)
    again = ProjectSheet.objects.select_related("campaign", "department").get(pk=first.pk)
    assert (
        receipt_reference(again) == receipt_reference(first) == (f"APS-2024-2025-93-{first.pk:06d}")
    )


def test_receipt_of_a_network_sheet_names_the_network_and_its_lead_establishment(
    client, personas, today
):
    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=network, complete=True)
    services.submit(sheet=sheet, by=user("foquale@aps.test"))
    client.force_login(user("foquale@aps.test"))
    text = " ".join(
        pdf_text(client.get(reverse("reviews:receipt_pdf", args=[sheet.pk])).content).split()
    )
    assert "Réseau FOQUALE porteur Réseau FOQUALE Montreuil - Noisy-le-Sec" in text
    assert "Établissement support Lycée général et technologique Olympe de Gouges" in text
    assert "UAI 0930123D" in text
    assert "transmis directement à la DSDEN 93 Seine-Saint-Denis" in text
