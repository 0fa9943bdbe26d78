"""The message thread of a sheet between the establishment and the DSDEN, the MLDS's advice
joining it: posting a message (with files checked by their content, like the sheet's
attachments) and reading the thread in order."""

import datetime
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction

from projects.file_checks import RefusedFile, check_upload
from projects.locks import locked_sheet
from projects.models import Membership, ProjectSheet

from . import activity, notifications, rules
from .models import Advice, Message, MessageAttachment
from .services import ReviewError, require

Side = Message.Side
MAX_FILES = 5


def post_message(
    sheet: ProjectSheet, by, text: str, files=(), in_reply_to: Advice | None = None
) -> Message:
    """Post ``text`` with ``files`` (Django UploadedFiles) on the sheet's thread, on the
    author's side; an answer to an MLDS advice names it in ``in_reply_to``. All or nothing: a
    refused file refuses the message, and nothing is kept. The other side is told by e-mail
    after the commit (and the advice's author, of an answer to it)."""
    text = (text or "").strip()
    require(bool(text), "Le message est obligatoire.")
    files = list(files or [])
    require(
        len(files) <= MAX_FILES,
        f"Joignez au plus {MAX_FILES} fichiers à un message ({len(files)} envoyés).",
    )
    documents = []
    for uploaded in files:
        try:
            documents.append(check_upload(uploaded))
        except RefusedFile as refusal:
            raise ReviewError(f"{refusal} Le message n'a pas été envoyé.") from None
    stored = []
    try:
        with transaction.atomic():
            # Checked on the locked row: the rule reads the sheet's state.
            locked = locked_sheet(sheet.pk, "establishment", "network", "department")
            if in_reply_to is None:
                require(
                    rules.can_post_message(by, locked),
                    "Seuls l'établissement et la DSDEN écrivent dans les messages d'un projet "
                    "déposé.",
                )
            else:
                require(
                    in_reply_to.sheet_id == locked.pk,
                    "Ce conseil ne porte pas sur ce projet.",
                )
                require(
                    rules.can_answer_advice(by, locked),
                    "Seul l'établissement répond à un conseil MLDS.",
                )
            message = Message.objects.create(
                sheet=locked,
                side=rules.thread_side(by, locked),
                text=text,
                author=by,
                in_reply_to=in_reply_to,
            )
            for uploaded, document in zip(files, documents, strict=True):
                attachment = MessageAttachment(
                    message=message,
                    original_name=PurePath(uploaded.name).name[:255],
                    content_type=document.content_type,
                    size=uploaded.size,
                )
                attachment.file.save(uploaded.name, uploaded, save=False)
                stored.append(attachment.file)
                attachment.save()
            if message.side != Side.REVIEWER:
                # News for the reviewers (reviews.desk marks the sheet on their lists).
                activity.touch(locked, message.created_at)
            notifications.announce_message(message)
    except Exception:
        for file in stored:
            file.delete(save=False)
        raise
    return message


@dataclass
class Entry:
    """One item of the thread: a message, or an MLDS advice (``advice`` set)."""

    side: str
    author: object
    text: str
    created_at: datetime.datetime
    message: Message | None = None
    advice: Advice | None = None
    attachments: list = field(default_factory=list)
    in_reply_to: Advice | None = None
    is_new: bool = False
    reply_form: object = None  # the form answering an advice, set by the page

    shown_side: str = ""  # set by ``thread_of``: who the author speaks for

    @property
    def side_label(self) -> str:
        if self.advice:
            return "Conseil MLDS"
        return self.shown_side or Side(self.side).label


def thread_of(sheet: ProjectSheet) -> list[Entry]:
    """The sheet's messages and MLDS advice, oldest first (three queries)."""
    entries = [
        Entry(Side.MLDS, advice.author, advice.text, advice.created_at, advice=advice)
        for advice in Advice.objects.filter(sheet=sheet).select_related("author")
    ]
    entries += [
        Entry(
            message.side,
            message.author,
            message.text,
            message.created_at,
            message=message,
            attachments=list(message.attachments.all()),
            in_reply_to=message.in_reply_to,
        )
        for message in Message.objects.filter(sheet=sheet)
        .select_related("author", "in_reply_to")
        .prefetch_related("attachments")
    ]
    _name_sides(sheet, entries)
    return sorted(entries, key=lambda entry: entry.created_at)


def _name_sides(sheet: ProjectSheet, entries: list[Entry]) -> None:
    """Who each message speaks for: the reviewers' side is the DSDEN, or the académie when its
    author is not a DSDEN reviewer of the département (one query); the carrier's side is the
    establishment, or the FOQUALE network on a network's sheet."""
    reviewers = {e.author.pk for e in entries if e.message and e.side == Side.REVIEWER}
    dsden = set(
        Membership.objects.filter(
            user__in=reviewers, role=Membership.Role.DSDEN, department=sheet.department_id
        ).values_list("user_id", flat=True)
        if reviewers
        else ()
    )
    for entry in entries:
        if entry.message is None:
            continue
        if entry.side == Side.REVIEWER:
            entry.shown_side = "DSDEN" if entry.author.pk in dsden else "Académie"
        elif entry.side == Side.CARRIER and sheet.network_id:
            entry.shown_side = "Réseau FOQUALE"


def mark_new(entries: list[Entry], side: str | None, last_seen: datetime.datetime | None) -> None:
    """Mark what the other sides wrote since the reader's previous visit (``last_seen``; None:
    never came, everything is new)."""
    for entry in entries:
        entry.is_new = entry.side != side and (last_seen is None or entry.created_at > last_seen)
