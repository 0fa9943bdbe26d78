"""An e-mail that cannot be sent is never silent: the action still succeeds, the failure is
logged at error level and counted, and the reminders command says so by its exit status."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command

from aps.models import User
from projects.models import ProjectSheet
from reviews.workflow import notifications, services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db


def refuse_mail_to(monkeypatch, address):
    send = EmailBackend.send_messages

    def send_or_fail(self, messages):
        if any(address in message.to for message in messages):
            raise ConnectionRefusedError("serveur de courriel injoignable")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_or_fail)


def test_line_break_in_a_stored_title_still_sends_the_emails_on_one_line(
    personas, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="in_review")
    ProjectSheet.objects.filter(pk=sheet.pk).update(title="Atelier\r\nBcc: intrus@exemple.fr")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(sheet=sheet, by=User.objects.get(email="dsden93@aps.test"), comment="Non")
    assert mail.outbox
    subject = mail.outbox[0].subject
    assert subject == "APS — Projet non validé : Atelier Bcc: intrus@exemple.fr"
    assert all("intrus@exemple.fr" not in message.recipients() for message in mail.outbox)


def test_failed_event_email_is_logged_at_error_and_counted(personas, monkeypatch, caplog):
    sheet = complete_sheet(state="in_review")
    refuse_mail_to(monkeypatch, "chef.college@aps.test")
    event = services.reject(
        sheet=sheet, by=User.objects.get(email="dsden93@aps.test"), comment="Non"
    )
    others = [a for a in notifications.recipients(event) if a != "chef.college@aps.test"]
    assert others  # someone else still hears of it
    mail.outbox.clear()
    with caplog.at_level(logging.ERROR):
        result = notifications.send_event_email.call(event.pk)
    assert result == {"sent": len(others), "failed": 1}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(others)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("chef.college@aps.test" in r.getMessage() for r in errors)


def test_reminders_command_reports_failures_and_exits_non_zero(personas, monkeypatch, caplog):
    complete_sheet(hse=False, euros=True)
    refuse_mail_to(monkeypatch, "staff.college@aps.test")
    out = StringIO()
    with caplog.at_level(logging.ERROR), pytest.raises(CommandError) as refused:
        call_command("send_deadline_reminders", "--date", "2024-06-16", stdout=out)
    assert out.getvalue().strip() == "reminders=1 sent=0 failed=1"
    assert "1 rappel n'a pas pu être envoyé" in str(refused.value)
    assert any(r.levelno == logging.ERROR for r in caplog.records)
