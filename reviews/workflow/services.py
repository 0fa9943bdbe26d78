"""The transitions of a sheet: one function each.

Every function checks the rule (reviews.workflow.rules) and the precondition, then, inside one
transaction with the sheet row locked, writes the new state, appends a SheetEvent and queues
the e-mails for after the commit. A refusal raises ReviewError with a French message.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aps import clock
from funding.models import Estimate, Grant
from funding.services import FundingError, envelope_use, grant_record, overspend_message
from projects.locks import locked_sheet
from projects.models import ProjectSheet
from projects.sections import ASKABLE
from projects.services import CONTENT_FIELDS

from . import activity, notifications, rules, submission
from .models import Advice, InfoRequest, Opinion, SheetEvent
from .table import ANSWERS, ARRIVALS, AWAITING_OPINION, GRANT_STANDS, TRANSITIONS

S = ProjectSheet.Status


class ReviewError(Exception):
    """A refused transition; the message is French and shown to the user."""


ALREADY_ANSWERED = "Ce projet a déjà reçu une réponse."
ALREADY_SUBMITTED = "Ce projet a déjà été déposé."
# A validation funds the action: refusing the funding is the other answer.
ZERO_GRANT = (
    "Une validation accorde des moyens : au moins un montant doit être supérieur à zéro. "
    "Pour refuser le financement, choisissez « Ne pas valider le projet »."
)
ASKABLE_KEYS = {section.key for section in ASKABLE}


def lock_sheet(sheet: ProjectSheet) -> ProjectSheet:
    """The sheet, its row locked (alone: projects.locks says why), read again with what the
    transitions look at."""
    return locked_sheet(sheet.pk, "campaign", "establishment", "network")


def _move(sheet, *, name, by, target=None, comment="", details=None, at=None) -> SheetEvent:
    """Write the new state of a locked sheet (with the date of its first submission, in the
    same UPDATE) and its history line, at one moment: ``at``, the moment of the record the
    transition writes beside it (opinion, request, grant), so that the two never tell two
    dates."""
    transition = TRANSITIONS[name]
    target = target or transition.target
    assert target in transition.targets, (name, target)
    source = sheet.status
    now = at or timezone.now()
    sheet.status = target
    fields = ["status", "updated_at"]
    if name == "submit" and sheet.submitted_at is None:
        # The first submission, kept on the sheet for the lists (never written elsewhere).
        sheet.submitted_at = now
        fields.append("submitted_at")
    if name in ARRIVALS:
        # Since now the sheet waits for the DSDEN's answer (the home page's oldest first).
        sheet.arrived_at = now
        fields.append("arrived_at")
    if name in ANSWERS and sheet.first_answered_at is None:
        sheet.first_answered_at = now  # the statistics' delay to a first answer
        fields.append("first_answered_at")
    if name in activity.NEWS:
        sheet.activity_at = now  # news for the reviewers (reviews.workflow.activity)
        fields.append("activity_at")
    sheet.save(update_fields=fields)
    event = SheetEvent.objects.create(
        sheet=sheet,
        kind=SheetEvent.Kind.TRANSITION,
        transition=name,
        from_status=source,
        to_status=sheet.status,
        actor=by,
        comment=comment,
        details=details or {},
        created_at=now,
    )
    notifications.announce(event)
    return event


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ReviewError(message)


def _required_text(text: str, what: str) -> str:
    text = (text or "").strip()
    require(bool(text), f"{what} est obligatoire.")
    return text


def _state_allows(sheet, name: str, message: str) -> None:
    require(sheet.status in TRANSITIONS[name].sources, message)


# --- Submission ------------------------------------------------------------------------


@transaction.atomic
def submit(*, sheet: ProjectSheet, by, today: datetime.date | None = None) -> SheetEvent:
    """``today`` defaults to the real date (the demo data files sheets in their campaign)."""
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "submit", ALREADY_SUBMITTED)
    require(
        rules.can_submit(by, sheet), "Seul le chef ou la cheffe d'établissement dépose le projet."
    )
    problems = submission.blockers(sheet, today or clock.today())
    require(not problems, " ".join(problems))
    submit = TRANSITIONS["submit"]
    to_network = bool(submission.networks_to_give_opinion(sheet))
    return _move(
        sheet,
        name="submit",
        by=by,
        target=submit.target if to_network else submit.shortcut,
        # What was requested when filed, for the receipt (the estimate may change later,
        # after a request for precisions).
        details=submission.requested_means(sheet).as_details(),
    )


# --- FOQUALE opinion, MLDS advice -------------------------------------------------------


@transaction.atomic
def prevalidate(*, sheet: ProjectSheet, by, value: str, comment: str) -> SheetEvent:
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "prevalidate", "Ce projet n'attend plus l'avis du réseau.")
    require(
        rules.can_prevalidate(by, sheet),
        "Seul le réseau FOQUALE de l'établissement donne cet avis.",
    )
    require(
        value in Opinion.Value.values, "Choisissez un avis : favorable, réservé ou défavorable."
    )
    comment = _required_text(comment, "Le commentaire du comité de pilotage")
    opinion = Opinion.objects.create(sheet=sheet, value=value, comment=comment, author=by)
    return _move(
        sheet,
        name="prevalidate",
        by=by,
        comment=comment,
        details={"opinion": value},
        at=opinion.created_at,
    )


@transaction.atomic
def advise(*, sheet: ProjectSheet, by, text: str) -> Advice:
    require(
        rules.can_advise(by, sheet),
        "Seul le coordonnateur ou la coordonnatrice MLDS du district conseille.",
    )
    text = _required_text(text, "Le conseil")
    advice = Advice.objects.create(sheet=sheet, text=text, author=by)
    # The advice's own moment on its history line: the same advice is never dated twice.
    event = SheetEvent.objects.create(
        sheet=sheet,
        kind=SheetEvent.Kind.ADVICE,
        actor=by,
        comment=text,
        from_status=sheet.status,
        to_status=sheet.status,
        created_at=advice.created_at,
    )
    activity.touch(sheet, advice.created_at)
    notifications.announce(event)
    return advice


# --- DSDEN answers ----------------------------------------------------------------------


def sheet_snapshot(sheet: ProjectSheet) -> dict:
    """The content of a sheet as JSON, to tell later what changed."""
    snapshot = {
        name: (value.isoformat() if isinstance(value, datetime.date) else value)
        for name in CONTENT_FIELDS
        for value in [getattr(sheet, name)]
    }
    snapshot["objectives"] = [o.text for o in sheet.objectives.all()]
    snapshot["criteria"] = [c.text for c in sheet.criteria.all()]
    estimate = Estimate.objects.filter(sheet=sheet).first()
    for field in ("total_euros", "total_hse", "total_imp"):
        snapshot[field] = str(getattr(estimate, field)) if estimate else "0"
    snapshot["attachments"] = sorted(a.original_name for a in sheet.attachments.all())
    return snapshot


@transaction.atomic
def request_info(
    *, sheet: ProjectSheet, by, comment: str, sections=(), due_date=None
) -> InfoRequest:
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "request_info", ALREADY_ANSWERED)
    require(rules.can_answer(by, sheet), "Seule la DSDEN du département répond au projet.")
    comment = _required_text(comment, "La demande de précisions")
    sections = list(sections)  # keys of projects.sections, stored; their titles are shown
    unknown = ", ".join(key for key in sections if key not in ASKABLE_KEYS)
    require(not unknown, f"Rubrique inconnue : {unknown}.")
    require(
        due_date is None or due_date >= clock.today(),
        "La date de retour demandée est déjà passée.",
    )
    request = InfoRequest.objects.create(
        sheet=sheet,
        comment=comment,
        sections=sections,
        due_date=due_date,
        snapshot=sheet_snapshot(sheet),
        requested_by=by,
    )
    _move(
        sheet,
        name="request_info",
        by=by,
        comment=comment,
        details={
            "sections": sections,
            "due_date": due_date.isoformat() if due_date else None,
        },
        at=request.created_at,
    )
    return request


@transaction.atomic
def resubmit(*, sheet: ProjectSheet, by, answer: str) -> SheetEvent:
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "resubmit", "Ce projet n'attend pas de précisions.")
    require(
        rules.can_resubmit(by, sheet),
        "Seul le chef ou la cheffe d'établissement renvoie le projet.",
    )
    answer = _required_text(answer, "La réponse à la DSDEN")
    request = sheet.info_requests.order_by("-created_at").first()
    now = timezone.now()
    if request is not None:
        request.answer, request.answered_at = answer, now
        request.save(update_fields=["answer", "answered_at"])
    return _move(sheet, name="resubmit", by=by, comment=answer, at=now)


def grants_something(*, euros, hse, imp) -> bool:
    """Whether a validation's amounts grant anything (one above zero at least)."""
    return any((amount or 0) > 0 for amount in (euros, hse, imp))


def _granted(grant) -> dict:
    """What a grant's history line keeps of it (shown by the history and the e-mails)."""
    return {
        "euros": str(grant.euros),
        "hse": str(grant.hse),
        "imp": str(grant.imp),
        "partial": grant.is_partial,
    }


@transaction.atomic
def validate(
    *,
    sheet: ProjectSheet,
    by,
    euros: Decimal,
    hse: Decimal,
    imp: Decimal,
    comment: str = "",
    confirm_over_envelope: bool = False,
) -> SheetEvent:
    """Grant and validate. The sheet's row is locked, then its envelope's: every decision
    that spends the envelope takes the two in this order (a sheet, then its one envelope),
    so two validations wait for each other on the envelope and never deadlock, and the
    remainder is read under the lock, the other's grant included."""
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "validate", ALREADY_ANSWERED)
    require(rules.can_answer(by, sheet), "Seule la DSDEN du département répond au projet.")
    require(grants_something(euros=euros, hse=hse, imp=imp), ZERO_GRANT)
    use = envelope_use(campaign=sheet.campaign, department=sheet.department, lock=True)
    if use is not None and not confirm_over_envelope:
        over = use.beyond(euros=euros, hse=hse, imp=imp)
        require(not over, f"{overspend_message(over)} : confirmez pour valider quand même.")
    without_opinion = sheet.status in AWAITING_OPINION
    try:
        grant = grant_record(sheet=sheet, by=by, euros=euros, hse=hse, imp=imp)
    except FundingError as error:
        raise ReviewError(str(error)) from None
    return _move(
        sheet,
        name="validate",
        by=by,
        comment=(comment or "").strip(),
        details=_granted(grant) | {"without_network_opinion": without_opinion},
        at=grant.granted_at,
    )


@transaction.atomic
def complete_grant(
    *,
    sheet: ProjectSheet,
    by,
    hse: Decimal,
    imp: Decimal,
    comment: str = "",
    confirm_over_envelope: bool = False,
) -> SheetEvent:
    """The HSE and IMP of a validated sheet, granted after its credits (the October
    commission): its grant's HSE and IMP become ``hse`` and ``imp``, its credits stay; the
    sheet stays validated. Locks as ``validate`` does: the sheet, then its envelope."""
    sheet = lock_sheet(sheet)
    require(
        sheet.status in GRANT_STANDS,
        "Seul un projet validé reçoit ses HSE et IMP en complément de ses crédits.",
    )
    require(rules.can_complete_grant(by, sheet), "Seule la DSDEN du département répond au projet.")
    current = Grant.objects.get(sheet=sheet)
    require(
        (hse, imp) != (current.hse, current.imp) and (hse > 0 or imp > 0),
        "Aucune HSE ni IMP de plus n'est accordée : rien à compléter.",
    )
    use = envelope_use(campaign=sheet.campaign, department=sheet.department, lock=True)
    if use is not None and not confirm_over_envelope:
        over = use.beyond(
            euros=current.euros,
            hse=hse,
            imp=imp,
            given_back={"euros": current.euros, "hse": current.hse, "imp": current.imp},
        )
        require(not over, f"{overspend_message(over)} : confirmez pour valider quand même.")
    try:
        grant = grant_record(sheet=sheet, by=by, euros=current.euros, hse=hse, imp=imp)
    except FundingError as error:
        raise ReviewError(str(error)) from None
    event = SheetEvent.objects.create(
        sheet=sheet,
        kind=SheetEvent.Kind.GRANT,
        from_status=sheet.status,
        to_status=sheet.status,
        actor=by,
        comment=(comment or "").strip(),
        details=_granted(grant),
        created_at=grant.granted_at,
    )
    notifications.announce(event)
    return event


@transaction.atomic
def reject(*, sheet: ProjectSheet, by, comment: str) -> SheetEvent:
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "reject", ALREADY_ANSWERED)
    require(rules.can_answer(by, sheet), "Seule la DSDEN du département répond au projet.")
    comment = _required_text(comment, "Le commentaire (pour réorienter l'action)")
    return _move(sheet, name="reject", by=by, comment=comment)


@transaction.atomic
def reopen(*, sheet: ProjectSheet, by, reason: str) -> SheetEvent:
    sheet = lock_sheet(sheet)
    _state_allows(sheet, "reopen", "Seul un projet validé ou non validé se rouvre.")
    require(
        rules.can_reopen(by, sheet),
        "Seules la DSDEN du département et l'académie rouvrent un projet.",
    )
    reason = _required_text(reason, "Le motif de réouverture")
    return _move(sheet, name="reopen", by=by, comment=reason)


@transaction.atomic
def withdraw(*, sheet: ProjectSheet, by, comment: str = "") -> SheetEvent:
    sheet = lock_sheet(sheet)
    require(
        not sheet.is_draft,
        "Un brouillon n'a jamais été déposé : il ne se retire pas, il se supprime.",
    )
    _state_allows(
        sheet, "withdraw", "Ce projet a déjà reçu une réponse : il ne peut plus être retiré."
    )
    require(
        rules.can_withdraw(by, sheet), "Seul le chef ou la cheffe d'établissement retire le projet."
    )
    return _move(sheet, name="withdraw", by=by, comment=(comment or "").strip())
