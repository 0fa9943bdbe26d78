"""The benchmark of APS (a measurement, never a test): ``make bench``.

On PostgreSQL (a database of its own, ``aps_bench``, rebuilt at each run), it seeds N sheets
with their estimates, grants and history by bulk inserts, for N = 1,000, 10,000 and 100,000
(``BENCH_SIZES``), with the DSDEN 93's desk (a commission of 200 sheets, a label on 2,000,
a reviewer's 80 files: ``seed_desk``), and for each N measures the server time (median of
``BENCH_RUNS`` runs, in-process through Django's test client) and the SQL query count of the
DSDEN's pages, each as a ratio to a trivial authenticated view timed in alternation with it.
It then measures the .xlsx export (time and peak memory) and runs gunicorn (2 workers) under
locust: 50 users mixing reads and writes for 60 s on loopback (``bench/load.py``).

Every measure prints one line ``bench: NAME N=… ratio=… queries=…``; the last line is
``bench: worst list ratio at N=100000 = X``. ``BENCH_ONLY`` picks some measures by name.
"""

import datetime
import os
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://aps:aps@127.0.0.1:5432/aps_bench")
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aps.settings")
os.environ.setdefault("MEDIA_ROOT", "/tmp/aps-bench-media")
# Persistent connections, as in production (.env.example).
os.environ.setdefault("CONN_MAX_AGE", "60")

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
# Only these measures (names as printed, comma-separated; the trivial view is always timed),
# e.g. BENCH_ONLY=statistics,home_dsden BENCH_LOAD=0 to time two pages. Empty: every one.
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
CSV = ROOT / "fixtures" / "etablissements_creteil.csv"


def recreate_database() -> None:
    """Drop and create the bench database (the role may create databases)."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(BENCH_DB)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


recreate_database()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

STATES = (
    ["draft"] * 20
    + ["submitted"] * 10
    + ["in_review"] * 20
    + ["needs_info"] * 5
    + ["validated"] * 35
    + ["rejected"] * 7
    + ["withdrawn"] * 3
)
ANSWER = {"validated": "validate", "rejected": "reject", "needs_info": "request_info"}


def seed_base():
    from projects.models import Campaign
    from reviews.demo.directory import seed_directory

    call_command("migrate", verbosity=0)
    call_command("import_establishments", str(CSV), verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_directory()
    return Campaign.objects.get(is_current=True), Campaign.objects.get(school_year="2023-2024")


def grow(to_n: int, campaigns, author) -> None:
    """Bulk-insert sheets (with estimate, grant, history) until there are ``to_n``."""
    from funding.models import Estimate, Grant
    from projects import search
    from projects.action_types import VADEMECUM
    from projects.models import Establishment, ProjectSheet
    from reviews.models import SheetEvent

    # Objects, not ids: each sheet's search text is composed from its carrier.
    establishments = list(Establishment.objects.only("name", "city", "uai", "department_id"))
    typologies = [d.key for d in VADEMECUM if d.kind == "typology"]
    start = ProjectSheet.objects.count()
    rng = random.Random(start)
    base = datetime.datetime(2024, 5, 10, 9, tzinfo=datetime.UTC)
    for first in range(start, to_n, 5000):
        count = min(5000, to_n - first)
        batch = []
        for index in range(first, first + count):
            establishment = establishments[index % len(establishments)]
            status = STATES[index % len(STATES)]
            submitted = (
                None
                if status == "draft"
                else base + datetime.timedelta(days=index % 30, seconds=index)
            )
            answered = (
                submitted + datetime.timedelta(days=index % 20 + 1) if status in ANSWER else None
            )
            batch.append(
                ProjectSheet(
                    campaign=campaigns[0] if index % 5 else campaigns[1],
                    establishment=establishment,
                    department_id=establishment.department_id,
                    title=f"Action de persévérance n° {index}",
                    typology=typologies[index % len(typologies)],
                    field="intervention" if index % 3 else "remediation",
                    status=status,
                    # The first submission, copied on the sheet (the workflow does it; in
                    # bulk here, as the history below).
                    submitted_at=submitted,
                    # The workflow's other copies of the history below: the arrival at the
                    # DSDEN and the last news (the submission), the first answer.
                    arrived_at=submitted,
                    activity_at=submitted,
                    first_answered_at=answered,
                    expected_pupils=12,
                    staff_count=4,
                    problem="Absentéisme et décrochage passif.",
                    # The estimate's totals, copied on the sheet (estimate_write does it).
                    requested_euros=Decimal(rng.choice([0, 0, 300, 900, 1800])),
                    requested_hse=Decimal(rng.choice([0, 12, 24, 48])),
                    requested_imp=Decimal(rng.choice([0, 0, "0.5", 1])),
                    created_by=author,
                    updated_by=author,
                )
            )
        search.compose_sheets(batch)
        # Last changed before the measures, as in a database in use (a bulk insert stamps
        # every sheet now, which the stored statistics would take for changes still
        # settling: reviews.desk.statistics_store.GRACE).
        with time_machine.travel(base + datetime.timedelta(days=60, seconds=first), tick=False):
            sheets = ProjectSheet.objects.bulk_create(batch)
        estimates, grants, events = [], [], []
        for sheet in sheets:
            euros, hse, imp = sheet.requested_euros, sheet.requested_hse, sheet.requested_imp
            estimates.append(
                Estimate(
                    sheet=sheet, total_euros=euros, total_hse=hse, total_imp=imp, updated_by=author
                )
            )
            if sheet.status == "validated":
                grants.append(
                    Grant(
                        sheet=sheet,
                        requested_euros=euros,
                        requested_hse=hse,
                        requested_imp=imp,
                        euros=euros,
                        hse=hse * Decimal("0.8"),
                        imp=imp,
                        granted_by=author,
                    )
                )
            if sheet.status != "draft":
                day = sheet.submitted_at
                events.append(
                    SheetEvent(
                        sheet=sheet,
                        kind="transition",
                        transition="submit",
                        from_status="draft",
                        to_status="in_review",
                        actor=author,
                        created_at=day,
                    )
                )
                if sheet.status in ANSWER:
                    events.append(
                        SheetEvent(
                            sheet=sheet,
                            kind="transition",
                            transition=ANSWER[sheet.status],
                            from_status="in_review",
                            to_status=sheet.status,
                            actor=author,
                            created_at=sheet.first_answered_at,  # the answer
                        )
                    )
        Estimate.objects.bulk_create(estimates, batch_size=5000)
        Grant.objects.bulk_create(grants, batch_size=5000)
        SheetEvent.objects.bulk_create(events, batch_size=5000)
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: statistics and the visibility map (the
        # counts then read the indexes only).
        cursor.execute("VACUUM ANALYZE")


def seed_desk(campaign, reviewer) -> dict:
    """The DSDEN 93's desk (made at the first N, topped up at the next ones): a commission
    with 200 sheets awaiting an answer on its agenda (a third with proposals), a label on
    2,000 sheets, and ``reviewer`` with 50 assignments and 30 follows. Returns the ids the
    measures open, and the agenda's and the label's sizes."""
    from projects.models import Department, ProjectSheet
    from reviews.desk.models import (
        Assignment,
        Commission,
        CommissionSheet,
        Follow,
        Label,
        SheetLabel,
    )
    from reviews.workflow.table import AWAITING_ANSWER

    department = Department.objects.get(code="93")
    sheets = ProjectSheet.objects.filter(department=department, campaign=campaign)
    commission, _ = Commission.objects.get_or_create(
        department=department,
        campaign=campaign,
        means=Commission.Means.CREDITS,
        defaults={"date": datetime.date(2024, 7, 4), "created_by": reviewer},
    )
    on_agenda = set(commission.items.values_list("sheet_id", flat=True))
    awaiting = sheets.filter(status__in=sorted(AWAITING_ANSWER)).order_by("pk")
    items = []
    for sheet in awaiting.exclude(pk__in=on_agenda)[: 200 - len(on_agenda)]:
        proposed = (len(on_agenda) + len(items)) % 3 == 0
        items.append(
            CommissionSheet(
                commission=commission,
                sheet=sheet,
                position=len(on_agenda) + len(items) + 1,
                proposed_euros=sheet.requested_euros if proposed else None,
                proposed_hse=sheet.requested_hse if proposed else None,
                proposed_imp=sheet.requested_imp if proposed else None,
                proposed_by=reviewer if proposed else None,
                proposed_at=sheet.submitted_at if proposed else None,
            )
        )
    CommissionSheet.objects.bulk_create(items)
    label, _ = Label.objects.get_or_create(
        department=department, name="Prêt pour la commission", defaults={"colour": "green-emeraude"}
    )
    labelled = set(SheetLabel.objects.filter(label=label).values_list("sheet_id", flat=True))
    filed = sheets.filter(submitted_at__isnull=False).order_by("-pk")
    SheetLabel.objects.bulk_create(
        SheetLabel(label=label, sheet_id=pk, added_by=reviewer)
        for pk in filed.exclude(pk__in=labelled).values_list("pk", flat=True)[
            : 2000 - len(labelled)
        ]
    )
    if not Assignment.objects.filter(reviewer=reviewer).exists():
        # Spread over the campaign's filed sheets of the 93, as a reviewer's files are.
        ids = list(filed.values_list("pk", flat=True)[::7][:80])
        Assignment.objects.bulk_create(
            Assignment(sheet_id=pk, reviewer=reviewer, assigned_by=reviewer) for pk in ids[:50]
        )
        Follow.objects.bulk_create(Follow(sheet_id=pk, user=reviewer) for pk in ids[50:])
    with connection.cursor() as cursor:
        # As autovacuum would: the planner's statistics of the desk's tables.
        for table in ("commissionsheet", "sheetlabel", "assignment", "follow"):
            cursor.execute(f"ANALYZE reviews_{table}")
    return {
        "commission": commission.pk,
        "agenda": commission.items.count(),
        "label": label.pk,
        "labelled": SheetLabel.objects.filter(label=label).count(),
    }


TRIVIAL = "/mot-de-passe/"


def _forget_statistics():
    from reviews.desk import statistics_store

    statistics_store.forget()


BEFORE = {"statistics_uncached": _forget_statistics}


def _get(client, url) -> float:
    start = time.perf_counter()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        for _chunk in response.streaming_content:
            pass
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - start


def timed(client, url, before=None) -> tuple[float, float, int]:
    """The median time of ``url`` and of the trivial view for the same user, taken in
    alternation so that the machine's drift during the run weighs on both alike, and the
    page's number of queries; ``before``: run (untimed) before each request of the page."""
    before = before or (lambda: None)
    before()
    _get(client, url)  # warm-up: templates compiled, connections open
    _get(client, TRIVIAL)
    page, trivial = [], []
    for _ in range(RUNS):
        trivial.append(_get(client, TRIVIAL))
        before()
        page.append(_get(client, url))
    before()
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return statistics.median(page), statistics.median(trivial), len(queries)


def export_memory(client, url) -> tuple[float, float, int]:
    """Time of one export, then its peak Python memory in MB (tracemalloc slows the run it
    watches: measured apart) and its number of rows."""
    import io

    from openpyxl import load_workbook

    def run():
        return b"".join(client.get(url).streaming_content)

    start = time.perf_counter()
    data = run()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Fiches"]
    rows = sum(1 for _row in sheet.iter_rows(min_row=2, values_only=True))
    return elapsed, peak / 1e6, rows


def main() -> None:
    # Not setup_test_environment(): its instrumented template rendering would be measured.
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    from aps.models import User
    from projects.models import ProjectSheet

    print(
        f"bench: machine {os.cpu_count()} cores, {connection.vendor} "
        f"{connection.cursor().connection.server_version}, {RUNS} runs per measure"
    )
    campaigns = seed_base()
    author = User.objects.get(email="dsden93@aps.test")
    dsden = Client()
    dsden.force_login(author)
    academie = Client()
    academie.force_login(User.objects.get(email="academie@aps.test"))
    worst = {}
    for n in SIZES:
        started = time.perf_counter()
        grow(n, campaigns, author)
        print(f"bench: seeded N={n} in {time.perf_counter() - started:.0f} s")
        sheet = ProjectSheet.objects.filter(department__code="93", status="validated").first()
        desk = seed_desk(campaigns[0], author)
        baseline, _, base_queries = timed(dsden, TRIVIAL)
        print(f"bench: trivial_view N={n} seconds={baseline:.4f} ratio=1.0 queries={base_queries}")
        measures = [
            ("dsden_list", dsden, "/projets/"),
            ("filtered_list", dsden, "/projets/?status=in_review&means=hse&o=-hse"),
            # a city: the sheets of its establishments
            ("search_list", dsden, "/projets/?q=Montreuil"),
            # a UAI: the few sheets of one establishment
            ("search_uai_list", dsden, f"/projets/?q={sheet.establishment.uai}"),
            # a word of every title of the bench and a two-digit number (matched at the start
            # of a word): the worst case of the search
            ("search_common_word_list", dsden, "/projets/?q=persévérance+12"),
            ("sorted_by_submission_list", dsden, "/projets/?o=-submitted"),
            ("sorted_by_title_list", dsden, "/projets/?o=title"),
            ("academie_list", academie, "/projets/?campaign="),
            ("sheet_detail", dsden, f"/projets/{sheet.pk}/"),
            ("statistics", dsden, "/statistiques/"),
            # the same, its stored cells forgotten before each view: the cost of the first
            # view after a change (reviews.desk.statistics_store)
            ("statistics_uncached", dsden, "/statistiques/"),
            ("home_dsden", dsden, "/"),
            # the reviewers' desk: a commission's agenda, the list by label and by assignment
            ("commission", dsden, reverse("reviews:commission_detail", args=[desk["commission"]])),
            ("list_label", dsden, f"/projets/?label={desk['label']}"),
            ("list_mine", dsden, "/projets/?desk=mine"),
            ("list_assigned", dsden, "/projets/?desk=assigned"),
            ("pdf_one", dsden, f"/projets/{sheet.pk}/fiche.pdf"),
        ]
        for name, client, url in measures:
            if ONLY and name not in ONLY:
                continue
            seconds, trivial, queries = timed(client, url, BEFORE.get(name))
            ratio = seconds / trivial
            if name.endswith("_list"):
                worst[n] = max(worst.get(n, 0), ratio)
            print(f"bench: {name} N={n} ratio={ratio:.1f} queries={queries} seconds={seconds:.4f}")
        if not ONLY or "xlsx_export" in ONLY:
            elapsed, peak, rows = export_memory(
                academie, "/projets/export.xlsx?campaign=&status=validated&department=93"
            )
            print(
                f"bench: xlsx_export N={n} rows={rows} seconds={elapsed:.2f} "
                f"ratio={elapsed / baseline:.0f} peak_memory_mb={peak:.1f}"
            )
        reset_queries()
    if os.environ.get("BENCH_LOAD", "1") == "1":
        from bench.load import run_load

        for line in run_load(BENCH_DB):
            print(line)
    last = SIZES[-1]
    if last in worst:
        print(f"bench: worst list ratio at N={last} = {worst[last]:.1f}")


if __name__ == "__main__":
    main()
