"""The demo's desk of the DSDEN 93, as its two reviewers left it on the eve of the demo's day:
the default labels of every département, a few sheets labelled, assigned and followed, two
private notes, a message and its answer, and the credits commission of early July with its
agenda and some proposed amounts — so that a visitor may play the commission. Written through
the desk's and the workflow's own services; seeded once (a second run changes nothing)."""

import datetime
from decimal import Decimal

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.models import Campaign, Department, Membership, ProjectSheet
from reviews.desk import commissions, preparation
from reviews.desk.models import Commission, Label
from reviews.workflow import messages, notes, notifications
from reviews.workflow.table import AWAITING_ANSWER

from .directory import COLLEGE_UAI, LYCEE_UAI

REVIEWER = "dsden93@aps.test"
SECOND_REVIEWER = "dsden93.instructeur@aps.test"
# The credits commission of the 93: after the demo's day (3 June), before the credits' answer
# (10 July).
COMMISSION_DATE = datetime.date(2024, 7, 4)
# The agenda's sheets that have a proposal already: the others await the visitor's.
PROPOSED = 3


def _moment(day: int, hour: int) -> datetime.datetime:
    """A moment of the last days of May 2024, the week before the demo's day."""
    return timezone.make_aware(datetime.datetime(2024, 5, day, hour))


def _at(day: int, hour: int):
    return time_machine.travel(_moment(day, hour), tick=False)


def seed_desk() -> None:
    """The default labels everywhere, then the 93's desk unless it has a commission."""
    for department in Department.objects.order_by("code"):
        preparation.default_labels_create(department)
    department = Department.objects.filter(code="93").first()
    if department is None or Commission.objects.filter(department=department).exists():
        return
    User = get_user_model()
    reviewer = User.objects.filter(email=REVIEWER).first()
    second = User.objects.filter(email=SECOND_REVIEWER).first()
    campaign = Campaign.objects.filter(is_current=True).first()
    if reviewer is None or second is None or campaign is None:
        return
    awaiting = sorted(
        ProjectSheet.objects.filter(
            department=department, campaign=campaign, status__in=AWAITING_ANSWER
        ).select_related("establishment", "network", "department", "campaign"),
        # The demo's two establishments first: the visitor knows them.
        key=lambda sheet: (
            not (sheet.establishment_id and sheet.establishment.uai in (COLLEGE_UAI, LYCEE_UAI)),
            sheet.pk,
        ),
    )
    if not awaiting:
        return
    with notifications.silenced():
        _prepare(awaiting, department, reviewer, second)
        _talk(awaiting, reviewer)
        _commission(awaiting, department, campaign, reviewer, second)


def _prepare(sheets, department, reviewer, second) -> None:
    """Each reviewer in charge of half the sheets, a few labels, a few followed."""
    labels = {label.name: label for label in Label.objects.filter(department=department)}
    with _at(28, 10):
        for index, sheet in enumerate(sheets):
            preparation.assign(
                sheet=sheet, by=reviewer, reviewer=reviewer if index % 2 == 0 else second
            )
        preparation.labels_apply(
            sheets=sheets[:PROPOSED], by=reviewer, label=labels["Prêt pour la commission"]
        )
        if to_review := sheets[PROPOSED : PROPOSED + 1]:
            preparation.labels_apply(sheets=to_review, by=second, label=labels["À revoir"])
    with _at(29, 15):
        for sheet in sheets[:2]:
            preparation.follow(sheet=sheet, by=second)
        preparation.follow(sheet=sheets[-1], by=reviewer)


def _talk(sheets, reviewer) -> None:
    """Two private notes, and a message to an establishment that answers it."""
    mine = next((sheet for sheet in sheets if sheet.establishment_id), sheets[0])
    with _at(29, 11):
        notes.note_add(
            sheet=sheets[0],
            by=reviewer,
            text="Projet solide et bien chiffré : à proposer en totalité à la commission.",
        )
    with _at(30, 9):
        notes.note_add(
            sheet=sheets[1] if len(sheets) > 1 else mine,
            by=get_user_model().objects.get(email=SECOND_REVIEWER),
            text="Le devis du prestataire semble élevé pour dix séances ; en parler en "
            "commission avant de proposer un montant.",
        )
    if mine.establishment_id is None:
        return
    with _at(30, 14):
        messages.post_message(
            mine,
            reviewer,
            "Bonjour, pouvez-vous nous dire combien d'élèves ont déjà été repérés par le GPDS "
            "pour cette action ? Merci.",
        )
    head = (
        get_user_model()
        .objects.filter(
            memberships__role=Membership.Role.HEAD, memberships__establishment=mine.establishment
        )
        .first()
    )
    if head is not None:
        with _at(31, 8):
            messages.post_message(
                mine,
                head,
                "Bonjour, le GPDS a repéré neuf élèves à ce jour ; nous en attendons trois de "
                "plus à la rentrée.",
            )


def _commission(sheets, department, campaign, reviewer, second) -> None:
    """The credits commission of early July: every sheet awaiting an answer that requests credits
    on its agenda, the
    first ones with their proposals (what they request, the euros rounded down to the ten)."""
    with _at(31, 16):
        commission = commissions.commission_create(
            by=reviewer,
            department=department,
            campaign=campaign,
            date=COMMISSION_DATE,
            means=Commission.Means.CREDITS,
        )
        # The sheets requesting credits (the HSE and IMP wait for October's commission).
        commissions.sheets_add(
            commission=commission,
            by=reviewer,
            sheets=[sheet for sheet in sheets if sheet.requested_euros > 0],
        )
        items = commissions.agenda(commission)
        commissions.proposals_record(
            commission=commission,
            by=second,
            proposals=[
                commissions.Proposal(
                    item=item,
                    euros=(item.sheet.requested_euros // 10 * 10).quantize(Decimal("0.01")),
                    hse=item.sheet.requested_hse,
                    imp=item.sheet.requested_imp,
                )
                for item in items[:PROPOSED]
            ],
        )
