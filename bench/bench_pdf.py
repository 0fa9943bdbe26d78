"""Benchmark of the PDF exports (a measurement, not a test): one sheet's PDF through its view,
and the 100-sheet bulk PDF of the DSDEN commission, each as a ratio to a trivial
authenticated view measured in the same run.

Run with ``make bench`` (a throwaway SQLite database, or ``BENCH_DATABASE_URL``).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="aps-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{workdir}/bench.db")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aps.settings")
os.environ["MEDIA_ROOT"] = f"{workdir}/media"

import django  # noqa: E402

django.setup()


from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
BULK = int(os.environ.get("BENCH_BULK_SHEETS", "100"))


def seed(count: int):
    """``count`` validated sheets of one département, each with its estimate, grant and final
    bilan; returns (a DSDEN reviewer, the sheets)."""
    from projects.models import Membership, ProjectSheet
    from reviews.models import Bilan
    from tests.factories import (
        ONE_HSE_LINE,
        EstablishmentFactory,
        SheetFactory,
        add_estimate,
        advance,
        department,
        member,
    )

    reviewer = member(role=Membership.Role.DSDEN, department=department("93"))
    sheets = []
    for index in range(count):
        sheet = SheetFactory(
            establishment=EstablishmentFactory(),
            complete=True,
            estimate=False,
            objectives=["Restaurer l'assiduité", "Construire un projet", "Associer les familles"],
        )
        estimate = add_estimate(
            sheet, hse=[ONE_HSE_LINE, ONE_HSE_LINE | {"hour_kind": "peripherique"}]
        )
        sheet = advance(sheet, ProjectSheet.Status.VALIDATED)
        Bilan.objects.create(
            sheet=sheet,
            stage=Bilan.Stage.FINAL,
            objectives=f"Bilan des objectifs de l'action {index}. " * 8,
            general="Action utile, à reconduire. " * 6,
            consumed_euros=0,
            consumed_hse=estimate.total_hse,
            consumed_imp=0,
            pupils_reached=12,
            staff_mobilised=4,
            updated_by=reviewer,
            submitted_at=sheet.created_at,
            submitted_by=reviewer,
        )
        sheets.append(sheet)
    return reviewer, sheets


def timed(client, url) -> tuple[float, int]:
    """Median server time of ``RUNS`` GETs of ``url`` and the query count of one."""
    durations = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        durations.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(durations), len(queries)


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        # The bulk PDF is built below by calling its task (timed), not at enqueue time.
        "exports": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    }
    call_command("migrate", verbosity=0)
    reviewer, sheets = seed(BULK)
    client = Client()
    client.force_login(reviewer)

    baseline, baseline_queries = timed(client, reverse("password_change"))
    print(f"bench: trivial_view seconds={baseline:.4f} queries={baseline_queries}")

    one, one_queries = timed(client, reverse("reviews:sheet_pdf", kwargs={"pk": sheets[0].pk}))
    print(f"bench: pdf_one N=1 seconds={one:.3f} ratio={one / baseline:.1f} queries={one_queries}")

    from projects.models import ProjectSheet
    from reviews.documents import exports
    from reviews.models import BulkExport

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        export = exports.request_bulk_pdf(
            user=reviewer,
            sheets=ProjectSheet.objects.filter(pk__in=[s.pk for s in sheets]),
            description="bench",
        )
        exports.build_bulk_pdf.call(export.pk)
    bulk = time.perf_counter() - start
    export = BulkExport.objects.get(pk=export.pk)
    print(
        f"bench: pdf_bulk N={len(sheets)} seconds={bulk:.2f} ratio={bulk / baseline:.0f} "
        f"queries={len(queries)} pages={export.page_count} per_sheet={bulk / len(sheets):.3f}"
    )


if __name__ == "__main__":
    main()
