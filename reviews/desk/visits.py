"""When each user last opened each sheet: what happened since is marked as new, on the list,
the home page and the sheet's page."""

import datetime

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from projects.models import ProjectSheet

from .models import Visit


def record(user, sheet: ProjectSheet) -> datetime.datetime | None:
    """Record that ``user`` opens ``sheet`` now; return when they had opened it before (None:
    never), so that the page marks what is newer."""
    before = (
        Visit.objects.filter(user=user, sheet=sheet).values_list("seen_at", flat=True).first()
    )
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
