import re

import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from projects.models import Establishment
from tests.factories import EstablishmentFactory, UserFactory, department

pytestmark = pytest.mark.django_db


def login(client, email):
    client.force_login(User.objects.get(email=email))


def test_login_with_email_in_any_case_lands_on_home(client, personas):
    response = client.post(
        reverse("login"), {"username": "Chef.College@APS.test", "password": "demo-aps"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Bonjour Claire Martin" in response.content.decode()


def test_wrong_password_is_refused_in_french_and_keeps_the_email(client, personas):
    response = client.post(
        reverse("login"), {"username": "chef.college@aps.test", "password": "faux"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in page
    assert 'value="chef.college@aps.test"' in page


def test_logout_is_a_post_and_ends_the_session(client, personas):
    login(client, "staff.college@aps.test")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_head_home_shows_roles_and_establishment_card(client, personas):
    login(client, "chef.college@aps.test")
    page = client.get(reverse("home")).content.decode()
    assert "Chef·fe d&#x27;établissement" in page or "Chef·fe d'établissement" in page
    assert "Collège Jacques Prévert" in page
    assert "0931610V" in page
    assert "Montreuil - Noisy-le-Sec" in page  # district
    assert "Réseau FOQUALE Montreuil - Noisy-le-Sec" in page
    assert "Campagne en cours : <strong>2024-2025</strong>" in page
    assert "Date limite : actions demandant des euros" in page
    assert "Mon établissement" in page


def test_dsden_home_shows_department_scope_and_no_establishment_card(client, personas):
    login(client, "dsden94@aps.test")
    page = client.get(reverse("home")).content.decode()
    assert "94 Val-de-Marne" in page
    assert 'id="establishment-' not in page
    assert "Mon établissement" not in page
    assert reverse("admin:index") not in page


def test_academie_navigation_links_to_admin(client, personas):
    login(client, "academie@aps.test")
    page = client.get(reverse("home")).content.decode()
    assert "académie de Créteil" in page  # the académie's role covers its académie
    assert f'href="{reverse("admin:index")}"' in page


def test_user_without_role_is_told_whom_to_contact(client):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert "Aucun rôle ne vous est attribué" in page


@pytest.fixture
def directory(db):
    EstablishmentFactory(uai="0931610V", name="Collège Jacques Prévert", city="Noisy-le-Sec")
    EstablishmentFactory(
        uai="0930123D", name="Lycée Olympe de Gouges", city="Noisy-le-Sec", lycee=True
    )
    EstablishmentFactory(
        uai="0941918Z",
        name="Collège privé Saint-Joseph",
        city="Créteil",
        department=department("94"),
        sector=Establishment.Sector.PRIVATE,
    )
    for n in range(30):
        EstablishmentFactory(name=f"Collège Zola {n:02d}", city="Bobigny")


def directory_names(client, **params):
    page = client.get(reverse("projects:establishment_list"), params).content.decode()
    return re.findall(r'<a href="/etablissements/\w+/">([^<]+)</a></td>', page)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "prévert"}, ["Collège Jacques Prévert"]),
        ({"q": "0930123d"}, ["Lycée Olympe de Gouges"]),
        ({"q": "créteil"}, ["Collège privé Saint-Joseph"]),
        ({"q": "noisy collège"}, ["Collège Jacques Prévert"]),
        ({"kind": "lycee_gt"}, ["Lycée Olympe de Gouges"]),
        ({"sector": "private"}, ["Collège privé Saint-Joseph"]),
        ({"department": "94"}, ["Collège privé Saint-Joseph"]),
        ({"department": "93", "kind": "lycee_gt"}, ["Lycée Olympe de Gouges"]),
        ({"q": "introuvable"}, []),
        # Neither case nor accents matter
        ({"q": "PREVERT"}, ["Collège Jacques Prévert"]),
        ({"q": "creteil saint-joseph"}, ["Collège privé Saint-Joseph"]),
    ],
)
def test_directory_filters(client, directory, params, expected):
    client.force_login(UserFactory())
    assert directory_names(client, **params) == expected


def test_directory_is_paginated_by_25_and_keeps_filters(client, directory):
    client.force_login(UserFactory())
    first = client.get(reverse("projects:establishment_list"), {"department": "93"})
    page = first.content.decode()
    assert "<strong>32</strong> établissements" in page
    assert page.count('"><a href="/etablissements/') == 25
    assert "page=2" in page and "department=93" in page
    second = client.get(reverse("projects:establishment_list"), {"department": "93", "page": 2})
    assert second.content.decode().count('"><a href="/etablissements/') == 7


def test_directory_detail_shows_the_establishment_and_404_for_unknown_uai(client, personas):
    seine_saint_denis = department("93")  # its mailbox is the académie's data
    seine_saint_denis.dsden_email = "ce.93mlds@ac-creteil.fr"
    seine_saint_denis.save()
    client.force_login(UserFactory())
    page = client.get(reverse("projects:establishment_detail", args=["0930123d"])).content.decode()
    assert "Lycée général et technologique Olympe de Gouges" in page
    assert "ce.93mlds@ac-creteil.fr" in page
    assert "Réseau FOQUALE Montreuil - Noisy-le-Sec" in page
    missing = client.get(reverse("projects:establishment_detail", args=["0930000Z"]))
    assert missing.status_code == 404


def test_password_change_keeps_the_user_logged_in(client, personas):
    login(client, "staff.lycee@aps.test")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "demo-aps",
            "new_password1": "Persévérance-2025!",
            "new_password2": "Persévérance-2025!",
        },
        follow=True,
    )
    assert "Votre nouveau mot de passe est enregistré" in response.content.decode()
    user = response.context["user"]
    user.refresh_from_db()
    assert user.check_password("Persévérance-2025!")


def test_password_change_errors_are_shown_in_french(client, personas):
    login(client, "staff.lycee@aps.test")
    response = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "abc", "new_password2": "abd"},
    )
    page = response.content.decode()
    assert "Votre ancien mot de passe est incorrect" in page
    assert "fr-input-group--error" in page


def test_password_reset_sends_a_french_link_that_works(client, personas, settings):
    settings.SITE_URL = "http://testserver"  # the link is built on SITE_URL
    response = client.post(reverse("password_reset"), {"email": "chef.lycee@aps.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "APS — réinitialisation de votre mot de passe"
    assert "Bonjour Sophie Durand" in message.body
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in form_page.content.decode()


def test_pages_carry_a_csp_with_script_nonce_and_no_inline_scripts(client, personas):
    login(client, "chef.college@aps.test")
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy)[1]
    assert "'nonce-" in script_src
    assert "unsafe-inline" not in script_src
    nonce = re.search(r"'nonce-([^']+)'", script_src)[1]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_refused_password_change_says_its_errors_at_the_top(client, personas):
    from tests.form_errors import assert_error_links

    login(client, "staff.lycee@aps.test")
    response = client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": "abc", "new_password2": "abd"},
    )
    alert = assert_error_links(response, "id_old_password", "id_new_password2")
    assert "Votre ancien mot de passe est incorrect" in alert
