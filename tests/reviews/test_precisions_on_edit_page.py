"""While the DSDEN awaits precisions, the edit page says its request, marks the sections it
names in the form, and words its buttons and side box for that state."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from aps.models import User
from projects.forms import SheetForm
from projects.models import ProjectSheet
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status


def user(email) -> User:
    return User.objects.get(email=email)


def asked(sections=("calendar", "partners")):
    sheet = complete_sheet(state=S.IN_REVIEW)
    services.request_info(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        comment="Précisez le calendrier et les partenaires.",
        sections=list(sections),
        due_date=datetime.date(2024, 6, 20),
    )
    sheet.refresh_from_db()
    return sheet


def edit_page(client, email, sheet) -> str:
    client.force_login(user(email))
    return html.unescape(
        client.get(reverse("projects:sheet_edit", args=[sheet.pk])).content.decode()
    )


def legend(page: str, key: str) -> str:
    return re.search(rf'<legend[^>]*id="section-{key}-legend">(.*?)</legend>', page, re.S)[1]


def test_the_edit_page_shows_the_request_and_marks_the_sections_it_names(client, personas, today):
    sheet = asked()
    page = edit_page(client, "staff.college@aps.test", sheet)
    request = page.split('id="info-request"')[1].split("</div>")[0]
    assert "La DSDEN demande des précisions" in request
    assert "Précisez le calendrier et les partenaires." in request
    assert "à renvoyer avant le <strong>20 juin 2024</strong>" in request
    assert '<a href="#section-calendar">Calendrier</a>' in request
    assert '<a href="#section-partners">Partenaires associés</a>' in request
    for key in ("calendar", "partners"):
        assert "Précisions demandées" in legend(page, key), key
        assert re.search(rf'class="fr-fieldset[^"]*aps-fieldset--asked"\s+id="section-{key}"', page)
    for key in ("diagnostic", "public", "means"):
        assert "Précisions demandées" not in legend(page, key), key


def test_the_edit_page_is_worded_for_precisions(client, personas, today):
    sheet = asked()
    page = edit_page(client, "chef.college@aps.test", sheet)
    assert re.search(r'<button type="submit"[^>]*>Enregistrer</button>', page)
    assert "Enregistrer le brouillon" not in page
    assert "Avant le dépôt" not in page and "Complétude de la fiche" in page
    resubmit = reverse("reviews:resubmit", args=[sheet.pk])
    assert f'href="{resubmit}">Renvoyer avec une réponse</a>' in page
    # The staff edits; the head sends it back.
    staff = edit_page(client, "staff.college@aps.test", sheet)
    assert resubmit not in staff
    assert "le chef ou la cheffe d'établissement la renvoie ensuite à la DSDEN" in staff


def test_saving_while_precisions_are_requested_is_not_a_draft(client, personas, today):
    sheet = asked()
    client.force_login(user("staff.college@aps.test"))
    # The form as the page fills it, one section changed.
    data = {k: v for k, v in SheetForm(instance=sheet).initial.items() if v is not None}
    data |= {"partners": "Mission locale et lycée Olympe de Gouges"}
    response = client.post(reverse("projects:sheet_edit", args=[sheet.pk]), data, follow=True)
    page = html.unescape(response.content.decode())
    assert "Modifications enregistrées. Une fois la fiche complétée, renvoyez-la" in page
    assert "Brouillon enregistré" not in page
    sheet.refresh_from_db()
    assert sheet.partners == "Mission locale et lycée Olympe de Gouges"
    assert sheet.status == S.NEEDS_INFO


def test_a_draft_edit_page_keeps_its_draft_wording(client, personas, today):
    sheet = complete_sheet()
    page = edit_page(client, "staff.college@aps.test", sheet)
    assert "Enregistrer le brouillon" in page and "Avant le dépôt" in page
    assert 'id="info-request"' not in page and "Précisions demandées" not in page


def test_a_resubmitted_sheet_is_no_longer_editable(client, personas, today):
    sheet = asked()
    services.resubmit(sheet=sheet, by=user("chef.college@aps.test"), answer="Fait.")
    client.force_login(user("staff.college@aps.test"))
    assert client.get(reverse("projects:sheet_edit", args=[sheet.pk])).status_code == 403
