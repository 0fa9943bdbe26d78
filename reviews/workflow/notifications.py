"""E-mails about a sheet's history, sent through django.tasks after the commit.

``event_happened`` is called by the services once the transaction commits; the task reads
the event again, picks the recipients and sends one French message to each.
"""

import contextlib
import contextvars

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from projects.models import Membership

from .models import SheetEvent

R = Membership.Role

SUBJECTS = {
    "submit": "Nouveau projet déposé : {title}",
    "prevalidate": "Avis du réseau FOQUALE sur le projet : {title}",
    "request_info": "La DSDEN demande des précisions : {title}",
    "resubmit": "Projet complété et renvoyé : {title}",
    "validate": "Projet validé : {title}",
    "reject": "Projet non validé : {title}",
    "reopen": "Instruction rouverte : {title}",
    "withdraw": "Projet retiré : {title}",
    "advice": "Conseil MLDS sur le projet : {title}",
    "bilan": "Bilan déposé : {title}",
}


_silenced: contextvars.ContextVar[bool] = contextvars.ContextVar("aps_silenced", default=False)


@contextlib.contextmanager
def silenced():
    """No e-mail for the events of this block (the demo data's history)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def event_happened(event_pk: int) -> None:
    if not _silenced.get():
        send_event_email.enqueue(event_pk)


def _emails(queryset) -> list[str]:
    return sorted(set(queryset.filter(is_active=True).values_list("email", flat=True)))


def recipients(event: SheetEvent) -> list[str]:
    sheet = event.sheet
    User = get_user_model()
    carrier_team = (
        User.objects.filter(
            memberships__establishment=sheet.establishment, memberships__role=R.HEAD
        )
        if sheet.establishment_id
        else User.objects.filter(
            memberships__network=sheet.network, memberships__role=R.NETWORK_LEAD
        )
    )
    workers = User.objects.filter(pk__in=[sheet.created_by_id, sheet.updated_by_id])
    dsden = User.objects.filter(memberships__role=R.DSDEN, memberships__department=sheet.department)
    network_leads = User.objects.filter(
        memberships__role=R.NETWORK_LEAD,
        memberships__network__members=sheet.establishment_id,
    )
    if event.kind == SheetEvent.Kind.ADVICE:
        team = User.objects.filter(
            memberships__establishment=sheet.establishment,
            memberships__role__in=[R.HEAD, R.STAFF],
        )
        return _emails(team)
    if event.kind == SheetEvent.Kind.BILAN:
        mlds = (
            User.objects.filter(
                memberships__role=R.MLDS, memberships__district=sheet.establishment.district_id
            )
            if sheet.establishment_id
            else User.objects.none()
        )
        return sorted(set(_emails(dsden)) | set(_emails(mlds)))
    match event.transition:
        case "submit":
            return _emails(network_leads if event.to_status == "submitted" else dsden)
        case "prevalidate" | "resubmit":
            return _emails(dsden)
        case "withdraw":
            return _emails(dsden) if event.from_status != "draft" else []
        case _:
            return sorted(set(_emails(carrier_team)) | set(_emails(workers)) - {event.actor.email})


@task
def send_event_email(event_pk: int) -> int:
    event = SheetEvent.objects.select_related("sheet__campaign", "actor").get(pk=event_pk)
    to = [email for email in recipients(event) if email != event.actor.email]
    if not to:
        return 0
    name = event.transition or event.kind
    context = {
        "event": event,
        "sheet": event.sheet,
        "url": settings.SITE_URL.rstrip("/") + event.sheet.get_absolute_url(),
    }
    body = render_to_string("reviews/email/event.txt", context)
    subject = SUBJECTS[name].format(title=event.sheet.title or "fiche sans titre")
    for address in to:
        send_mail(f"APS — {subject}", body, None, [address])
    return len(to)
