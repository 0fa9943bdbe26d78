"""The sheet keeps its first submission (ProjectSheet.submitted_at), which the lists show and
sort on: written with the state by the first "submit" only, never by a later save."""

import importlib

import pytest
from django.apps import apps

from aps.models import User
from projects.models import ProjectSheet
from projects.services import sheet_correct
from reviews.models import SheetEvent
from reviews.workflow import services

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
    stale.title = "Titre corrigé"  # corrected in the administration, from a copy loaded before
    sheet_correct(sheet=stale, changed=["title"])
    assert ProjectSheet.objects.get(pk=sheet.pk).submitted_at == submitted_at


def test_the_list_shows_the_first_submission_day(client, personas, today):
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=head())
    sheet.refresh_from_db()
    sheet.title = "Déposée en octobre"
    sheet_correct(sheet=sheet, changed=["title"])
    ProjectSheet.objects.filter(pk=sheet.pk).update(submitted_at="2024-10-07T09:00:00+02:00")
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    page = client.get("/projets/?q=octobre").content.decode()
    assert "07/10/2024" in page


def test_the_migration_copies_the_first_submit_event(personas, today):
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=head())
    first = SheetEvent.objects.get(sheet=sheet, transition="submit")
    never = complete_sheet()
    # A withdrawn sheet may lack the date (a filed one may not): the copy is read again.
    services.withdraw(sheet=sheet, by=head())
    ProjectSheet.objects.filter(pk__in=[sheet.pk, never.pk]).update(submitted_at=None)
    migration = importlib.import_module("reviews.migrations.0003_copy_first_submission_to_sheets")
    migration.copy(apps, None)
    assert ProjectSheet.objects.get(pk=sheet.pk).submitted_at == first.created_at
    assert ProjectSheet.objects.get(pk=never.pk).submitted_at is None
