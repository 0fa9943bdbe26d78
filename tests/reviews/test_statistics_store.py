"""The statistics' stored cells (reviews.desk.statistics_store): served while nothing changed,
computed again after every write that changes a figure, through the real writers."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funding.models import Grant
from funding.services import grant_correct
from projects.account_import import networks_import
from projects.models import District, Membership, ProjectSheet
from projects.services import carrier_save, sheet_correct, sheet_update, sheet_version
from reviews.desk import statistics, statistics_store
from reviews.models import StatisticsCells
from tests.factories import (
    ONE_HSE_LINE,
    DistrictFactory,
    EstablishmentFactory,
    SheetFactory,
    add_estimate,
    current_campaign,
    department,
    dsden_of,
    head_of,
    member,
    transition,
)

pytestmark = pytest.mark.django_db
R = Membership.Role
PAGE = reverse("reviews:statistics")


def settle():
    """As if nothing had changed for a day: stored cells may be served (``GRACE``)."""
    ProjectSheet.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))


def of_93(**state):
    return SheetFactory(establishment=EstablishmentFactory(department=department("93")), **state)


def figures(user):
    return statistics.compute(user, current_campaign())


def states(user) -> dict:
    return {g.label: (g.filed, g.funded) for g in figures(user)["by_state"]}


def means(user) -> dict:
    return {m.label: (m.requested, m.granted) for m in figures(user)["means"]}


@pytest.fixture
def reviewer(db):
    return member(role=R.DSDEN, department=department("93"))


def test_unchanged_sheets_are_read_from_the_stored_cells(client, reviewer):
    of_93(in_review=True)
    of_93(validated=True)
    settle()
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as first:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as second:
        page = client.get(PAGE).content.decode()
    grouped = [q["sql"] for q in second.captured_queries if "GROUP BY" in q["sql"]]
    assert grouped == [] and len(second) < len(first)
    assert "« 2 déposées, 1 financée »" in page
    assert StatisticsCells.objects.get().departments == str(department("93").pk)


def test_a_transition_changes_the_page(client, reviewer):
    sheet = of_93(in_review=True)
    settle()
    client.force_login(reviewer)
    assert "« 1 déposée, 0 financée »" in client.get(PAGE).content.decode()
    transition("validate", sheet=sheet, by=dsden_of(sheet), euros=0, hse=Decimal(20), imp=0)
    assert "« 1 déposée, 1 financée »" in client.get(PAGE).content.decode()
    transition("reopen", sheet=sheet, by=dsden_of(sheet), reason="Erreur de montant")
    assert "« 1 déposée, 0 financée »" in client.get(PAGE).content.decode()


def test_a_submission_and_a_withdrawal_change_the_figures(reviewer):
    draft = of_93(complete=True)
    settle()
    assert figures(reviewer)["filed"] == 0
    transition("submit", sheet=draft, by=head_of(draft), today=draft.campaign.filing_opens_on)
    assert states(reviewer) == {"À l'étude à la DSDEN": (1, 0)}
    transition("withdraw", sheet=draft, by=head_of(draft))
    assert states(reviewer) == {"Retiré": (1, 0)}


def test_the_estimate_totals_change_the_means_requested(reviewer):
    sheet = of_93(needs_info=True)  # the establishment may edit its estimate again
    settle()
    assert means(reviewer)["HSE"][0] == Decimal(20)
    add_estimate(sheet, hse=[ONE_HSE_LINE, ONE_HSE_LINE])
    assert means(reviewer)["HSE"][0] == Decimal(40)


def test_a_typology_edited_or_corrected_changes_the_figures(reviewer):
    sheet = of_93(needs_info=True)
    settle()

    def typologies():
        return {g.label: g.filed for g in figures(reviewer)["by_typology"]}

    assert list(typologies()) == ["Module relais en établissement"]
    sheet.refresh_from_db()  # its version, as the edit form reads it
    sheet_update(
        sheet=sheet,
        by=head_of(sheet),
        content={"typology": "pafi"},
        objectives=["Objectif un"],
        criteria=["Critère un"],
        opened_version=sheet_version(sheet),
    )
    assert list(typologies()) == ["Parcours aménagé de formation initiale (PAFI)"]
    settle()
    figures(reviewer)  # stored again
    sheet.refresh_from_db()
    sheet.typology = "module_relais"
    sheet_correct(sheet=sheet, changed=["typology"])  # the administration
    assert list(typologies()) == ["Module relais en établissement"]


def test_a_grant_corrected_by_the_academie_changes_the_means_granted(reviewer):
    sheet = of_93(validated=True)  # 20 HSE granted
    settle()
    assert means(reviewer)["HSE"] == (Decimal(20), Decimal(20))
    academie = member(role=R.ACADEMIE, academy=sheet.department.academy)
    grant_correct(sheet=sheet, by=academie, euros=Decimal(0), hse=Decimal(12), imp=Decimal(0))
    assert means(reviewer)["HSE"] == (Decimal(20), Decimal(12))


def test_a_grant_deleted_unfunds_the_sheet(reviewer):
    sheet = of_93(validated=True)
    settle()
    assert states(reviewer) == {"Projet validé": (1, 1)}
    Grant.objects.filter(sheet=sheet).delete()  # the administration
    assert states(reviewer) == {"Projet validé": (1, 0)}


def test_a_filed_sheet_deleted_leaves_the_figures(reviewer):
    of_93(in_review=True)
    gone = of_93(rejected=True)
    newest = of_93(in_review=True)
    settle()
    ProjectSheet.objects.filter(pk=newest.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert figures(reviewer)["filed"] == 3
    ProjectSheet.objects.filter(pk=gone.pk).delete()  # an older one: the watermark stays
    assert figures(reviewer)["filed"] == 2


def test_a_district_changed_by_the_networks_import_moves_the_sheets(reviewer):
    establishment = EstablishmentFactory(
        department=department("93"), district=DistrictFactory(department=department("93"))
    )
    SheetFactory(establishment=establishment, in_review=True)
    settle()

    def districts():
        return [g.label for g in figures(reviewer)["by_district"]]

    assert districts() == [str(establishment.district)]
    report = networks_import(f"uai;district\n{establishment.uai};Bondy\n".encode())
    assert report.summary.startswith("created=1"), report.summary
    assert districts() == [str(District.objects.get(name="Bondy"))]
    settle()
    figures(reviewer)
    establishment.refresh_from_db()
    establishment.district = None
    carrier_save(carrier=establishment, changed=["district"])  # the administration
    assert districts() == []


def test_a_change_stamped_before_a_recent_watermark_is_not_missed(reviewer):
    """A transaction still open while the cells were computed commits a change dated before
    their watermark: cells computed within GRACE of the latest change are never served."""
    sheet = of_93(in_review=True)
    of_93(in_review=True)  # the latest change, just now
    assert figures(reviewer)["funded"] == 0
    # Committed late, stamped before the watermark (and not by the workflow: a bare UPDATE).
    ProjectSheet.objects.filter(pk=sheet.pk).update(
        status="rejected", updated_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert states(reviewer) == {"À l'étude à la DSDEN": (1, 0), "Projet non validé": (1, 0)}


def test_each_scope_keeps_its_own_cells(reviewer):
    of_93(in_review=True)
    SheetFactory(establishment=EstablishmentFactory(department=department("94")), in_review=True)
    settle()
    academie = member(role=R.ACADEMIE, academy=department("93").academy)
    national = member(role=R.NATIONAL)
    assert [figures(u)["filed"] for u in (academie, reviewer, national)] == [2, 1, 2]
    assert [figures(u)["filed"] for u in (academie, reviewer, national)] == [2, 1, 2]
    # The ministry's départements are the académie's here: the same cells.
    assert StatisticsCells.objects.count() == 2
    assert statistics_store.scope_departments(reviewer) == [department("93").pk]
