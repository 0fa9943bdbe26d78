"""Two DSDEN reviewers deciding at the same moment: on one sheet (PostgreSQL's row locks,
SQLite's write lock), or on two sheets sharing one envelope."""

import threading
from decimal import Decimal

import pytest
from django.db import connections

from aps.models import User
from funding.models import Envelope, Grant
from projects.models import ProjectSheet
from reviews.models import SheetEvent
from reviews.workflow import services
from tests.concurrency import meeting_point, needs_shared_database, run_together

from .conftest import complete_sheet

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(needs_shared_database(), reason="threads need a shared database"),
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


def test_two_validations_at_once_never_overspend_the_envelope_without_confirmation(
    personas, today, monkeypatch
):
    first_sheet = complete_sheet(state=ProjectSheet.Status.IN_REVIEW)  # 20 HSE requested
    second_sheet = complete_sheet(state=ProjectSheet.Status.IN_REVIEW)  # 20 HSE requested
    Envelope.objects.create(
        campaign=first_sheet.campaign, department=first_sheet.department, hse=Decimal(30)
    )
    first = User.objects.get(email="dsden93@aps.test")
    second = User.objects.create_user(email="dsden93.bis@aps.test", password="x", full_name="Bis")
    second.memberships.create(role="dsden", department=first_sheet.department)
    # Both grant together, each after its envelope check, unless the check serialises them.
    meet = meeting_point()
    record = services.grant_record

    def meet_then_record(**arguments):
        meet()
        return record(**arguments)

    monkeypatch.setattr(services, "grant_record", meet_then_record)

    def validate(sheet, by):
        return lambda: services.validate(
            sheet=sheet, by=by, euros=Decimal(0), hse=Decimal(20), imp=Decimal(0)
        )

    outcomes = run_together(validate(first_sheet, first), validate(second_sheet, second))

    refusals = [str(o) for o in outcomes if isinstance(o, services.ReviewError)]
    assert len(refusals) == 1, outcomes
    assert "dépasse ce qui reste de l'enveloppe du département (HSE)" in refusals[0]
    assert Grant.objects.filter(sheet__status="validated").count() == 1
    assert sorted(
        ProjectSheet.objects.filter(pk__in=[first_sheet.pk, second_sheet.pk]).values_list(
            "status", flat=True
        )
    ) == ["in_review", "validated"]
