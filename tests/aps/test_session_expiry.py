"""The login page says why it is shown after a session expired, and only then (not on a first
visit, nor after signing out)."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db
EXPIRED = "Votre session a expiré, reconnectez-vous."


def sign_in(client, email="staff.college@aps.test"):
    response = client.post(reverse("login"), {"username": email, "password": "demo-aps"})
    assert response.status_code == 302
    client.get(reverse("home"))


def expire(client):
    """The server forgets the session (its age passed); the browser still sends its cookies."""
    Session.objects.all().delete()


def test_a_first_visit_to_the_login_page_says_nothing_of_a_session(client, personas):
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "Connexion à APS" in page and "session" not in page


def test_the_login_page_after_an_expired_session_says_why(client, personas):
    sign_in(client)
    expire(client)
    response = client.get(reverse("reviews:sheet_list"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert EXPIRED in page
    assert page.index(EXPIRED) < page.index('name="username"')
    # A refused attempt is about the password, not the session any more
    refused = client.post(reverse("login"), {"username": "staff.college@aps.test", "password": "x"})
    assert EXPIRED not in refused.content.decode()


def test_the_login_page_after_signing_out_says_nothing_of_a_session(client, personas):
    sign_in(client)
    response = client.post(reverse("logout"), follow=True)
    assert "Connexion à APS" in response.content.decode()
    assert EXPIRED not in client.get(reverse("login")).content.decode()
    assert EXPIRED not in client.get(reverse("home"), follow=True).content.decode()


def test_the_login_page_says_what_was_typed_will_come_back(client, personas):
    from projects.models import Establishment
    from tests.factories import SheetFactory

    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0931610V"))
    sign_in(client, "staff.college@aps.test")
    edit_url = reverse("projects:sheet_edit", args=[sheet.pk])
    token = re.search(r'name="_aps_owner" value="([^"]+)"', client.get(edit_url).content.decode())
    expire(client)
    response = client.post(edit_url, {"title": "Tapé", "_aps_owner": token[1]}, follow=True)
    page = response.content.decode()
    assert EXPIRED in page
    assert "Ce que vous étiez en train de saisir vous sera rendu après la connexion." in page
