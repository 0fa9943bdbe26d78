"""The sheet's copies of its estimate's totals (ProjectSheet.requested_*), on which the list
filters and sorts without a join: written with every estimate (funding.services.estimate_write),
never by the edit of the sheet."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin

from aps.models import User
from funding.admin import EstimateAdmin
from funding.models import Estimate
from funding.services import EstimateLines, estimate_replace
from projects.models import Establishment, ProjectSheet
from projects.services import sheet_update, sheet_version
from tests.factories import SheetFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def college(personas):
    return Establishment.objects.get(uai="0931610V")


def lines(weeks="10", amount="420.50", fraction="0.5"):
    return EstimateLines(
        hse=[
            {
                "activity": "Ateliers",
                "speaker": "titulaire",
                "hour_kind": "face",
                "weeks": int(weeks),
                "hours_per_week": D("1"),
                "speakers": 1,
            }
        ],
        imp=[{"mission": "coordination", "fraction": D(fraction), "beneficiary": "Mme A"}],
        euro=[{"nature": "fonctionnement", "label": "Sortie", "amount": D(amount)}],
    )


def requested(sheet):
    return ProjectSheet.objects.values_list(
        "requested_euros", "requested_hse", "requested_imp"
    ).get(pk=sheet.pk)


def test_a_new_sheet_requests_nothing(college):
    assert requested(SheetFactory(establishment=college)) == (D(0), D(0), D(0))


def test_the_estimate_writes_its_totals_on_the_sheet(college):
    sheet = SheetFactory(establishment=college)
    staff = User.objects.get(email="staff.college@aps.test")
    estimate_replace(sheet=sheet, by=staff, lines=lines())
    assert requested(sheet) == (D("420.50"), D("10.00"), D("0.50"))
    estimate_replace(sheet=sheet, by=staff, lines=lines(weeks="3", amount="80", fraction="1"))
    assert requested(sheet) == (D("80.00"), D("3.00"), D("1.00"))
    estimate = Estimate.objects.get(sheet=sheet)
    assert (estimate.total_euros, estimate.total_hse, estimate.total_imp) == requested(sheet)


def test_editing_a_sheet_opened_before_its_estimate_changed_keeps_the_new_totals(college):
    sheet = SheetFactory(establishment=college)
    staff = User.objects.get(email="staff.college@aps.test")
    stale = ProjectSheet.objects.get(pk=sheet.pk)  # opened before the estimate
    estimate_replace(sheet=sheet, by=staff, lines=lines())
    sheet_update(
        sheet=stale,
        by=staff,
        content={"title": "Titre changé"},
        objectives=[],
        criteria=[],
        opened_version=current_version(sheet),
    )
    assert requested(sheet) == (D("420.50"), D("10.00"), D("0.50"))
    assert ProjectSheet.objects.get(pk=sheet.pk).title == "Titre changé"


def test_the_migration_copies_existing_estimates(college):
    with_estimate = SheetFactory(establishment=college)
    without = SheetFactory(establishment=college)
    Estimate.objects.create(
        sheet=with_estimate, total_euros=D(300), total_hse=D(12), total_imp=D("0.5")
    )
    ProjectSheet.objects.update(requested_euros=D(9), requested_hse=D(9), requested_imp=D(9))
    migration = importlib.import_module("funding.migrations.0002_copy_requested_totals_to_sheets")
    migration.copy(apps, None)
    assert requested(with_estimate) == (D(300), D(12), D("0.5"))
    assert requested(without) == (D(0), D(0), D(0))


def test_emptying_the_estimate_resets_the_copies_and_it_is_never_deleted_alone(college):
    sheet = SheetFactory(establishment=college)
    staff = User.objects.get(email="staff.college@aps.test")
    estimate_replace(sheet=sheet, by=staff, lines=lines())
    assert requested(sheet) == (D("420.50"), D("10.00"), D("0.50"))
    estimate_replace(sheet=sheet, by=staff, lines=EstimateLines(hse=[], imp=[], euro=[]))
    assert requested(sheet) == (D(0), D(0), D(0))
    # The administration cannot delete an estimate without its sheet.
    assert not EstimateAdmin(Estimate, admin.site).has_delete_permission(None)


def test_a_copy_of_a_sheet_is_inserted_with_everything(college):
    sheet = SheetFactory(establishment=college)
    staff = User.objects.get(email="staff.college@aps.test")
    estimate_replace(sheet=sheet, by=staff, lines=lines(amount="300"))
    copy = ProjectSheet.objects.get(pk=sheet.pk)
    copy.pk = None
    copy._state.adding = True
    copy.title = "Copie"
    copy.save()
    assert copy.pk != sheet.pk and requested(copy) == (D(300), D(10), D("0.5"))


def test_the_edit_writes_the_content_and_its_search_text_never_the_copies(
    college, django_assert_max_num_queries
):
    sheet = SheetFactory(establishment=college, problem="Absentéisme")
    staff = User.objects.get(email="staff.college@aps.test")
    version = sheet_version(sheet)
    with django_assert_max_num_queries(12) as queries:
        sheet_update(
            sheet=sheet,
            by=staff,
            content={"title": "Titre changé", "problem": "Absentéisme"},
            objectives=[],
            criteria=[],
            opened_version=version,
        )
    (update,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "projects_projectsheet"')
    ]
    assert "requested_euros" not in update and "submitted_at" not in update
    assert '"search_text"' in update
    saved = ProjectSheet.objects.get(pk=sheet.pk)
    assert (saved.title, saved.problem) == ("Titre changé", "Absentéisme")
    assert saved.search_text.startswith(" titre change college")


def current_version(sheet) -> str:
    """The version a form opened now would send."""
    return sheet_version(ProjectSheet.objects.get(pk=sheet.pk))
