"""Password reset: one identity per address, the e-mail sent by the task queue (the request does
the same work for a known and an unknown address), throttled per address and per IP, links
on SITE_URL; new passwords of at least 12 characters."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from aps.models import User
from reviews.demo.directory import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")
DONE = reverse("password_reset_done")
TOO_MANY = "Trop de demandes de réinitialisation"


def ask(client, email, **extra):
    return client.post(RESET, {"email": email}, **extra)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def task_queue(settings):
    """E-mails wait in the database for a worker, as in production."""
    settings.TASKS = {
        **settings.TASKS,
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_reset_mail_is_queued_and_the_request_does_the_same_for_an_unknown_address(
    client, personas, task_queue
):
    mail.outbox.clear()
    known = ask(client, "staff.lycee@aps.test")
    unknown = ask(client, "personne@aps.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == DONE
    # Nothing was sent inside the requests; one task waits for each, whatever the address.
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert [m.to for m in mail.outbox] == [["staff.lycee@aps.test"]]
    assert "Réinitialisation" in mail.outbox[0].subject or "mot de passe" in mail.outbox[0].subject


def test_reset_link_is_built_from_site_url_not_the_host_header(client, personas, settings):
    settings.SITE_URL = "https://aps.ac-creteil.fr"
    mail.outbox.clear()
    ask(client, "staff.lycee@aps.test", HTTP_HOST="testserver:6666")
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0])
    assert link.startswith("https://aps.ac-creteil.fr/mot-de-passe/nouveau/")
    assert "6666" not in mail.outbox[0].body and "testserver" not in mail.outbox[0].body


def test_reset_finds_the_account_under_any_spelling(client, personas):
    mail.outbox.clear()
    ask(client, "  STAFF.Lycee@APS.test ")
    assert [m.to for m in mail.outbox] == [["staff.lycee@aps.test"]]


def test_reset_requests_are_throttled_per_address_in_any_spelling(client, personas, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    mail.outbox.clear()
    for spelling in ["staff.lycee@aps.test", "STAFF.LYCEE@APS.TEST", "Staff.Lycee@aps.test"]:
        assert ask(client, spelling).status_code == 302
    for spelling in ["staff.lycee@aps.test", " STAFF.lycee@aps.test"]:
        response = ask(client, spelling)
        assert response.status_code == 429
        assert TOO_MANY in response.content.decode()
    assert len(mail.outbox) == 3
    # Another address from the same place is still served.
    assert ask(client, "chef.lycee@aps.test").status_code == 302
    assert len(mail.outbox) == 4


def test_reset_requests_are_throttled_per_ip(client, personas, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    settings.PASSWORD_RESET_LIMIT_PER_IP = 5
    mail.outbox.clear()
    for number in range(5):
        assert ask(client, f"inconnu{number}@aps.test").status_code == 302
    response = ask(client, "staff.lycee@aps.test")
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert mail.outbox == []
    # From another place, the same address is served.
    assert ask(client, "staff.lycee@aps.test", REMOTE_ADDR="10.1.2.3").status_code == 302
    assert [m.to for m in mail.outbox] == [["staff.lycee@aps.test"]]


def test_throttle_unknown_addresses_like_known_ones(client, personas, settings):
    """The refusal says nothing about whether an account exists."""
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    ask(client, "staff.lycee@aps.test")
    ask(client, "personne@aps.test")
    known = ask(client, "staff.lycee@aps.test").content.decode()
    unknown = ask(client, "personne@aps.test").content.decode()
    assert TOO_MANY in known and TOO_MANY in unknown


def follow_reset_link(client) -> str:
    mail.outbox.clear()
    ask(client, "staff.lycee@aps.test")
    path = "/" + link_in(mail.outbox[0]).split("/", 3)[3]
    response = client.get(path)
    assert response.status_code == 302  # Django hides the token behind a redirect
    return response["Location"]


def test_new_password_of_11_characters_is_refused_in_french(client, personas):
    form_url = follow_reset_link(client)
    response = client.post(
        form_url, {"new_password1": "Zq8!vr2#Lp0", "new_password2": "Zq8!vr2#Lp0"}
    )
    assert response.status_code == 200
    assert "au minimum 12 caractères" in response.content.decode()
    user = User.objects.get(email="staff.lycee@aps.test")
    assert user.check_password(DEMO_PASSWORD)


def test_new_password_of_12_characters_is_saved_and_logs_in(client, personas):
    form_url = follow_reset_link(client)
    response = client.post(
        form_url, {"new_password1": "Zq8!vr2#Lp0w", "new_password2": "Zq8!vr2#Lp0w"}
    )
    assert response.status_code == 302
    assert User.objects.get(email="staff.lycee@aps.test").check_password("Zq8!vr2#Lp0w")
    response = client.post(
        reverse("login"), {"username": "STAFF.LYCEE@aps.test", "password": "Zq8!vr2#Lp0w"}
    )
    assert response.status_code == 302


def test_password_change_refuses_a_short_password(client, personas):
    user = User.objects.get(email="staff.lycee@aps.test")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Zq8!vr2#Lp0",
            "new_password2": "Zq8!vr2#Lp0",
        },
    )
    assert "au minimum 12 caractères" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
