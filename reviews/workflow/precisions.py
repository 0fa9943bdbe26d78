"""The DSDEN's request for precisions a sheet awaits, read for the sheet page, the edit page
(through ``projects.pending``) and the answer block."""

from django.urls import reverse

from projects.models import ProjectSheet
from projects.pending import PendingRequest

from . import rules
from .models import InfoRequest
from .table import AWAITING_PRECISIONS


def awaited_request(sheet: ProjectSheet) -> InfoRequest | None:
    """The request the sheet awaits an answer to (none unless it awaits precisions)."""
    if sheet.status not in AWAITING_PRECISIONS:
        return None
    return sheet.info_requests.select_related("requested_by").order_by("-created_at").first()


def pending_request(user, sheet: ProjectSheet) -> PendingRequest | None:
    """The awaited request as the edit page shows it (registered in ``projects.pending``)."""
    request = awaited_request(sheet)
    if request is None:
        return None
    return PendingRequest(
        comment=request.comment,
        sections=tuple(request.sections),
        due_date=request.due_date,
        asked_at=request.created_at,
        asked_by=str(request.requested_by),
        answer_url=reverse("reviews:resubmit", args=[sheet.pk])
        if rules.can_resubmit(user, sheet)
        else "",
    )
