"""The workflow pages: who may open them (404 outside one's sheets, 403 without the role),
and what a POST writes."""

import html

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import ProjectSheet
from reviews.models import Advice, SheetEvent

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status

# The workflow's pages (who opens them: tests/test_access_matrix.py) and the state they need.
PAGES = {
    "reviews:prevalidate": S.SUBMITTED,
    "reviews:answer": S.IN_REVIEW,
    "reviews:resubmit": S.NEEDS_INFO,
    "reviews:reopen": S.VALIDATED,
    "reviews:withdraw": S.IN_REVIEW,
}


def test_anonymous_posting_to_a_workflow_page_is_sent_to_login(client, personas, today):
    """The access matrix GETs these pages; their POST is refused the same way."""
    sheet = complete_sheet(state=S.IN_REVIEW)
    for name in PAGES:
        response = client.post(reverse(name, args=[sheet.pk]))
        assert response["Location"].startswith(reverse("login")), name


def test_head_submits_from_the_sheet_page_through_the_recap(client, personas, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    submit_url = reverse("reviews:submit", args=[sheet.pk])
    assert (
        f'href="{submit_url}">Déposer le projet'
        in client.get(sheet.get_absolute_url()).content.decode()
    )
    response = client.post(submit_url, {"confirm": "on"}, follow=True)
    assert "Projet déposé : il attend l&#x27;avis du réseau FOQUALE." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED


def test_staff_cannot_submit(client, personas, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    assert "Déposer le projet" not in client.get(sheet.get_absolute_url()).content.decode()
    assert client.post(reverse("reviews:submit", args=[sheet.pk])).status_code == 403


def test_double_submission_is_told_not_repeated(client, personas, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    client.post(reverse("reviews:submit", args=[sheet.pk]), {"confirm": "on"})
    response = client.post(
        reverse("reviews:submit", args=[sheet.pk]), {"confirm": "on"}, follow=True
    )
    assert "Ce projet a déjà été déposé." in response.content.decode()
    assert SheetEvent.objects.filter(sheet=sheet).count() == 1


def test_refused_answer_keeps_the_form_and_writes_nothing(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {
            "action": "validate",
            "validate-euros": "0",
            "validate-hse": "25",
            "validate-imp": "0",
            "validate-comment": "Mon commentaire",
        },
    )
    page = response.content.decode()
    assert "inférieure ou égale à 20" in page and "Mon commentaire" in page
    sheet.refresh_from_db()
    assert sheet.status == S.IN_REVIEW


def test_a_zero_grant_is_refused_on_the_answer_page_beside_the_amounts(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {"action": "validate", "validate-euros": "0", "validate-hse": "0", "validate-imp": "0"},
    )
    from tests.form_errors import assert_error_links

    alert = assert_error_links(response, "id_validate-euros")
    assert "au moins un montant doit être supérieur à zéro" in alert
    assert "choisissez « Ne pas valider le projet »" in html.unescape(response.content.decode())
    sheet.refresh_from_db()
    assert sheet.status == S.IN_REVIEW
    response = client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {"action": "validate", "validate-euros": "0", "validate-hse": "12", "validate-imp": "0"},
    )
    sheet.refresh_from_db()
    assert sheet.status == S.VALIDATED


def test_second_reviewer_is_told_the_answer_was_given(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {"action": "reject", "reject-comment": "Hors champ"},
    )
    response = client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {"action": "validate", "validate-euros": "0", "validate-hse": "20", "validate-imp": "0"},
        follow=True,
    )
    assert "Ce projet a déjà reçu une réponse." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == S.REJECTED


def test_mlds_advises_any_state_and_the_establishment_sees_it(client, personas, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="mlds@aps.test"))
    client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "Associez le CIO."})
    assert Advice.objects.get(sheet=sheet).text == "Associez le CIO."
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    assert "Associez le CIO." in client.get(sheet.get_absolute_url()).content.decode()
    assert client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "x"}).status_code == 403


def test_refused_answer_says_its_errors_at_the_top(client, personas, today):
    from tests.form_errors import assert_error_links

    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.post(
        reverse("reviews:answer", args=[sheet.pk]),
        {
            "action": "validate",
            "validate-euros": "0",
            "validate-hse": "vingt-cinq",
            "validate-imp": "0",
            "validate-comment": "Mon commentaire",
        },
    )
    assert_error_links(response, "id_validate-hse")
    assert "vingt-cinq" in response.content.decode()


def test_refused_transition_page_says_its_errors_at_the_top(client, personas, today):
    from tests.form_errors import assert_error_links

    sheet = complete_sheet(state=S.VALIDATED)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.post(reverse("reviews:reopen", args=[sheet.pk]), {"reason": ""})
    assert response.status_code == 200
    alert = assert_error_links(response, "id_reason")
    assert "Motif" in alert


def test_refused_advice_keeps_the_text_and_says_its_error_at_the_top(client, personas, today):
    from tests.form_errors import assert_error_links

    sheet = complete_sheet()
    client.force_login(User.objects.get(email="mlds@aps.test"))
    response = client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "x" * 5001})
    assert response.status_code == 200
    assert_error_links(response, "id_text")
    assert "x" * 5001 in response.content.decode()
    assert not Advice.objects.exists()


def breadcrumb(page: str) -> list[str]:
    """The DSFR breadcrumb's items, in order."""
    trail = page.split('class="fr-breadcrumb__list"')[1].split("</ol>")[0]
    return [item.split(">", 1)[1].split("</a>")[0] for item in trail.split("<a ")[1:]]


def test_answer_and_opinion_pages_say_where_they_are(client, personas, today):
    """Mes projets › the sheet › the page, as on the estimate and edit pages."""
    sheet = complete_sheet(state=S.SUBMITTED)
    for email, name, current in (
        ("dsden93@aps.test", "reviews:answer", "Réponse de la DSDEN"),
        ("foquale@aps.test", "reviews:prevalidate", "Avis du comité de pilotage FOQUALE"),
    ):
        client.force_login(User.objects.get(email=email))
        page = client.get(reverse(name, args=[sheet.pk])).content.decode()
        assert breadcrumb(page) == ["Mes projets", sheet.title, current], name
        assert f'href="{sheet.get_absolute_url()}">{sheet.title}</a></li>' in page
        assert 'aria-current="page">' + current in page


def test_answer_page_puts_the_answer_before_the_sheets_summary(client, personas, today):
    """In the page's order (a phone shows it so, and the keyboard reaches it so): the three
    answers, then the means requested, the opinion, attachments and history."""
    sheet = complete_sheet(state=S.SUBMITTED)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    page = client.get(reverse("reviews:answer", args=[sheet.pk])).content.decode()
    answers = page.index('id="answer-forms"')
    assert answers < page.index('id="answer-validate"') < page.index('id="sheet-summary"')
    assert page.index('id="sheet-summary"') < page.index('id="requested-title"')
    # The network's opinion not given yet: said beside the answers
    assert answers < page.index("pas encore été donné") < page.index('id="sheet-summary"')
