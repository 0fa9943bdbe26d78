"""The workflow pages: who may open them (404 outside one's sheets, 403 without the role),
and what a POST writes."""

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import ProjectSheet
from reviews.models import Advice, SheetEvent

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status

# URL name → (state of the sheet, who may open the page (200), method)
PAGES = {
    "reviews:prevalidate": (S.SUBMITTED, {"foquale@aps.test"}),
    "reviews:answer": (S.IN_REVIEW, {"dsden93@aps.test"}),
    "reviews:resubmit": (S.NEEDS_INFO, {"chef.college@aps.test"}),
    "reviews:reopen": (S.VALIDATED, {"dsden93@aps.test", "academie@aps.test"}),
    "reviews:withdraw": (S.IN_REVIEW, {"chef.college@aps.test"}),
}
PERSONAS = [
    "staff.college@aps.test",
    "chef.college@aps.test",
    "chef.lycee@aps.test",
    "foquale@aps.test",
    "mlds@aps.test",
    "dsden93@aps.test",
    "dsden94@aps.test",
    "academie@aps.test",
]
SEES = {
    "staff.college@aps.test",
    "chef.college@aps.test",
    "mlds@aps.test",
    "dsden93@aps.test",
    "academie@aps.test",
    "foquale@aps.test",
}  # a filed sheet of the demo collège


@pytest.mark.parametrize("persona", PERSONAS)
def test_workflow_pages_by_role(client, demo, today, persona):
    client.force_login(User.objects.get(email=persona))
    mismatches = []
    for name, (state, allowed) in PAGES.items():
        sheet = complete_sheet(status=state)
        expected = 200 if persona in allowed else (403 if persona in SEES else 404)
        status = client.get(reverse(name, args=[sheet.pk])).status_code
        if status != expected:
            mismatches.append(f"{name}: {status} ≠ {expected}")
    assert mismatches == []


def test_anonymous_is_sent_to_login(client, demo, today):
    sheet = complete_sheet(status=S.IN_REVIEW)
    for name in [*PAGES, "reviews:submit", "reviews:advise"]:
        response = client.post(reverse(name, args=[sheet.pk]))
        assert response["Location"].startswith(reverse("login")), name


def test_head_submits_from_the_sheet_page(client, demo, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    assert "Déposer le projet" in client.get(sheet.get_absolute_url()).content.decode()
    response = client.post(reverse("reviews:submit", args=[sheet.pk]), follow=True)
    assert "Projet déposé : il attend l&#x27;avis du réseau FOQUALE." in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED


def test_staff_cannot_submit(client, demo, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    assert "Déposer le projet" not in client.get(sheet.get_absolute_url()).content.decode()
    assert client.post(reverse("reviews:submit", args=[sheet.pk])).status_code == 403


def test_double_submission_is_told_not_repeated(client, demo, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    client.post(reverse("reviews:submit", args=[sheet.pk]))
    response = client.post(reverse("reviews:submit", args=[sheet.pk]), follow=True)
    assert "Ce projet a déjà été déposé." in response.content.decode()
    assert SheetEvent.objects.filter(sheet=sheet).count() == 1


def test_refused_answer_keeps_the_form_and_writes_nothing(client, demo, today):
    sheet = complete_sheet(status=S.IN_REVIEW)
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


def test_second_reviewer_is_told_the_answer_was_given(client, demo, today):
    sheet = complete_sheet(status=S.IN_REVIEW)
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


def test_mlds_advises_any_state_and_the_establishment_sees_it(client, demo, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="mlds@aps.test"))
    client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "Associez le CIO."})
    assert Advice.objects.get(sheet=sheet).text == "Associez le CIO."
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT
    client.force_login(User.objects.get(email="staff.college@aps.test"))
    assert "Associez le CIO." in client.get(sheet.get_absolute_url()).content.decode()
    assert client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "x"}).status_code == 403
