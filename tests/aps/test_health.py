"""/healthz: the load balancer's probe (the object store's case: tests/storage/test_healthz.py)."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from aps import health

HEALTHZ = reverse("healthz")
ALL_WELL = {
    "status": "ok",
    "database": {"ok": True},
    "storage": {"ok": True},
    "tasks": {"ok": True, "pending": 0, "oldest_pending_seconds": None},
}


@task
def tidy_up():
    """A task for the queue's rows (never run here: no worker)."""


@pytest.fixture
def task_queue(settings):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
        "exports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }


def enqueued(at: datetime.datetime, **using):
    with time_machine.travel(at, tick=False):
        return tidy_up.using(**using).enqueue()


def test_healthz_answers_anyone_with_the_state_of_each_part_and_nothing_kept(client, db):
    sessions = Session.objects.count()
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == ALL_WELL
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie, no signed-in mark
    assert Session.objects.count() == sessions


def test_healthz_says_the_same_to_a_signed_in_user_and_nothing_about_them(client, personas):
    client.force_login(personas.college_head)
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == ALL_WELL
    assert personas.college_head.email not in response.content.decode()


def test_healthz_is_served_over_plain_http_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(HEALTHZ).status_code == 200
    assert client.get(reverse("login")).status_code == 301  # every page else goes to HTTPS


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {**ALL_WELL, "status": "error", "database": {"ok": False}}
    assert "127.0.0.1" not in response.content.decode()  # the error stays in the logs


def test_healthz_counts_the_waiting_tasks_of_every_database_backend(client, db, task_queue):
    now = timezone.now()
    enqueued(now - datetime.timedelta(minutes=5))
    enqueued(now - datetime.timedelta(minutes=2), backend="exports")
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["ok"] and tasks["pending"] == 2
    assert 300 <= tasks["oldest_pending_seconds"] < 330


def test_healthz_answers_503_when_a_task_waited_past_the_limit(client, db, task_queue, settings):
    settings.HEALTHZ_MAX_TASK_AGE = 900
    enqueued(timezone.now() - datetime.timedelta(minutes=16))
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == body["storage"] == {"ok": True}
    assert body["tasks"]["ok"] is False and body["tasks"]["pending"] == 1
    assert 960 <= body["tasks"]["oldest_pending_seconds"] < 990


def test_a_task_deferred_to_later_is_not_late(client, db, task_queue):
    now = timezone.now()
    enqueued(now - datetime.timedelta(hours=2), run_after=now + datetime.timedelta(hours=1))
    # Enqueued two hours ago to run ten minutes ago: it has waited ten minutes.
    enqueued(now - datetime.timedelta(hours=2), run_after=now - datetime.timedelta(minutes=10))
    tasks = client.get(HEALTHZ).json()["tasks"]
    assert tasks["ok"] and tasks["pending"] == 1
    assert 600 <= tasks["oldest_pending_seconds"] < 630


def test_a_finished_task_is_not_waiting(client, db, task_queue):
    result = enqueued(timezone.now() - datetime.timedelta(hours=1))
    result.db_result.set_successful(None)
    assert client.get(HEALTHZ).json() == ALL_WELL


def test_with_no_limit_a_late_task_is_reported_without_failing(client, db, task_queue, settings):
    settings.HEALTHZ_MAX_TASK_AGE = 0
    enqueued(timezone.now() - datetime.timedelta(hours=3))
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json()["tasks"]["oldest_pending_seconds"] >= 3 * 3600


def test_healthz_is_read_only(client, db):
    assert client.post(HEALTHZ).status_code == 405
