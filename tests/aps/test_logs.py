"""Structured logs (LOG_FORMAT=json): one JSON line per request and per task run, with ids
and nothing else about anyone; every other line tagged with the request's and user's ids."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import task
from django.urls import reverse

from aps import health
from aps.logs import DropTaskChatter, JsonFormatter
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "claire.martin@aps.test"
SEARCHED = "?nom=jean.dupont%40example.fr&q=Dupont"


@task
def count_pupils(n):
    return n


@task
def fail_to_count():
    raise ValueError("no pupil for jean.dupont@example.fr")


@pytest.fixture
def json_lines():
    """What the console handler writes with LOG_FORMAT=json (aps.logs.json_logging): returns a
    reader of the lines written so far, each parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(DropTaskChatter())
    root = logging.getLogger()
    root.addHandler(handler)
    loggers = [logging.getLogger(name) for name in ("aps.requests", "aps.tasks", "django.tasks")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "aps.requests"]


def test_a_request_writes_one_line_with_ids_and_the_path_without_its_query(client, db, json_lines):
    user = UserFactory(email=EMAIL, full_name="Claire Martin")
    client.force_login(user)
    response = client.get(reverse("password_change") + SEARCHED)
    assert response.status_code == 200
    [line] = request_lines(json_lines())
    assert line["method"] == "GET"
    assert line["path"] == reverse("password_change")
    assert line["status"] == 200
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32  # a fresh uuid4's hex
    assert isinstance(line["duration_ms"], float)
    text = json.dumps(line)
    assert "Dupont" not in text and "example.fr" not in text
    assert "claire" not in text.lower() and "Martin" not in text


def test_an_anonymous_request_has_no_user_id(client, db, json_lines):
    client.get(reverse("login"))
    [line] = request_lines(json_lines())
    assert line["user_id"] is None and line["status"] == 200


def test_a_sane_incoming_request_id_is_kept(client, db, json_lines):
    kept = "5f0c9a1e-3b7d-4c2a-9e8f-0a1b2c3d4e5f"
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=kept)
    assert response["X-Request-ID"] == kept
    assert request_lines(json_lines())[0]["request_id"] == kept


@pytest.mark.parametrize(
    "incoming",
    ["jean.dupont@example.fr", "a b c d e f g h", "short", "x" * 129, "../../etc/passwd", ""],
)
def test_an_odd_incoming_request_id_is_replaced(client, db, json_lines, incoming):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=incoming)
    fresh = response["X-Request-ID"]
    assert fresh != incoming and len(fresh) == 32 and int(fresh, 16) >= 0
    assert request_lines(json_lines())[0]["request_id"] == fresh


def test_lines_written_during_a_request_carry_its_ids(client, db, json_lines, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    user = UserFactory(email=EMAIL)
    client.force_login(user)
    response = client.get(reverse("healthz"))
    lines = json_lines()
    [warning] = [line for line in lines if line["logger"] == "aps.health"]
    assert warning["level"] == "WARNING"
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["user_id"] == user.pk
    assert "OperationalError: connection refused" in warning["exception"]
    # Django's line about the 503, written once the middleware are done, has the ids too.
    [django_line] = [line for line in lines if line["logger"] == "django.request"]
    assert django_line["request_id"] == response["X-Request-ID"]
    assert django_line["user_id"] == user.pk
    # Nothing of the request lingers on the lines written after it.
    logging.getLogger("aps.health").warning("after")
    assert "request_id" not in json_lines()[-1] and "user_id" not in json_lines()[-1]


def test_the_secret_of_a_reset_link_is_not_logged(client, db, json_lines):
    path = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "cdz3kq-5d1c0f"})
    client.get(path)
    [line] = request_lines(json_lines())
    assert line["path"] == "/mot-de-passe/nouveau/MQ/[token]/"
    assert "cdz3kq" not in json.dumps(json_lines())


def test_e_mail_addresses_in_other_lines_are_replaced(json_lines):
    logging.getLogger("reviews.workflow.notifications").error(
        "E-mail not sent to %s: %s", "jean.dupont@example.fr, m.durand@ac-creteil.fr", "Avis"
    )
    [line] = json_lines()
    assert line["message"] == "E-mail not sent to [e-mail], [e-mail]: Avis"


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection
def test_a_task_run_by_the_worker_writes_one_line(settings, json_lines):
    settings.TASKS = {
        **settings.TASKS,
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    result = count_pupils.enqueue(12)
    # verbosity 1, as in production: the worker sets django.tasks to INFO itself.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=1)
    lines = json_lines()
    mentions = [line for line in lines if result.id in json.dumps(line)]
    assert [line["logger"] for line in mentions] == ["aps.tasks"]
    [line] = mentions
    assert line["task"] == "tests.aps.test_logs.count_pupils"
    assert line["task_id"] == result.id
    assert line["outcome"] == "succeeded" and line["backend"] == "default"
    assert line["duration_ms"] >= 0
    assert "12" not in line["message"]  # arguments are not logged


def test_a_failed_task_writes_one_line_of_its_own_and_django_s_traceback(client, db, json_lines):
    result = fail_to_count.enqueue()  # the immediate backend: run here, at once
    lines = [line for line in json_lines() if result.id in json.dumps(line)]
    assert [(line["logger"], line["level"]) for line in lines] == [
        ("django.tasks", "ERROR"),  # with the traceback, for the error report
        ("aps.tasks", "WARNING"),
    ]
    assert lines[1]["outcome"] == "failed"
    assert "ValueError: no pupil for [e-mail]" in lines[0]["exception"]
    assert "jean.dupont" not in json.dumps(lines)


def test_a_task_run_during_a_request_carries_the_request_s_id(db, json_lines):
    from django.test import RequestFactory

    from aps.activity_log import RequestLogMiddleware

    def view(request):
        count_pupils.enqueue(3)
        from django.http import HttpResponse

        return HttpResponse()

    response = RequestLogMiddleware(view)(RequestFactory().get("/"))
    [task_line] = [line for line in json_lines() if line["logger"] == "aps.tasks"]
    assert task_line["request_id"] == response["X-Request-ID"]


def test_with_log_format_json_every_line_is_json(tmp_path):
    """The settings' own configuration, in a process of its own: Django's lines too."""
    script = (
        "import django, logging; django.setup();"
        "from django.test import Client;"
        "from tests.aps.test_logs import count_pupils;"
        "client = Client(HTTP_HOST='localhost');"
        f"client.get('/healthz{SEARCHED}');"
        f"client.get('/cette-page-n-existe-pas/{SEARCHED}');"
        "count_pupils.enqueue(1);"
        "logging.getLogger('reviews').error('E-mail not sent to jean.dupont@example.fr')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aps.settings",
        "LOG_FORMAT": "json",
        "DATABASE_URL": f"sqlite:///{tmp_path}/logs.sqlite3",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("SENTRY_DSN", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    requests = [
        (line["path"], line["status"]) for line in lines if line["logger"] == "aps.requests"
    ]
    # The test database has no tables: the task queue cannot be read, /healthz says so.
    assert requests == [("/healthz", 503), ("/cette-page-n-existe-pas/", 404)]
    assert [line["logger"] for line in lines].count("aps.tasks") == 1
    assert "django.tasks" not in [line["logger"] for line in lines]
    assert any(line["message"] == "E-mail not sent to [e-mail]" for line in lines)
    assert "Dupont" not in result.stderr and "jean.dupont" not in result.stderr


def test_log_format_is_text_or_json():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "aps.settings", "LOG_FORMAT": "yaml"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
