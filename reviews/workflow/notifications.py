"""E-mails about a sheet's history, sent through django.tasks after the commit.

``announce`` is called by the services with each event and queues the task for after the
commit; the task reads the event again, picks the recipients and sends one French message to
each.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from aps.single_line import one_line
from projects.campaigns import sheet_calendar
from projects.models import Membership, ProjectSheet
from projects.rules import carrier_team, users_covering

from . import submission
from .models import Message, SheetEvent
from .table import AWAITING_OPINION

R = Membership.Role
logger = logging.getLogger(__name__)

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
    "grant": "HSE et IMP accordées : {title}",
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


def announce(event: SheetEvent) -> None:
    """Send the e-mails of ``event`` once the transaction commits (unless silenced here, when
    the event is written: the commit may come after the silenced block)."""
    if not _silenced.get():
        transaction.on_commit(lambda: send_event_email.enqueue(event.pk))
        if event.transition == "submit":
            transaction.on_commit(lambda: send_submission_receipt.enqueue(event.pk))


def _emails(users) -> set[str]:
    return set(users.values_list("email", flat=True))


def _team(sheet: ProjectSheet) -> set[str]:
    """Everyone who works on the sheet: the establishment's head and staff, or the network's
    lead(s) on a network's sheet (``carrier_team``)."""
    return _emails(carrier_team(sheet, R.HEAD, R.STAFF))


def recipients(event: SheetEvent) -> list[str]:
    """Who hears of an event: the scopes of ``projects.rules`` name them."""
    sheet = event.sheet
    if event.kind == SheetEvent.Kind.ADVICE:
        return sorted(_team(sheet))
    if event.kind == SheetEvent.Kind.BILAN:
        return sorted(_emails(users_covering(sheet, R.DSDEN, R.MLDS)))
    match event.transition:
        case "submit":
            # Waiting for the network's opinion, or already with the DSDEN.
            role = R.NETWORK_LEAD if event.to_status in AWAITING_OPINION else R.DSDEN
            return sorted(_emails(users_covering(sheet, role)))
        case "prevalidate":
            # The DSDEN, which now studies the sheet, and the establishment's team.
            return sorted(_emails(users_covering(sheet, R.DSDEN)) | _team(sheet))
        case "resubmit" | "withdraw":
            return sorted(_emails(users_covering(sheet, R.DSDEN)))
        case _:
            # An answer (a request for precisions included) or a reopening: everyone who
            # works on the sheet, and whoever wrote it.
            workers = get_user_model().objects.filter(
                is_active=True, pk__in=[sheet.created_by_id, sheet.updated_by_id]
            )
            return sorted((_team(sheet) | _emails(workers)) - {event.actor.email})


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def deliver(*, subject: str, body: str, to: list[str]) -> bool:
    """Send one message, its subject on one line; a failure is logged at error level (with
    its cause) and returned, never raised: the others are still sent, and counted."""
    try:
        sent = send_mail(one_line(subject), body, None, to)
    except Exception:
        logger.exception("E-mail not sent to %s: %s", ", ".join(to), one_line(subject))
        return False
    if not sent:
        logger.error("E-mail not sent to %s: %s", ", ".join(to), one_line(subject))
    return bool(sent)


@task
def send_event_email(event_pk: int) -> dict[str, int]:
    """One message per recipient; returns how many were sent and how many failed."""
    event = SheetEvent.objects.select_related("sheet__campaign", "actor").get(pk=event_pk)
    to = [email for email in recipients(event) if email != event.actor.email]
    if not to:
        return {"sent": 0, "failed": 0}
    name = event.transition or event.kind
    context = {
        "event": event,
        "sheet": event.sheet,
        "url": _site_url(event.sheet.get_absolute_url()),
        "awaits_opinion": event.to_status in AWAITING_OPINION,
    }
    body = render_to_string("reviews/email/event.txt", context)
    subject = SUBJECTS[name].format(title=one_line(event.sheet.title) or "fiche sans titre")
    sent = sum(deliver(subject=f"APS — {subject}", body=body, to=[address]) for address in to)
    return {"sent": sent, "failed": len(to) - sent}


@task
def send_submission_receipt(event_pk: int) -> dict[str, int]:
    """The acknowledgement of a submission, to everyone who works on the sheet (the head who
    submitted included): its reference, date and time, the means requested, what comes next,
    and the links to the sheet and to its receipt (PDF)."""
    event = SheetEvent.objects.select_related(
        "sheet__campaign", "sheet__department", "sheet__establishment", "sheet__network", "actor"
    ).get(pk=event_pk)
    sheet = event.sheet
    to = sorted(_team(sheet))
    if not to:
        return {"sent": 0, "failed": 0}
    means = submission.submitted_means(sheet, event.details)
    context = {
        "event": event,
        "sheet": sheet,
        "reference": submission.receipt_reference(sheet),
        "means": means,
        "deadlines": submission.deadlines(sheet_calendar(sheet), means),
        "awaits_opinion": event.to_status in AWAITING_OPINION,
        "url": _site_url(sheet.get_absolute_url()),
        "receipt_url": _site_url(reverse("reviews:receipt_pdf", args=[sheet.pk])),
    }
    body = render_to_string("reviews/email/submission_receipt.txt", context)
    title = one_line(sheet.title) or "fiche sans titre"
    subject = f"APS — Accusé de dépôt : {title}"
    sent = sum(deliver(subject=subject, body=body, to=[address]) for address in to)
    return {"sent": sent, "failed": len(to) - sent}


# --- Messages of a sheet's thread (reviews.workflow.messages) ------------------------------


def announce_message(message) -> None:
    """Send the e-mails of a new message once the transaction commits (unless silenced)."""
    if not _silenced.get():
        transaction.on_commit(lambda: send_message_email.enqueue(message.pk))


def message_recipients(message) -> list[str]:
    """The other side: the carrier's message goes to the DSDEN reviewers of the département
    (none on a draft, which they do not see), the reviewers' to the establishment's head and
    staff (the network lead of a network's sheet); an answer to an MLDS advice also to the
    advice's author. Never the author."""
    sheet = message.sheet
    if message.side == Message.Side.REVIEWER:
        to = _team(sheet)
    else:
        to = _emails(users_covering(sheet, R.DSDEN))
    # The advice's author, while still the MLDS of the sheet's district (and active).
    if (
        message.in_reply_to_id
        and users_covering(sheet, R.MLDS).filter(pk=message.in_reply_to.author_id).exists()
    ):
        to.add(message.in_reply_to.author.email)
    return sorted(to - {message.author.email})


@task
def send_message_email(message_pk: int) -> dict[str, int]:
    """One e-mail per recipient, with the message's text and a link to the sheet's thread."""
    message = (
        Message.objects.select_related(
            "sheet__campaign", "sheet__department__academy", "author", "in_reply_to__author"
        )
        .prefetch_related("attachments")
        .get(pk=message_pk)
    )
    to = message_recipients(message)
    if not to:
        return {"sent": 0, "failed": 0}
    sheet = message.sheet
    context = {
        "message": message,
        "sheet": sheet,
        "url": _site_url(sheet.get_absolute_url()) + "#messages",
        # Who the reviewers' side speaks for: the DSDEN, or the académie's staff.
        "reviewer_side": "DSDEN"
        if users_covering(sheet, R.DSDEN).filter(pk=message.author_id).exists()
        else "académie",
    }
    body = render_to_string("reviews/email/message.txt", context)
    title = one_line(sheet.title) or "fiche sans titre"
    subject = (
        f"APS — Réponse à un conseil MLDS : {title}"
        if message.in_reply_to_id
        else f"APS — Nouveau message sur le projet : {title}"
    )
    sent = sum(deliver(subject=subject, body=body, to=[address]) for address in to)
    return {"sent": sent, "failed": len(to) - sent}
