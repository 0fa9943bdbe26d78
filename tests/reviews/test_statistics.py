"""Statistics on a data set whose figures are computed by hand here."""

import datetime
import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funding.models import Estimate, Grant
from projects.models import Membership, ProjectSheet
from reviews.desk import charts, statistics
from reviews.models import SheetEvent
from tests.factories import EstablishmentFactory, current_campaign, department, member

pytestmark = pytest.mark.django_db
R = Membership.Role
PAGE = reverse("reviews:statistics")
DAY0 = datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC)


def event(sheet, transition, day, actor):
    created = SheetEvent.objects.create(
        sheet=sheet, kind="transition", transition=transition, actor=actor
    )
    when = DAY0 + datetime.timedelta(days=day)
    SheetEvent.objects.filter(pk=created.pk).update(created_at=when)
    # As the workflow keeps them on the sheet: the first submission and the first answer.
    if transition == "submit":
        ProjectSheet.objects.filter(pk=sheet.pk, submitted_at=None).update(submitted_at=when)
    if transition in statistics.ANSWER_LABELS:
        ProjectSheet.objects.filter(pk=sheet.pk, first_answered_at=None).update(
            first_answered_at=when
        )


def sheet(
    code, status, *, by, euros=0, hse=0, granted=None, typology="pafi", answer=None, filed=True
):
    """A sheet of the département ``code``; ``answer``: (transition, day) after a submission
    on day 0 (no submission for a draft). Written directly, not through the workflow: the
    figures depend on the days of its history, which the workflow dates today."""
    establishment = EstablishmentFactory(department=department(code))
    submitted = status not in ("draft", "withdrawn") or (status == "withdrawn" and filed)
    created = ProjectSheet.objects.create(
        campaign=current_campaign(),
        establishment=establishment,
        department=establishment.department,
        title=f"{code} {status}",
        status=status,
        submitted_at=DAY0 if submitted else None,
        # The estimate's totals, copied as funding.services.estimate_write copies them.
        requested_euros=euros,
        requested_hse=hse,
        typology=typology,
        created_by=by,
        updated_by=by,
    )
    Estimate.objects.create(sheet=created, total_euros=euros, total_hse=hse, updated_by=by)
    if granted is not None:
        Grant.objects.create(
            sheet=created,
            requested_euros=euros,
            requested_hse=hse,
            requested_imp=0,
            euros=granted[0],
            hse=granted[1],
            granted_by=by,
        )
    if status != "draft" and filed:
        event(created, "submit", 0, by)
    if answer:
        event(created, answer[0], answer[1], by)
    return created


@pytest.fixture
def dataset(db):
    by = member(role=R.ACADEMIE, academy=department("93").academy)
    sheet("93", "validated", by=by, euros=200, hse=20, granted=(100, 10), answer=("validate", 10))
    sheet("93", "rejected", by=by, euros=500, typology="autre", answer=("reject", 4))
    sheet("93", "in_review", by=by, hse=8)
    sheet("93", "draft", by=by, euros=999)  # never filed
    sheet("93", "withdrawn", by=by, euros=999, filed=False)  # withdrawn while a draft
    sheet("94", "validated", by=by, euros=50, granted=(50, 0), answer=("validate", 2))
    sheet("94", "needs_info", by=by, hse=4, answer=("request_info", 6))
    return by


def test_academie_figures(dataset):
    figures = statistics.compute(dataset, current_campaign())
    assert (figures["filed"], figures["funded"]) == (5, 2)
    departments = {g.label: (g.filed, g.funded) for g in figures["by_department"]}
    assert departments == {"93 Seine-Saint-Denis": (3, 1), "94 Val-de-Marne": (2, 1)}
    typologies = {g.label: (g.filed, g.funded) for g in figures["by_typology"]}
    assert typologies == {
        "Parcours aménagé de formation initiale (PAFI)": (4, 2),
        "Autre : action collective de sécurisation des transitions": (1, 0),
    }
    states = {g.label: g.filed for g in figures["by_state"]}
    assert states == {
        "À l'étude à la DSDEN": 1,
        "Soumis à la DSDEN, en attente de précisions / documents": 1,
        "Projet validé": 2,
        "Projet non validé": 1,
    }
    means = {m.label: (m.requested, m.granted, m.rate) for m in figures["means"]}
    assert means["Crédits (€)"] == (Decimal(750), Decimal(150), 20)
    assert means["HSE"] == (Decimal(32), Decimal(10), 31)
    answers = {a["label"]: (a["count"], a["share"]) for a in figures["answers"]}
    assert answers == {
        "Projet validé": (2, 50),
        "En attente de précisions": (1, 25),
        "Projet non validé": (1, 25),
    }
    # Delays 10, 4, 2 and 6 days: median 5
    assert figures["median_days"] == 5.0


def test_dsden_figures_cover_its_departement_only(dataset):
    dsden = member(role=R.DSDEN, department=department("93"))
    figures = statistics.compute(dsden, current_campaign())
    assert (figures["filed"], figures["funded"]) == (3, 1)
    assert [g.label for g in figures["by_department"]] == ["93 Seine-Saint-Denis"]
    assert {a["label"]: a["share"] for a in figures["answers"]} == {
        "Projet validé": 50,
        "En attente de précisions": 0,
        "Projet non validé": 50,
    }
    assert figures["median_days"] == 7.0  # 10 and 4 days


def test_page_shows_charts_with_text_alternatives_and_tables(client, dataset):
    client.force_login(dataset)
    page = client.get(PAGE).content.decode()
    assert page.count('role="img"') == 6
    # Each chart is named by its title and its figures in words.
    assert 'aria-labelledby="chart-department-title chart-department-desc"' in page
    assert '<p id="chart-department-desc" hidden>93 Seine-Saint-Denis : Déposées 3' in page
    assert "<caption>Fiches par département</caption>" in page
    assert "5\xa0j" in page
    # The labels are written whole, however long (the chart wraps them).
    assert (
        '<p class="aps-chart__label">Autre : action collective de sécurisation des transitions</p>'
        in page
    )


def test_a_chart_draws_each_value_as_a_share_of_the_largest():
    chart = charts.bar_chart(
        title="Fiches", series=["Déposées", "Financées"], rows=[("A", [4, 1]), ("B", [2, 0])]
    )
    assert [[(bar.length, bar.value_text) for bar in row.bars] for row in chart["rows"]] == [
        [("1.0000", "4"), ("0.2500", "1")],
        [("0.5000", "2"), ("0", "0")],
    ]
    assert chart["description"] == "A : Déposées 4, Financées 1 ; B : Déposées 2, Financées 0"


def test_counts_of_zero_and_one_take_the_singular(client, db):
    by = member(role=R.ACADEMIE, academy=department("93").academy)
    sheet("93", "in_review", by=by, hse=8)  # one filed, none funded, none answered
    client.force_login(by)
    page = client.get(PAGE).content.decode()
    assert "fiche déposée</p>" in page and "fiche financée</p>" in page
    assert "fiche ayant reçu une réponse</p>" in page
    assert "« 1 déposée, 0 financée »" in page
    assert "Réponse en vigueur de chaque fiche (0 fiche)" in page
    # (the counts; the rules of counting below them speak of sheets in general)
    assert "fiches" not in page.split("<h1>")[1].split('id="counting-rules"')[0]


def test_many_sheets_take_the_plural(client, dataset):
    client.force_login(dataset)
    page = client.get(PAGE).content.decode()
    assert "fiches déposées</p>" in page and "fiches financées</p>" in page
    assert "« 5 déposées, 2 financées »" in page
    assert "Réponse en vigueur de chaque fiche (4 fiches)" in page


def test_export_has_the_same_figures(client, dataset):
    client.force_login(dataset)
    response = client.get(reverse("reviews:statistics_export"))
    book = load_workbook(io.BytesIO(response.content))
    assert list(book["Synthèse"].iter_rows(values_only=True))[1][1:3] == (5, 2)
    rows = {row[0]: row[1:] for row in book["Départements"].iter_rows(min_row=2, values_only=True)}
    assert rows["93 Seine-Saint-Denis"] == (3, 1, 33)


@pytest.mark.parametrize("count", [10, 500])
def test_statistics_queries_do_not_grow(client, dataset, count, django_assert_max_num_queries):
    by = dataset
    campaign = current_campaign()
    establishment = EstablishmentFactory(department=department("77"))
    # Hundreds of filed sheets in bulk (the workflow's few queries a sheet would be too slow),
    # dated as the workflow dates them.
    sheets = ProjectSheet.objects.bulk_create(
        [
            ProjectSheet(
                campaign=campaign,
                establishment=establishment,
                department=establishment.department,
                title=f"Série {n}",
                status="in_review",
                submitted_at=DAY0,
                created_by=by,
                updated_by=by,
            )
            for n in range(count)
        ]
    )
    SheetEvent.objects.bulk_create(
        [SheetEvent(sheet=s, kind="transition", transition="submit", actor=by) for s in sheets]
    )
    client.force_login(by)
    client.get(PAGE)
    with django_assert_max_num_queries(20):
        assert client.get(PAGE).status_code == 200


def test_a_sheet_counts_once_by_its_latest_answer(dataset):
    by = dataset
    later = sheet("93", "validated", by=by, euros=10, granted=(10, 0), answer=("request_info", 1))
    event(later, "validate", 3, by)
    answers = {
        a["label"]: a["count"] for a in statistics.compute(by, current_campaign())["answers"]
    }
    assert answers == {"Projet validé": 3, "En attente de précisions": 1, "Projet non validé": 1}


def test_academie_dashboard_counts_filed_sheets_like_the_statistics(client, dataset):
    client.force_login(dataset)
    page = client.get(reverse("home")).content.decode()
    figures = statistics.compute(dataset, current_campaign())
    filed_93 = next(g.filed for g in figures["by_department"] if g.label.startswith("93"))
    assert filed_93 == 3
    assert "<dt>Déposées</dt><dd>3</dd>" in page


def test_a_validation_granting_nothing_is_not_funded(dataset):
    by = dataset
    # Recorded before a validation had to grant something.
    sheet("93", "validated", by=by, hse=5, granted=(0, 0), answer=("validate", 1))
    figures = statistics.compute(by, current_campaign())
    assert (figures["filed"], figures["funded"]) == (6, 2)
    states = {g.label: (g.filed, g.funded) for g in figures["by_state"]}
    assert states["Projet validé"] == (3, 2)


def test_a_reopened_sheet_is_under_review_and_a_withdrawn_one_never_answered(dataset):
    by = dataset
    reopened = sheet(
        "93", "in_review", by=by, hse=5, granted=(0, 5), answer=("validate", 2)
    )  # its grant suspended by the reopening
    event(reopened, "reopen", 3, by)
    withdrawn = sheet("94", "withdrawn", by=by, hse=5, answer=("request_info", 1))
    figures = statistics.compute(by, current_campaign())
    assert (figures["filed"], figures["funded"]) == (7, 2)
    states = {g.label: (g.filed, g.funded) for g in figures["by_state"]}
    assert states["À l'étude à la DSDEN"] == (2, 0)
    assert states["Retiré"] == (1, 0)
    answers = {a["label"]: a["count"] for a in figures["answers"]}
    assert answers == {"Projet validé": 2, "En attente de précisions": 1, "Projet non validé": 1}
    assert figures["answered"] == 4
    # Their first answers still tell the delay: 10, 4, 2, 6, 2 and 1 days.
    assert figures["median_days"] == 3.0
    assert withdrawn.pk and reopened.pk


def test_the_page_says_how_reopened_and_withdrawn_sheets_are_counted(client, dataset):
    client.force_login(dataset)
    page = html.unescape(client.get(PAGE).content.decode())
    rules = page.split('id="counting-rules">')[1].split("</p>")[0]
    assert "Une fiche rouverte après sa réponse est de nouveau à l'étude" in rules
    assert "ne compte ni parmi les fiches financées ni parmi les réponses" in rules
    assert "Une fiche retirée après son dépôt compte parmi les fiches déposées" in rules
    assert "au moins un montant supérieur à zéro" in page


def test_the_median_delay_counts_fractions_of_days_and_takes_the_middle_one(db):
    by = member(role=R.ACADEMIE, academy=department("93").academy)
    for hours in (36, 48, 240):  # 1.5, 2 and 10 days
        answered = sheet("93", "rejected", by=by, euros=10)
        ProjectSheet.objects.filter(pk=answered.pk).update(
            first_answered_at=DAY0 + datetime.timedelta(hours=hours)
        )
    assert statistics.compute(by, current_campaign())["median_days"] == 2.0
    answered = sheet("93", "rejected", by=by, euros=10)
    ProjectSheet.objects.filter(pk=answered.pk).update(
        first_answered_at=DAY0 + datetime.timedelta(hours=63)
    )
    # 1.5, 2, 2.625 and 10: the mean of the middle two
    assert statistics.compute(by, current_campaign())["median_days"] == 2.3


def test_no_answer_no_median(db):
    by = member(role=R.ACADEMIE, academy=department("93").academy)
    sheet("93", "in_review", by=by, hse=8)
    assert statistics.compute(by, current_campaign())["median_days"] is None
