"""The "Réponse de la DSDEN" block of a sheet's page, for everyone who sees the sheet: where
the answer stands (awaited, given, suspended by a reopening), its date and author, the means
requested and granted per kind, the DSDEN's comment or request, and what the answer means in
the vadémécum's words."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from funding.models import Grant
from projects.campaigns import sheet_calendar
from projects.models import ProjectSheet
from reviews.workflow import submission
from reviews.workflow.models import InfoRequest, SheetEvent
from reviews.workflow.table import ANSWER_MEANINGS, ANSWERS, AWAITING_OPINION, FILED

S = ProjectSheet.Status

# The answer's name as the block says it (the state it led to).
TITLES = {
    "validate": "Projet validé",
    "request_info": "Précisions demandées",
    "reject": "Projet non validé",
}
KINDS = (("euros", "Crédits"), ("hse", "HSE"), ("imp", "IMP"))


@dataclass(frozen=True)
class MeansLine:
    kind: str  # euros, hse, imp
    label: str
    requested: Decimal
    granted: Decimal

    @property
    def is_partial(self) -> bool:
        return self.granted < self.requested


@dataclass
class AnswerBlock:
    # "awaited" (no answer yet), or the answer's transition: validate, request_info, reject.
    kind: str
    title: str
    answered_at: datetime.datetime | None = None
    answered_by: object = None
    comment: str = ""
    meaning: str = ""
    means: list[MeansLine] = field(default_factory=list)
    request: InfoRequest | None = None
    # A reopening after the answer: the answer (and its amounts) no longer stand.
    reopening: SheetEvent | None = None
    # Awaited: since when the sheet waits at the DSDEN, and whether the network speaks first.
    since: datetime.datetime | None = None
    awaits_opinion: bool = False
    deadlines: list = field(default_factory=list)

    @property
    def is_partial(self) -> bool:
        return any(line.is_partial for line in self.means)

    @property
    def is_suspended(self) -> bool:
        return self.reopening is not None


def _means(sheet: ProjectSheet, answer: SheetEvent) -> list[MeansLine]:
    """Requested | granted per kind: the grant as it stands (the académie may have corrected
    it since, without a history line), with its copy of what was requested; the validation's
    history line when no grant is left. The kinds neither requested nor granted are left out
    (all three shown when nothing was)."""
    grant = Grant.objects.filter(sheet=sheet).first()
    lines = []
    for kind, label in KINDS:
        requested = getattr(grant or sheet, f"requested_{kind}")
        granted = getattr(grant, kind) if grant else Decimal(answer.details.get(kind) or "0")
        lines.append(MeansLine(kind, label, requested, granted))
    shown = [line for line in lines if line.requested or line.granted]
    return shown or lines


def answer_block(sheet: ProjectSheet, events: list[SheetEvent]) -> AnswerBlock | None:
    """The block for a filed sheet (none for a draft, nor for a sheet withdrawn before any
    answer); ``events`` is the sheet's history in order."""
    if sheet.submitted_at is None:
        return None
    answers = [e for e in events if e.transition in ANSWERS]
    if not answers:
        if sheet.status not in FILED:
            return None  # withdrawn while it waited: the state says it all
        return AnswerBlock(
            kind="awaited",
            title="En attente de la réponse",
            # Kept on the sheet by the workflow (its latest arrival at the DSDEN).
            since=sheet.arrived_at or sheet.submitted_at,
            awaits_opinion=sheet.status in AWAITING_OPINION,
            deadlines=submission.deadlines(
                sheet_calendar(sheet), submission.requested_means(sheet)
            ),
        )
    answer = answers[-1]
    after = events[events.index(answer) + 1 :]
    reopenings = [e for e in after if e.transition == "reopen"]
    block = AnswerBlock(
        kind=answer.transition,
        title=TITLES[answer.transition],
        answered_at=answer.created_at,
        answered_by=answer.actor,
        comment=answer.comment,
        meaning=ANSWER_MEANINGS[answer.transition],
        reopening=reopenings[-1] if reopenings else None,
    )
    if answer.transition == "validate":
        block.means = _means(sheet, answer)
    elif answer.transition == "request_info":
        # The latest request is this answer's: a later one would be a later answer.
        block.request = sheet.info_requests.order_by("-pk").first()
        block.comment = ""  # the request says it, with its sections and due date
    return block
