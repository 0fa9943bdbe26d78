import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from aps.models import User
from projects.models import ProjectSheet
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db


def remind(day: str) -> str:
    out = StringIO()
    call_command("send_deadline_reminders", "--date", day, stdout=out)
    return out.getvalue().strip()


def test_drafts_requesting_euros_are_reminded_seven_days_before_the_euro_deadline(personas):
    sheet = complete_sheet(hse=False, euros=True)
    assert remind("2024-06-15") == "reminders=0 sent=0 failed=0"
    assert remind("2024-06-16") == "reminders=1 sent=1 failed=0"
    message = mail.outbox[0]
    assert sorted(message.to) == ["chef.college@aps.test", "staff.college@aps.test"]
    assert message.subject == f"APS — Plus que 7 jours pour déposer « {sheet.title} »"
    assert (
        "demande des crédits en euros" in message.body and "jusqu'au 23 juin 2024" in message.body
    )


def test_drafts_requesting_hse_are_reminded_before_their_own_deadline(personas):
    complete_sheet()
    assert remind("2024-06-16") == "reminders=0 sent=0 failed=0"
    assert remind("2024-09-08") == "reminders=1 sent=1 failed=0"
    assert "des HSE ou des IMP" in mail.outbox[0].body


def test_filed_sheets_are_not_reminded(personas):
    complete_sheet(hse=False, euros=True, state=ProjectSheet.Status.SUBMITTED)
    assert remind("2024-06-16") == "reminders=0 sent=0 failed=0"


def test_information_requests_are_reminded_two_days_before_their_due_date(personas, today):
    sheet = complete_sheet(state=ProjectSheet.Status.IN_REVIEW)
    services.request_info(
        sheet=sheet,
        by=User.objects.get(email="dsden93@aps.test"),
        comment="Joignez le devis",
        due_date=datetime.date(2024, 6, 10),
    )
    mail.outbox.clear()
    assert remind("2024-06-07") == "reminders=0 sent=0 failed=0"
    assert remind("2024-06-08") == "reminders=1 sent=1 failed=0"
    assert "Joignez le devis" in mail.outbox[0].body
    assert "avant le 10 juin 2024" in mail.outbox[0].body


def test_a_bad_date_is_a_clear_error(personas):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        remind("23/06/2024")
