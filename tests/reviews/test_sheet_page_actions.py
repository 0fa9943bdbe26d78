"""The sheet page's actions and links: one of "Supprimer" (a draft) or "Retirer" (a filed
sheet) per state, a refusal said at the top with a title starting "Erreur : ", and last year's
sheet linking to its renewal."""

import html
import re

import pytest
from django.urls import reverse

from aps.models import User
from projects.models import ProjectSheet
from projects.services import sheet_renew, sheet_version
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status
DELETE = 'fr-icon-delete-line fr-btn--icon-left" href="/projets/{pk}/supprimer/">Supprimer</a>'
WITHDRAW = 'href="/projets/{pk}/retirer/">Retirer le projet</a>'


def user(email) -> User:
    return User.objects.get(email=email)


def sheet_page(client, email, sheet) -> str:
    client.force_login(user(email))
    return client.get(sheet.get_absolute_url()).content.decode()


def title_of(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip()


def test_a_draft_offers_delete_and_not_withdraw(client, personas, today):
    sheet = complete_sheet()
    page = sheet_page(client, "chef.college@aps.test", sheet)
    assert DELETE.format(pk=sheet.pk) in page
    assert WITHDRAW.format(pk=sheet.pk) not in page
    assert client.get(reverse("reviews:withdraw", args=[sheet.pk])).status_code == 403


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO])
def test_a_filed_sheet_offers_withdraw_and_not_delete(client, personas, today, state):
    sheet = complete_sheet(state=state)
    page = sheet_page(client, "chef.college@aps.test", sheet)
    assert WITHDRAW.format(pk=sheet.pk) in page
    assert "/supprimer/" not in page
    assert client.get(reverse("projects:sheet_delete", args=[sheet.pk])).status_code == 403


@pytest.mark.parametrize("state", [S.VALIDATED, S.REJECTED, S.WITHDRAWN])
def test_an_answered_or_withdrawn_sheet_offers_neither(client, personas, today, state):
    sheet = complete_sheet(state=state)
    page = sheet_page(client, "chef.college@aps.test", sheet)
    assert "/retirer/" not in page and "/supprimer/" not in page


def test_a_draft_is_not_withdrawn_but_deleted(personas, today):
    sheet = complete_sheet()
    with pytest.raises(services.ReviewError, match="il ne se retire pas, il se supprime"):
        services.withdraw(sheet=sheet, by=user("chef.college@aps.test"))
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT


def test_the_head_withdraws_a_filed_sheet_and_the_staff_may_not(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    client.force_login(user("staff.college@aps.test"))
    assert client.post(reverse("reviews:withdraw", args=[sheet.pk]), {}).status_code == 403
    client.force_login(user("chef.college@aps.test"))
    response = client.post(reverse("reviews:withdraw", args=[sheet.pk]), {"comment": ""})
    assert response["Location"] == sheet.get_absolute_url()
    sheet.refresh_from_db()
    assert sheet.status == S.WITHDRAWN


# --- Refusals that are no form's errors --------------------------------------------------------


def test_a_workflow_refusal_after_a_redirect_is_said_at_the_top_with_an_error_title(
    client, personas, today
):
    sheet = complete_sheet(state=S.SUBMITTED)
    client.force_login(user("chef.college@aps.test"))
    response = client.post(reverse("reviews:submit", args=[sheet.pk]), {"confirm": "on"})
    assert response["Location"] == sheet.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert title_of(page).startswith("Erreur : ")
    main = page[page.index('<main id="content"') :]
    alert = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*" role="alert"[^>]*>.*?</div>', main, re.S
    )
    assert alert and "Ce projet a déjà été déposé." in alert[0]
    assert "data-refusal" in alert[0]
    assert main.index(alert[0]) < main.index("<h1>")
    # Said once: the next page is no error.
    assert not title_of(client.get(sheet.get_absolute_url()).content.decode()).startswith("Erreur")


def test_a_sheet_changed_meanwhile_is_said_at_the_top_with_an_error_title(client, personas, today):
    sheet = complete_sheet()
    opened = sheet_version(sheet)
    client.force_login(user("staff.college@aps.test"))
    url = reverse("projects:sheet_edit", args=[sheet.pk])
    client.post(url, {"title": "Premier", "version": opened})
    response = client.post(url, {"title": "Second", "version": opened})
    page = response.content.decode()
    assert response.status_code == 200
    assert title_of(page).startswith("Erreur : ")
    alert = re.search(
        r'<div class="fr-alert fr-alert--error[^"]*" role="alert".*?</div>', page, re.S
    )
    assert "modifiée entre-temps" in html.unescape(alert[0])
    assert 'value="Second"' in page  # what was typed is kept
    sheet.refresh_from_db()
    assert sheet.title == "Premier"


# --- Renewal ---------------------------------------------------------------------------------


def test_last_years_sheet_links_to_its_renewal(client, personas, today):
    previous = complete_sheet(state=S.VALIDATED)
    ProjectSheet.objects.filter(pk=previous.pk).update(campaign=personas.previous_campaign)
    previous.refresh_from_db()
    renewal = sheet_renew(sheet=previous, by=user("staff.college@aps.test"))
    page = html.unescape(sheet_page(client, "chef.college@aps.test", previous))
    assert f'Renouvelée en 2024-2025 : <a href="{renewal.get_absolute_url()}">' in page
    # The renewal links back.
    back = html.unescape(sheet_page(client, "chef.college@aps.test", renewal))
    assert f'<a href="{previous.get_absolute_url()}">la fiche 2023-2024</a>' in back
    # The DSDEN does not see the renewal while it is a draft: no link.
    assert "Renouvelée en" not in sheet_page(client, "dsden93@aps.test", previous)
