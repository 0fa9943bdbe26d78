"""The demo's clock: with APS_TODAY, what a user does in the running demo is dated on the demo's
day (at the real time of day), in the server as in the task worker; e-mails link to SITE_URL."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aps import clock
from aps.models import User
from projects.models import ProjectSheet
from reviews.models import Advice, Opinion, SheetEvent
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DEMO_DAY = datetime.date(2024, 6, 3)
S = ProjectSheet.Status


@pytest.fixture
def demo_clock(settings):
    """The clock every process of the demo starts (aps.apps), here for one test."""
    settings.APS_TODAY = DEMO_DAY.isoformat()
    traveller = clock.start_demo_clock()
    yield
    traveller.stop()


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def test_submission_through_the_view_is_dated_on_the_demo_day(demo_clock, client, personas):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    client.post(reverse("reviews:submit", args=[sheet.pk]), {"confirm": "on"})
    sheet.refresh_from_db()
    assert sheet.status == S.SUBMITTED
    assert local_day(sheet.submitted_at) == DEMO_DAY
    assert local_day(sheet.updated_at) == DEMO_DAY
    assert local_day(sheet.events.get().created_at) == DEMO_DAY
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "3 juin 2024 à" in page  # the history's line


def test_advice_through_the_view_is_dated_on_the_demo_day_once(demo_clock, client, personas):
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="mlds@aps.test"))
    client.post(reverse("reviews:advise", args=[sheet.pk]), {"text": "Associez le CIO."})
    advice = Advice.objects.get(sheet=sheet)
    event = SheetEvent.objects.get(sheet=sheet, kind=SheetEvent.Kind.ADVICE)
    assert local_day(advice.created_at) == DEMO_DAY
    assert event.created_at == advice.created_at


def test_the_demo_clock_ticks_at_the_real_time_of_day(demo_clock):
    first = timezone.localtime()
    real = datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), datetime.UTC)
    second = timezone.localtime()
    assert first.date() == DEMO_DAY and second > first
    real_time = timezone.localtime(real).time()
    gap = datetime.datetime.combine(DEMO_DAY, real_time) - second.replace(tzinfo=None)
    assert abs(gap) < datetime.timedelta(minutes=1)


def test_e_mails_of_the_demo_are_dated_on_its_day_and_link_to_site_url(
    demo_clock, client, personas, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8017"
    sheet = complete_sheet()
    client.force_login(User.objects.get(email="chef.college@aps.test"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:submit", args=[sheet.pk]), {"confirm": "on"})
    assert mail.outbox
    for message in mail.outbox:
        assert f"Voir la fiche : http://127.0.0.1:8017{sheet.get_absolute_url()}" in message.body
        assert "3 Jun 2024" in message.message()["Date"]


def test_an_e_mail_sent_after_midnight_in_paris_is_dated_on_the_paris_day():
    # 22:30 UTC on 2 June is 0:30 on 3 June in Paris: the reader's day, not London's.
    with time_machine.travel(
        datetime.datetime(2024, 6, 2, 22, 30, tzinfo=datetime.UTC), tick=False
    ):
        header = mail.EmailMessage("Objet", "Texte", to=["a@aps.test"]).message()["Date"]
    assert header == "Mon, 03 Jun 2024 00:30:00 +0200"


@pytest.mark.parametrize(
    ("record", "act"),
    [
        (
            Opinion,
            lambda sheet, user: services.prevalidate(
                sheet=sheet, by=user("foquale@aps.test"), value="favorable", comment="Oui."
            ),
        ),
        (
            Advice,
            lambda sheet, user: services.advise(
                sheet=sheet, by=user("mlds@aps.test"), text="Associez le CIO."
            ),
        ),
    ],
)
def test_an_opinion_or_advice_and_its_history_line_tell_one_moment(personas, today, record, act):
    """Once, the demo re-dated the history and not the advice: the same advice showed two
    dates. The record and its history line are now written at one moment."""
    sheet = complete_sheet(state=S.SUBMITTED)
    act(sheet, lambda email: User.objects.get(email=email))
    written = record.objects.get(sheet=sheet)
    assert sheet.events.order_by("-pk").first().created_at == written.created_at


def test_a_request_for_precisions_and_its_history_line_tell_one_moment(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    request = services.request_info(
        sheet=sheet, by=User.objects.get(email="dsden93@aps.test"), comment="Le devis ?"
    )
    assert sheet.events.order_by("-pk").first().created_at == request.created_at


def test_a_process_started_with_aps_today_lives_on_that_day(tmp_path):
    """What `make demo` starts (the server, the export worker, its commands) sets up Django
    with APS_TODAY: the process's clock is on that day, at the real time of day, and ticks,
    even when the process waits before it first reads the clock (the worker)."""
    code = (
        "import django, json, time, time_machine; django.setup(); time.sleep(1.5);"
        "from django.utils import timezone;"
        "first = timezone.localtime(); real = time_machine.escape_hatch.time.time();"
        "time.sleep(0.05);"
        "print(json.dumps([first.isoformat(), timezone.localtime().isoformat(), real]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aps.settings",
        "APS_TODAY": "2024-06-03",
        "DATABASE_URL": f"sqlite:///{tmp_path}/clock.db",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    first, second, real = json.loads(result.stdout)
    first, second = map(datetime.datetime.fromisoformat, (first, second))
    assert first.date() == DEMO_DAY and second > first
    real_time = timezone.localtime(datetime.datetime.fromtimestamp(real, datetime.UTC)).time()
    gap = datetime.datetime.combine(DEMO_DAY, real_time) - first.replace(tzinfo=None)
    assert abs(gap) < datetime.timedelta(seconds=1)


def test_make_demo_starts_every_process_on_the_demo_day_and_its_own_host():
    result = subprocess.run(
        ["make", "-n", "demo", "HOST=127.0.0.1:8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert any("runserver 127.0.0.1:8123" in line for line in commands)
    assert any("db_worker" in line for line in commands)
    for line in commands:
        assert "APS_TODAY=2024-06-03 SITE_URL=http://127.0.0.1:8123 " in line, line
