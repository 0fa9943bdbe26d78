"""The login lock (django-axes) against its bypasses: every spelling of an address shares one
counter, and one IP trying a few passwords on many accounts is locked too — on the site's
login page and on the admin's."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from reviews.demo.directory import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SITE = reverse("login")
ADMIN = reverse("admin:login")
LOCKED = "Connexion temporairement bloquée"
SPELLINGS = ["STAFF.LYCEE@APS.TEST", "Staff.Lycee@aps.test", "  staff.lycee@aps.test  "]


def fail(client, url, email, times=1, **extra):
    for _ in range(times):
        response = client.post(url, {"username": email, "password": "mauvais"}, **extra)
        assert response.status_code in (200, 429)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_locked_address_stays_locked_under_another_spelling_on_the_site(
    client, personas, settings, spelling
):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, SITE, "staff.lycee@aps.test", times=5)
    response = client.post(SITE, {"username": spelling, "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize(
    "spelling", ["ACADEMIE@APS.TEST", "Academie@Aps.Test", " academie@aps.test "]
)
def test_locked_address_stays_locked_under_another_spelling_on_the_admin(
    client, personas, settings, spelling
):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, ADMIN, "academie@aps.test", times=5)
    response = client.post(ADMIN, {"username": spelling, "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)


def test_failures_under_several_spellings_add_up_to_one_lock(client, personas, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for spelling in [*SPELLINGS, "staff.lycee@aps.test", "sTaFf.LyCeE@aps.test"]:
        fail(client, SITE, spelling)
    response = client.post(SITE, {"username": "staff.lycee@aps.test", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert not logged_in(client)
    # One counter, under the address as the application stores it.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"staff.lycee@aps.test"}


def test_a_success_resets_the_counter_of_every_spelling(client, personas, settings):
    settings.AXES_FAILURE_LIMIT = 5
    fail(client, SITE, "STAFF.LYCEE@APS.TEST", times=4)
    response = client.post(SITE, {"username": "Staff.Lycee@aps.test", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.exists()


SPRAYED = [
    "chef.college@aps.test",
    "staff.college@aps.test",
    "chef.lycee@aps.test",
    "foquale@aps.test",
]


@pytest.mark.parametrize("url", [SITE, ADMIN], ids=["site", "admin"])
def test_one_ip_spraying_passwords_over_accounts_is_locked(client, personas, settings, url):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 8
    for email in SPRAYED:  # two guesses each: no address reaches its own limit
        fail(client, url, email, times=2)
    response = client.post(url, {"username": "academie@aps.test", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "depuis votre réseau" in page
    assert not logged_in(client)
    # Another place is not locked.
    response = client.post(
        url,
        {"username": "academie@aps.test", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


def test_the_ip_lock_is_higher_than_the_address_lock(client, personas, settings):
    """A school behind one address: a few colleagues mistyping do not lock one another."""
    assert settings.AXES_IP_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 8
    for email in SPRAYED[:3]:
        fail(client, SITE, email, times=2)  # 6 failures from the IP
    response = client.post(SITE, {"username": "academie@aps.test", "password": DEMO_PASSWORD})
    assert response.status_code == 302
