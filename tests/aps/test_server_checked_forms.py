"""No browser-native "required" bubble anywhere: every form is checked by the server, which
says its French messages in the error alert at the top of the page (aps/form_renderer.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from aps.models import User
from projects.models import ProjectSheet
from tests.form_errors import assert_error_links
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status
NATIVE_REQUIRED = re.compile(r"<(?:input|select|textarea)\b[^>]*\srequired(?:[\s>=/])")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}", re.S)


def test_every_form_of_the_templates_is_checked_by_the_server_only():
    forms = [
        (path.relative_to(TEMPLATES), tag)
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r"<form\b[^>]*>", COMMENT.sub("", path.read_text()))
        if 'method="get"' not in tag
    ]
    assert len(forms) > 15
    assert [(path, tag) for path, tag in forms if "novalidate" not in tag] == []


def page_of(client, email, url) -> str:
    client.force_login(User.objects.get(email=email))
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("email", "page", "state"),
    [
        (None, "login", None),
        (None, "password_reset", None),
        ("staff.college@aps.test", "password_change", None),
        ("staff.college@aps.test", "projects:sheet_create", None),
        ("staff.college@aps.test", "projects:sheet_edit", S.DRAFT),  # attachments too
        ("staff.college@aps.test", "funding:estimate", S.DRAFT),
        ("mlds@aps.test", "reviews:sheet_detail", S.DRAFT),  # the advice
        ("dsden93@aps.test", "reviews:answer", S.IN_REVIEW),
        ("dsden93@aps.test", "reviews:reopen", S.VALIDATED),
        ("chef.college@aps.test", "reviews:bilan", S.VALIDATED),
        ("academie@aps.test", "admin:projects_establishment_add", None),
    ],
)
def test_forms_carry_no_native_required_check(client, personas, today, email, page, state):
    if state is None:
        url = reverse(page)
    else:
        sheet = complete_sheet(state=state)
        args = [sheet.pk, "final"] if page == "reviews:bilan" else [sheet.pk]
        url = reverse(page, args=args)
    if email is None:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
    else:
        html = page_of(client, email, url)
    assert "<form" in html
    assert not NATIVE_REQUIRED.search(html), NATIVE_REQUIRED.search(html)[0]


def test_a_required_field_is_still_announced_to_assistive_technologies(client):
    page = client.get(reverse("login")).content.decode()
    username = re.search(r'<input[^>]*name="username"[^>]*>', page)[0]
    assert 'aria-required="true"' in username and " required" not in username


def test_an_empty_login_is_refused_by_the_server_in_french_at_the_top(client, personas):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    alert = assert_error_links(response, "id_username", "id_password")
    assert "Ce champ est obligatoire." in alert


def test_an_empty_advice_is_refused_by_the_server_in_french_at_the_top(client, personas, today):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="mlds@aps.test"))
    response = client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": ""})
    alert = assert_error_links(response, "id_text")
    assert "obligatoire" in alert
