"""When each user last opened each sheet: what happened since is marked as new, on the list,
the home page and the sheet's page."""

import datetime

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from projects.models import ProjectSheet

from . import per_sheet
from .models import Visit


def record(user, sheet: ProjectSheet) -> datetime.datetime | None:
    """Record that ``user`` opens ``sheet`` now; return when they had opened it before (None:
    never), so that the page marks what is newer."""
    before = Visit.objects.filter(user=user, sheet=sheet).values_list("seen_at", flat=True).first()
    Visit.objects.update_or_create(user=user, sheet=sheet, defaults={"seen_at": timezone.now()})
    return before


def with_news(sheets: QuerySet[ProjectSheet], user) -> QuerySet[ProjectSheet]:
    """``sheets`` annotated with ``has_news``: something came from outside the DSDEN since
    ``user`` last opened the sheet (or they never opened it and something came)."""
    seen = Visit.objects.filter(user=user, sheet=OuterRef("pk")).values("seen_at")[:1]
    return sheets.annotate(last_seen_at=Subquery(seen)).annotate(
        has_news=ExpressionWrapper(
            Q(activity_at__isnull=False)
            & (Q(last_seen_at__isnull=True) | Q(activity_at__gt=F("last_seen_at"))),
            output_field=BooleanField(),
        )
    )


def desk_annotations(user) -> dict:
    """Annotations of a sheet's row that ``attach_desk`` reads instead of its own queries:
    when ``user`` last opened it, and the name of the reviewer in charge."""
    return {"seen_at": per_sheet.seen_at(user), "assignee_name": per_sheet.assignee_name()}


def attach_desk(user, sheets: list[ProjectSheet], labels: dict | None = None) -> None:
    """Give each sheet what its reviewer sees on the list and the home page: its labels
    (``desk_labels``), who is in charge (``assignee``) and whether something came since the
    reviewer last opened it (``has_news``), whatever the number of sheets: one query for their
    labels (their ids alone when ``labels``, id → label, names them: those of the reviewer's
    départements, which the list has fetched for its filter), two more unless the rows carry
    ``desk_annotations``."""
    from . import rules
    from .models import Assignment, SheetLabel

    # Only the sheets the user prepares (a reviewer may hold other roles elsewhere: a staff
    # member's own school in another département shows no other DSDEN's labels).
    for sheet in sheets:
        sheet.preparable = rules.can_prepare(user, sheet)
    ids = [sheet.pk for sheet in sheets if sheet.preparable]
    annotated = all(hasattr(sheet, "seen_at") for sheet in sheets)
    # The labels' rows: with their labels when none were given, their ids alone otherwise.
    by_sheet: dict[int, list] = {}
    rows = SheetLabel.objects.filter(sheet__in=ids)
    if labels is None:
        for row in rows.select_related("label"):
            by_sheet.setdefault(row.sheet_id, []).append(row.label)
    else:
        for sheet_id, label_id in rows.values_list("sheet_id", "label_id"):
            if label_id in labels:
                by_sheet.setdefault(sheet_id, []).append(labels[label_id])
    if not annotated:
        assignees = dict(
            Assignment.objects.filter(sheet__in=ids).values_list("sheet_id", "reviewer__full_name")
        )
        seen = dict(
            Visit.objects.filter(user=user, sheet__in=ids).values_list("sheet_id", "seen_at")
        )
    for sheet in sheets:
        sheet.desk_labels = sorted(by_sheet.get(sheet.pk, ()), key=lambda label: label.name)
        if not annotated:
            sheet.assignee_name, sheet.seen_at = assignees.get(sheet.pk), seen.get(sheet.pk)
        if not sheet.preparable:
            sheet.assignee_name, sheet.has_news = None, False
            continue
        last = sheet.seen_at
        sheet.has_news = sheet.activity_at is not None and (
            last is None or sheet.activity_at > last
        )
