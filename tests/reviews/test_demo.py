"""What seed_demo adds for the review workflow: history in every state, dated in the demo's
calendar, MLDS advice, and bilans of the validated sheets of the previous campaign."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings

from projects.models import ProjectSheet
from reviews.models import Advice, Bilan, Opinion, SheetEvent

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_seed_demo_adds_bilans_advice_and_a_dated_history(demo_establishments, mailoutbox):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mailoutbox == []  # the demo's history e-mails nobody
    validated = ProjectSheet.objects.filter(status="validated", campaign__school_year="2023-2024")
    assert validated.count() == 2
    submitted_finals = Bilan.objects.filter(
        sheet__in=validated, stage="final", submitted_at__isnull=False
    )
    assert submitted_finals.count() == 1
    assert (
        Bilan.objects.filter(
            sheet__in=validated, stage="intermediaire", submitted_at__isnull=False
        ).count()
        == 2
    )
    assert (
        Bilan.objects.filter(sheet__in=validated, stage="final", submitted_at__isnull=True).count()
        == 1
    )
    assert Bilan.objects.filter(is_late=True).exists()
    assert Advice.objects.exists()
    # Every event lies in the demo's calendar (before its day, 3 June 2024)
    latest = SheetEvent.objects.order_by("-created_at").first().created_at
    assert latest.date() <= datetime.date(2024, 6, 3)
    # Every filed sheet shows its first submission, as dated in that calendar
    for sheet in ProjectSheet.objects.exclude(status="draft"):
        first = sheet.events.filter(transition="submit").order_by("created_at").first()
        assert sheet.submitted_at == first.created_at
    # Each advice and opinion has one date: its own and its history line's
    for advice in Advice.objects.all():
        assert advice.sheet.events.filter(kind="advice", created_at=advice.created_at).exists()
    for opinion in Opinion.objects.all():
        assert opinion.sheet.events.filter(
            transition="prevalidate", created_at=opinion.created_at
        ).exists()


@override_settings(DEBUG=True)
def test_the_demo_history_follows_each_sheets_creation(demo_establishments):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for sheet in ProjectSheet.objects.prefetch_related("events"):
        moments = [sheet.created_at, *(event.created_at for event in sheet.events.all())]
        assert moments == sorted(moments), sheet.title
        assert sheet.created_at <= sheet.updated_at
        if sheet.submitted_at:
            assert sheet.created_at < sheet.submitted_at


@override_settings(DEBUG=True)
def test_the_demo_dsden_93_has_two_reviewers_and_a_commission_to_play(
    demo_establishments, mailoutbox
):
    from aps.models import User
    from projects.models import Membership
    from reviews.desk.models import Assignment, Commission, Follow, Label, SheetLabel
    from reviews.workflow.models import Message, Note
    from tests.factories import EstablishmentFactory, department

    # Carriers besides the demo's two, as the imported directory has: the 77's come first
    # and take the demo's other answers (a request for precisions, a refusal, a withdrawal).
    for _ in range(4):
        EstablishmentFactory(department=department("77"))
    for _ in range(7):
        EstablishmentFactory()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mailoutbox == []
    second = User.objects.get(email="dsden93.instructeur@aps.test")
    assert second.full_name == "Camille Instructrice"
    assert second.check_password("demo-aps")
    assert set(
        User.objects.filter(
            memberships__role=Membership.Role.DSDEN, memberships__department__code="93"
        ).values_list("email", flat=True)
    ) == {"dsden93@aps.test", "dsden93.instructeur@aps.test"}
    # The default labels in every département, some on the 93's sheets
    for name in ("Prêt pour la commission", "À revoir", "Dossier incomplet"):
        assert Label.objects.filter(name=name, department__code="77").exists()
        assert Label.objects.filter(name=name, department__code="86").exists()
    assert SheetLabel.objects.filter(sheet__department__code="93").count() >= 3
    assert Assignment.objects.filter(reviewer=second).exists()
    assert Follow.objects.filter(user=second).exists()
    assert Note.objects.filter(sheet__department__code="93").count() == 2
    assert {m.side for m in Message.objects.all()} == {"reviewer", "carrier"}
    # The credits commission of the 93, after the demo's day and before 10 July
    commission = Commission.objects.get(department__code="93")
    assert commission.means == "credits"
    assert datetime.date(2024, 6, 3) < commission.date < datetime.date(2024, 7, 10)
    items = list(commission.items.select_related("sheet"))
    # Every awaiting sheet that requests credits (a credits commission examines no other)
    assert len(items) >= 4
    assert all(item.sheet.status in ("submitted", "in_review") for item in items)
    assert all(item.sheet.requested_euros > 0 for item in items)
    proposed = [item for item in items if item.is_proposed]
    assert 1 <= len(proposed) < len(items)
    for item in proposed:
        assert item.proposed_euros <= item.sheet.requested_euros
        assert item.proposed_hse is None  # the HSE wait for October's commission
    # What the desk wrote is dated in the demo's calendar, before its day
    for moment in [commission.created_at, *(n.created_at for n in Note.objects.all())]:
        assert moment.date() < datetime.date(2024, 6, 3)

    # A second run changes nothing
    counts = (Label.objects.count(), SheetLabel.objects.count(), Note.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Label.objects.count(), SheetLabel.objects.count(), Note.objects.count()) == counts
    assert Commission.objects.count() == 1
    assert commission.items.count() == len(items)
