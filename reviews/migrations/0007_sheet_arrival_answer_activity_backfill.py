"""Fill each sheet's arrival at the DSDEN, first answer and last news (projects 0024) from its
history, which the workflow keeps writing beside them from now on:

- ``arrived_at``: its latest submission, opinion, resubmission or reopening;
- ``first_answered_at``: its earliest validation, request for precisions or refusal;
- ``activity_at``: its latest submission, opinion or resubmission, MLDS advice or bilan.

One UPDATE with a subquery per column and per slice of sheets (PostgreSQL and SQLite alike),
only where the column is still empty: a value the workflow wrote since is kept. Backwards,
nothing to undo (the columns are dropped with projects 0024)."""

from django.db import migrations
from django.db.models import Exists, Max, Min, OuterRef, Q, Subquery

BATCH = 5000
# As reviews.workflow.table and reviews.workflow.activity name them (frozen here: a
# migration does not follow the code's later changes).
ARRIVALS = ["submit", "prevalidate", "resubmit", "reopen"]
ANSWERS = ["validate", "request_info", "reject"]
NEWS = Q(transition__in=["submit", "prevalidate", "resubmit"]) | Q(kind__in=["advice", "bilan"])


def _moment(SheetEvent, aggregate, condition):
    """The ``aggregate`` (Max, Min) of the moments of the outer sheet's events matching
    ``condition``, as a subquery."""
    events = SheetEvent.objects.filter(condition, sheet=OuterRef("pk")).order_by()
    return Subquery(
        events.values("sheet").annotate(moment=aggregate("created_at")).values("moment")[:1]
    )


def backfill(apps, schema_editor):
    ProjectSheet = apps.get_model("projects", "ProjectSheet")
    SheetEvent = apps.get_model("reviews", "SheetEvent")
    columns = {
        "arrived_at": _moment(SheetEvent, Max, Q(transition__in=ARRIVALS)),
        "first_answered_at": _moment(SheetEvent, Min, Q(transition__in=ANSWERS)),
        "activity_at": _moment(SheetEvent, Max, NEWS),
    }
    # Drafts never filed have no history: only the sheets with events are written.
    sheets = ProjectSheet.objects.filter(
        Exists(SheetEvent.objects.filter(sheet=OuterRef("pk")))
    ).order_by("pk")
    last = sheets.values_list("pk", flat=True).last()
    start = 0
    while last is not None and start <= last:
        batch = sheets.filter(pk__gte=start, pk__lt=start + BATCH)
        for column, moment in columns.items():
            batch.filter(**{f"{column}__isnull": True}).update(**{column: moment})
        start += BATCH


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_desk_notes_messages_commissions"),
        ("projects", "0024_sheet_arrival_answer_activity"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
