"""The "Réponse de la DSDEN" block of a sheet's page, for everyone who sees the sheet: the
state, the date, requested | granted per kind of means with "partiel", the comment, the
request for precisions, and what the answer means; and the meanings on the answer page."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import ProjectSheet
from reviews.workflow import services
from reviews.workflow.table import ANSWER_MEANINGS
from tests.factories import transition

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status
EVERYONE = [
    "chef.college@aps.test",
    "staff.college@aps.test",
    "foquale@aps.test",
    "mlds@aps.test",
    "dsden93@aps.test",
    "academie@aps.test",
]


def user(email) -> User:
    return User.objects.get(email=email)


def answer_block(client, email, sheet) -> str:
    """The block's text, tags removed (empty when the page has none)."""
    client.force_login(user(email))
    page = client.get(sheet.get_absolute_url()).content.decode()
    found = re.search(r'<section class="aps-answer.*?</section>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found[0])).split()) if found else ""


@pytest.mark.parametrize("email", EVERYONE)
def test_everyone_who_sees_a_partial_grant_reads_granted_next_to_requested(
    client, personas, today, email
):
    sheet = complete_sheet(state=S.VALIDATED, grant={"hse": Decimal("15")})
    block = answer_block(client, email, sheet)
    assert block.startswith("Réponse de la DSDEN Projet validé Financement partiel")
    assert "Réponse du " in block and ", par Mehdi Ait Ali" in block
    assert "Moyens Demandé Accordé HSE 20 HSE 15 HSE partiel" in block.replace("\xa0", " ")
    assert ANSWER_MEANINGS["validate"] in block


def test_a_grant_in_full_is_not_partial(client, personas, today):
    sheet = complete_sheet(state=S.VALIDATED)
    block = answer_block(client, "chef.college@aps.test", sheet)
    assert "HSE 20 HSE 20 HSE" in block.replace("\xa0", " ")
    # Neither the badge nor a row says "partiel" (the meaning, below, does: "complet ou partiel").
    assert "partiel" not in block.split("Ce que signifie cette réponse")[0].lower()


def test_the_block_shows_the_grant_as_corrected_by_the_academie(client, personas, today):
    from funding.services import grant_correct

    sheet = complete_sheet(state=S.VALIDATED)
    grant_correct(
        sheet=sheet, by=user("academie@aps.test"), euros=Decimal(0), hse=Decimal(15), imp=Decimal(0)
    )
    block = answer_block(client, "staff.college@aps.test", sheet)
    assert "HSE 20 HSE 15 HSE partiel" in block.replace("\xa0", " ")


def test_the_validation_comment_is_shown(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    services.validate(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        euros=Decimal("0"),
        hse=Decimal("20"),
        imp=Decimal("0"),
        comment="Bravo pour le partenariat.",
        confirm_over_envelope=True,
    )
    block = answer_block(client, "staff.college@aps.test", sheet)
    assert "Commentaire de la DSDEN Bravo pour le partenariat." in block


def test_a_reopened_sheet_shows_its_answer_suspended(client, personas, today):
    sheet = complete_sheet(state=S.VALIDATED, grant={"hse": Decimal("15")})
    transition("reopen", sheet=sheet, by=user("academie@aps.test"), reason="Montant à revoir")
    block = answer_block(client, "chef.college@aps.test", sheet)
    assert "Projet validé — réponse suspendue" in block
    assert "Instruction rouverte le " in block and "par Pierre Lambert" in block
    assert "les moyens accordés avec elle ne valent plus" in block
    assert "Motif : « Montant à revoir »" in block
    assert "Accordé (suspendu)" in block


def test_a_rejected_sheet_shows_the_comment_and_what_the_answer_means(client, personas, today):
    sheet = complete_sheet(state=S.REJECTED)
    for email in EVERYONE:
        block = answer_block(client, email, sheet)
        assert block.startswith("Réponse de la DSDEN Projet non validé"), email
        assert "Commentaire de la DSDEN Hors du champ de la circulaire" in block
        assert ANSWER_MEANINGS["reject"] in block
        assert "Demandé" not in block  # nothing granted to compare


def test_a_request_for_precisions_shows_its_text_due_date_and_sections(client, personas, today):
    import datetime

    sheet = complete_sheet(state=S.IN_REVIEW)
    services.request_info(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        comment="Joignez la convention avec le lycée.",
        sections=["calendar", "attachments", "estimate"],
        due_date=datetime.date(2024, 6, 20),
    )
    client.force_login(user("chef.college@aps.test"))
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert 'href="#section-calendar">Calendrier</a>' in page
    assert 'href="#attachments">Pièces jointes</a>' in page
    assert f'href="{reverse("funding:estimate", args=[sheet.pk])}">Estimation du coût</a>' in page
    assert 'id="section-calendar"' in page and 'id="attachments"' in page
    block = answer_block(client, "chef.college@aps.test", sheet)
    assert "Précisions demandées" in block and "Demande du " in block
    assert "La DSDEN demande des précisions Joignez la convention avec le lycée." in block
    assert "À renvoyer avant le 20 juin 2024" in block
    assert "Compléter la fiche Renvoyer avec une réponse" in block
    assert ANSWER_MEANINGS["request_info"] in block
    # The staff completes the sheet; the head sends it back.
    staff = answer_block(client, "staff.college@aps.test", sheet)
    assert "Compléter la fiche" in staff and "Renvoyer avec une réponse" not in staff
    assert "Le chef ou la cheffe d'établissement renvoie ensuite la fiche" in staff
    # The DSDEN reads the same request, without the carrier's buttons.
    dsden = answer_block(client, "dsden93@aps.test", sheet)
    assert "Joignez la convention" in dsden and "Compléter la fiche" not in dsden


def test_an_answered_request_says_the_sheet_is_back_under_review(client, personas, today):
    sheet = complete_sheet(state=S.NEEDS_INFO)
    transition(
        "resubmit", sheet=sheet, by=user("chef.college@aps.test"), answer="Calendrier joint."
    )
    block = answer_block(client, "dsden93@aps.test", sheet)
    assert "Réponse de l'établissement, le " in block
    assert "« Calendrier joint. » — le projet est de nouveau à l'étude" in block


def test_a_sheet_waiting_for_its_answer_says_so(client, personas, today):
    submitted = complete_sheet(state=S.SUBMITTED)
    block = answer_block(client, "chef.college@aps.test", submitted)
    assert "En attente de la réponse" in block
    assert "attend d'abord l'avis du comité de pilotage du réseau FOQUALE" in block
    in_review = complete_sheet(state=S.IN_REVIEW)
    block = answer_block(client, "mlds@aps.test", in_review)
    assert "Le projet est à l'étude à la DSDEN depuis le " in block
    assert "HSE et IMP : réponse attendue avant le 31 octobre 2024." in block


def test_a_draft_has_no_answer_block(client, personas, today):
    sheet = complete_sheet()
    assert answer_block(client, "chef.college@aps.test", sheet) == ""


def test_the_answer_page_says_what_each_answer_means(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(user("dsden93@aps.test"))
    page = html.unescape(client.get(reverse("reviews:answer", args=[sheet.pk])).content.decode())
    for ident, key in (("validate", "validate"), ("info", "request_info"), ("reject", "reject")):
        panel = page.split(f'id="answer-{ident}"')[1].split("</form>")[0]
        assert ANSWER_MEANINGS[key] in panel, key
