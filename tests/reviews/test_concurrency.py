"""Two DSDEN reviewers answering the same sheet at the same moment (PostgreSQL: row locks)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from aps.models import User
from funding.models import Grant
from projects.models import ProjectSheet
from reviews.models import SheetEvent
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks (run by .ci/run)"
    ),
]


def test_two_reviewers_answering_at_once_record_exactly_one_answer(personas, today):
    sheet = complete_sheet(state=ProjectSheet.Status.IN_REVIEW)
    first = User.objects.get(email="dsden93@aps.test")
    second = User.objects.create_user(email="dsden93.bis@aps.test", password="x", full_name="Bis")
    second.memberships.create(role="dsden", department=sheet.department)
    barrier = threading.Barrier(2)
    outcomes = {}

    def answer(name, action):
        try:
            barrier.wait()
            action()
            outcomes[name] = "ok"
        except services.ReviewError as error:
            outcomes[name] = str(error)
        finally:
            connections.close_all()

    def validate():
        services.validate(sheet=sheet, by=first, euros=Decimal(0), hse=Decimal(20), imp=Decimal(0))

    def reject():
        services.reject(sheet=sheet, by=second, comment="Non")

    threads = [
        threading.Thread(target=answer, args=("validate", validate)),
        threading.Thread(target=answer, args=("reject", reject)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == sorted(["ok", "Ce projet a déjà reçu une réponse."])
    sheet.refresh_from_db()
    answers = SheetEvent.objects.filter(sheet=sheet, transition__in=["validate", "reject"])
    assert answers.count() == 1
    assert sheet.status == answers.get().to_status
    assert Grant.objects.filter(sheet=sheet).exists() == (sheet.status == "validated")
