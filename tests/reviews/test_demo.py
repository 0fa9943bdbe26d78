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
