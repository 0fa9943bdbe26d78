"""The statistics' grouped counts kept in the database (``StatisticsCells``), shared by every
process, and checked against the sheets at each view: the page reads a few hundred stored
cells instead of grouping a département's tens of thousands of filed sheets (43 ms of SQL for
the 93's 24,000 at N = 100,000), and never shows figures older than the sheets.

Fresh, the stored cells are served; otherwise they are computed again, then stored. They are
fresh when:

- the latest ``updated_at`` of the scope's filed sheets of the campaign (one query, one index
  probe per département: ``sheet_dept_campaign_recent``) is the one they were computed from
  (their *watermark*). Every write of a figure moves the sheet's ``updated_at``: the
  workflow's transitions (state, first submission, first answer), the estimate's totals
  (``funding.services.estimate_write``), the sheet's edits (typology, champ) and corrections,
  and its grant (``funding.services.grant_record``: the DSDEN's validation, the académie's
  correction, the administration). A filed sheet deleted may be an older one: the signals
  below forget the stored cells, as for a grant deleted, an establishment saved (its district,
  set by the accounts' import or the administration) and a district deleted;
- and that watermark was at least ``GRACE`` old when they were computed. A sheet's
  ``updated_at`` is stamped when it is saved, before its transaction commits: a transaction
  still open while the cells were computed could commit a change dated before their
  watermark. Cells computed within ``GRACE`` of the latest change are served to nobody (the
  next view computes again), so that only a transaction open longer than ``GRACE`` (no web
  request lives that long) could go unseen.

Known limit: a bulk ``UPDATE`` of a figure's column that leaves ``updated_at`` alone (a data
migration, the demo's seed moving sheets to the previous campaign) is not seen until the next
change of the scope: such a write clears the table (``forget``)."""

import datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from funding.models import Grant
from projects.models import Department, District, Establishment, Membership, ProjectSheet
from projects.rules import SCOPES, memberships_of

from .models import StatisticsCells

R = Membership.Role
GRACE = datetime.timedelta(minutes=5)
MEANS_COLUMNS = {
    f"{side}_{kind}" for side in ("requested", "granted") for kind in ("euros", "hse", "imp")
}


def scope_departments(user) -> list[int]:
    """The départements the user's statistics cover (``statistics.scope``, which counts the
    sheets of these départements): the DSDEN's, its académie's for the staff, every one for
    the ministry."""
    memberships = [m for m in memberships_of(user) if m.role in (R.DSDEN, R.ACADEMIE, R.NATIONAL)]
    if any(SCOPES[m.role].everything for m in memberships):
        return sorted(Department.objects.values_list("pk", flat=True))
    own = {m.department_id for m in memberships if m.role == R.DSDEN}
    academies = [m.academy_id for m in memberships if m.role == R.ACADEMIE]
    if academies:
        own |= set(Department.objects.filter(academy_id__in=academies).values_list("pk", flat=True))
    return sorted(own)


def latest_change(campaign, departments: list[int]) -> datetime.datetime | None:
    """The latest ``updated_at`` of the filed sheets of ``campaign`` in ``departments``: one
    query, each département's read from the end of its index."""
    newest = (
        ProjectSheet.objects.filter(
            department=OuterRef("pk"), campaign=campaign, submitted_at__isnull=False
        )
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    latest = (
        Department.objects.filter(pk__in=departments)
        .annotate(latest=Subquery(newest))
        .values_list("latest", flat=True)
    )
    return max((moment for moment in latest if moment is not None), default=None)


def figures(campaign, departments: list[int], compute) -> tuple[list[dict], float | None]:
    """The cells and the median delay of ``campaign`` for ``departments``: stored ones when
    fresh (module docstring), else ``compute()``'s, stored for the next views."""
    key = ",".join(str(pk) for pk in departments)
    now = timezone.now()  # before the watermark is read (GRACE)
    latest = latest_change(campaign, departments)
    stored = StatisticsCells.objects.filter(campaign=campaign, departments=key).first()
    if stored is not None and _fresh(stored, latest):
        return _decoded(stored.figures)
    cells, median = compute()
    StatisticsCells.objects.update_or_create(
        campaign=campaign,
        departments=key,
        defaults={"watermark": latest, "computed_at": now, "figures": _encoded(cells, median)},
    )
    return cells, median


def _fresh(stored: StatisticsCells, latest) -> bool:
    if stored.watermark != latest:
        return False
    return latest is None or latest <= stored.computed_at - GRACE


def _encoded(cells: list[dict], median) -> dict:
    columns = list(cells[0]) if cells else []
    return {
        "columns": columns,
        "rows": [
            [str(cell[c]) if c in MEANS_COLUMNS else cell[c] for c in columns] for cell in cells
        ],
        "median_days": median,
    }


def _decoded(stored: dict) -> tuple[list[dict], float | None]:
    columns = stored["columns"]
    means = [c in MEANS_COLUMNS for c in columns]
    cells = [
        {
            column: Decimal(value) if is_means else value
            for column, value, is_means in zip(columns, row, means, strict=True)
        }
        for row in stored["rows"]
    ]
    return cells, stored["median_days"]


def forget(**_kwargs) -> None:
    """Drop every stored figure: the next views compute theirs again (a few rare writes the
    watermark cannot see, below)."""
    StatisticsCells.objects.all().delete()


def _sheet_deleted(instance, **kwargs) -> None:
    if instance.submitted_at is not None:  # a draft never counted
        forget()


def _establishment_saved(instance, created, update_fields=None, **kwargs) -> None:
    # Its district may have changed (a new one has no sheets yet).
    if not created and (update_fields is None or "district" in update_fields):
        forget()


def connect() -> None:
    """Called once, by the app's ``ready``."""
    post_delete.connect(_sheet_deleted, sender=ProjectSheet, dispatch_uid="statistics_sheet")
    post_delete.connect(forget, sender=Grant, dispatch_uid="statistics_grant")
    post_save.connect(
        _establishment_saved, sender=Establishment, dispatch_uid="statistics_establishment"
    )
    post_delete.connect(forget, sender=District, dispatch_uid="statistics_district")
