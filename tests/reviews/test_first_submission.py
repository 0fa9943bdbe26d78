"""The sheet keeps its first submission (ProjectSheet.submitted_at), which the lists show and
sort on: written by the first "submit" only, never by a later save of the sheet."""

import importlib

import pytest
from django.apps import apps

from aps.models import User
from projects.models import ProjectSheet
from reviews import services
from reviews.models import SheetEvent

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db


def head():
    return User.objects.get(email="chef.college@aps.test")


def test_submission_is_recorded_once_on_the_sheet(personas, today):
    sheet = complete_sheet()
    stale = ProjectSheet.objects.get(pk=sheet.pk)  # loaded before the submission
    assert stale.submitted_at is None
    event = services.submit(sheet=sheet, by=head())
    submitted_at = ProjectSheet.objects.get(pk=sheet.pk).submitted_at
    assert submitted_at == event.created_at
    stale.save()  # a save of a sheet loaded before does not erase it
    assert ProjectSheet.objects.get(pk=sheet.pk).submitted_at == submitted_at


def test_the_list_shows_the_first_submission_day(client, personas, today):
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=head())
    sheet.refresh_from_db()
    sheet.title = "Déposée en octobre"
    sheet.save()
    ProjectSheet.objects.filter(pk=sheet.pk).update(submitted_at="2024-10-07T09:00:00+02:00")
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    page = client.get("/projets/?q=octobre").content.decode()
    assert "07/10/2024" in page


def test_the_migration_copies_the_first_submit_event(personas, today):
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=head())
    first = SheetEvent.objects.get(sheet=sheet, transition="submit")
    never = complete_sheet()
    ProjectSheet.objects.update(submitted_at=None)
    migration = importlib.import_module("reviews.migrations.0003_copy_first_submission_to_sheets")
    migration.copy(apps, None)
    assert ProjectSheet.objects.get(pk=sheet.pk).submitted_at == first.created_at
    assert ProjectSheet.objects.get(pk=never.pk).submitted_at is None
