"""The commissions of a département: a date, the means it examines (credits, or HSE and IMP),
the sheets on its agenda with the amounts the reviewers propose, and its decisions taken on a
selection of sheets at once.

A batch decision runs every sheet through the workflow's own transition (its rule, its lock,
its history line, its e-mail), all or nothing: one refused sheet refuses the batch, and the
refusal names each refused sheet with its reason. The sheets' rows are locked first, in the
order of their keys, then the envelope's: a single validation locks its sheet then the
envelope, so no two decisions ever wait for each other in a circle, and each grant reads
what remains of the envelope after every other one."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from aps.numbers import euros, quantity
from funding.services import FundingError, envelope_use, grant_check
from projects.locks import lock_sheets
from projects.models import Campaign, Department, Membership, ProjectSheet
from projects.rules import memberships_of
from reviews.workflow import services as workflow
from reviews.workflow.services import ReviewError
from reviews.workflow.table import AWAITING_ANSWER, GRANT_STANDS

from . import rules
from .models import Commission, CommissionSheet
from .preparation import DeskError

R = Membership.Role
ZERO = Decimal("0")
KINDS = ("euros", "hse", "imp")
# The answers a commission gives to a selection (validation uses each sheet's proposal).
BATCH_ANSWERS = {
    "validate": "Valider avec les montants proposés",
    "request_info": "Demander des précisions",
    "reject": "Ne pas valider",
}


def second_wave(commission: Commission, sheet: ProjectSheet) -> bool:
    """A validated sheet whose HSE or IMP an HSE and IMP commission may still grant (its
    credits granted by the first wave): requested beyond what its grant holds."""
    if commission.means != Commission.Means.HOURS or sheet.status not in GRANT_STANDS:
        return False
    grant = getattr(sheet, "grant", None)
    return grant is not None and (
        grant.hse < sheet.requested_hse or grant.imp < sheet.requested_imp
    )


def decidable(commission: Commission, sheet: ProjectSheet) -> bool:
    """A sheet the commission may still decide on: awaiting an answer, or in its second
    wave."""
    return sheet.status in AWAITING_ANSWER or second_wave(commission, sheet)


def _requests_its_means(commission: Commission, sheet: ProjectSheet) -> bool:
    return any(getattr(sheet, f"requested_{kind}") > 0 for kind in commission.kinds)


class BatchRefused(DeskError):
    """A batch decision refused: ``refusals`` names each refused sheet and why."""

    def __init__(self, refusals: list[tuple[ProjectSheet, str]]):
        self.refusals = refusals
        super().__init__(
            f"Décision refusée pour {len(refusals)} fiche{'s' if len(refusals) > 1 else ''} : "
            "aucune fiche de la sélection n'a été modifiée."
        )


def commissions_visible_to(user) -> QuerySet[Commission]:
    return Commission.objects.filter(department__in=rules.reviewed_departments(user))


def can_manage(user, commission: Commission) -> bool:
    return rules.reviewed_departments(user).filter(pk=commission.department_id).exists()


def can_decide(user, commission: Commission) -> bool:
    """The answers are the DSDEN's (``reviews.workflow.rules.can_answer``): the académie's
    staff prepare a commission with it, its DSDEN decides."""
    return any(
        m.role == R.DSDEN and m.department_id == commission.department_id
        for m in memberships_of(user)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DeskError(message)


@transaction.atomic
def commission_create(
    *, by, department: Department, campaign: Campaign, date: datetime.date, means: str
) -> Commission:
    _require(
        rules.reviewed_departments(by).filter(pk=department.pk).exists(),
        "Seules la DSDEN du département et l'académie réunissent ses commissions.",
    )
    _require(means in Commission.Means.values, "Choisissez les moyens examinés.")
    return Commission.objects.create(
        department=department, campaign=campaign, date=date, means=means, created_by=by
    )


@transaction.atomic
def sheets_add(*, commission: Commission, by, sheets) -> int:
    """Put sheets on the agenda (those already on it stay where they are), all or none: a
    sheet of another département or campaign, or already answered, refuses the selection."""
    _require(can_manage(by, commission), "Cette commission n'est pas celle de votre département.")
    sheets = list(sheets)
    _require(bool(sheets), "Cochez au moins une fiche de la liste.")
    refused = [
        f"{sheet.title} (n°\u00a0{sheet.pk}) : {reason}"
        for sheet in sheets
        for reason in [_why_not_on_agenda(commission, sheet)]
        if reason
    ]
    _require(
        not refused,
        "Ces fiches ne peuvent pas être inscrites à la commission : "
        + " ; ".join(refused)
        + ". Aucune fiche n'a été inscrite.",
    )
    present = set(commission.items.values_list("sheet_id", flat=True))
    last = max(commission.items.values_list("position", flat=True), default=0)
    new = [sheet for sheet in sheets if sheet.pk not in present]
    CommissionSheet.objects.bulk_create(
        [
            CommissionSheet(commission=commission, sheet=sheet, position=last + index)
            for index, sheet in enumerate(new, start=1)
        ],
        ignore_conflicts=True,  # put on the agenda meanwhile, from another tab: it stays
    )
    return len(new)


def _why_not_on_agenda(commission: Commission, sheet: ProjectSheet) -> str:
    if (sheet.department_id, sheet.campaign_id) != (
        commission.department_id,
        commission.campaign_id,
    ):
        return "d'un autre département ou d'une autre campagne"
    if not decidable(commission, sheet):
        return "a déjà reçu une réponse"
    if not _requests_its_means(commission, sheet):
        return f"ne demande pas de {commission.get_means_display().lower()}"
    return ""


@transaction.atomic
def sheet_remove(*, commission: Commission, by, item: CommissionSheet) -> None:
    """Take a sheet awaiting an answer off the agenda (a decided one stays on the record)."""
    _require(can_manage(by, commission), "Cette commission n'est pas celle de votre département.")
    _require(item.commission_id == commission.pk, "Cette fiche n'est pas à l'ordre du jour.")
    _require(
        decidable(commission, item.sheet),
        "Cette fiche a reçu sa réponse : elle reste à l'ordre du jour de la commission.",
    )
    item.delete()


def lock_agenda(commission: Commission) -> None:
    """Lock the agenda's rows (before any sheet's): proposals and decisions on one commission
    wait for each other."""
    list(
        CommissionSheet.objects.select_for_update(no_key=True)
        .filter(commission=commission)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class Proposal:
    item: CommissionSheet
    euros: Decimal | None
    hse: Decimal | None
    imp: Decimal | None


@transaction.atomic
def proposals_record(*, commission: Commission, by, proposals: list[Proposal]) -> int:
    """Record the amounts proposed for sheets of the agenda, each checked like a grant (not
    negative, at most what the sheet requests), all or none: the errors are given per sheet
    (``ProposalsRefused``). An empty amount is "not proposed"; a row entirely empty withdraws
    its proposal. Returns how many rows changed."""
    _require(can_manage(by, commission), "Cette commission n'est pas celle de votre département.")
    _require(
        all(p.item.commission_id == commission.pk for p in proposals),
        "Une fiche n'est pas à l'ordre du jour de cette commission.",
    )
    errors: dict[int, str] = {}
    changed = []
    now = timezone.now()
    for proposal in proposals:
        item = proposal.item
        # Only the kinds of means the commission examines (the others stay unproposed).
        values = [
            value if kind in commission.kinds else None
            for kind, value in zip(KINDS, [proposal.euros, proposal.hse, proposal.imp], strict=True)
        ]
        if [item.proposed_euros, item.proposed_hse, item.proposed_imp] == values:
            continue  # unchanged: nothing to check nor write
        if all(value is None for value in values):
            item.proposed_euros = item.proposed_hse = item.proposed_imp = None
            item.proposed_by, item.proposed_at = None, None
            changed.append(item)
            continue
        try:
            grant_check(
                sheet=item.sheet,
                what="proposé",
                **{k: v or ZERO for k, v in zip(KINDS, values, strict=True)},
            )
        except FundingError as error:
            errors[item.pk] = str(error)
            continue
        item.proposed_euros, item.proposed_hse, item.proposed_imp = values
        item.proposed_by, item.proposed_at = by, now
        changed.append(item)
    if errors:
        raise ProposalsRefused(errors)
    CommissionSheet.objects.bulk_update(
        changed, ["proposed_euros", "proposed_hse", "proposed_imp", "proposed_by", "proposed_at"]
    )
    return len(changed)


class ProposalsRefused(DeskError):
    def __init__(self, errors: dict[int, str]):
        self.errors = errors  # item pk → message
        super().__init__(
            f"{len(errors)} proposition{'s' if len(errors) > 1 else ''} refusée"
            f"{'s' if len(errors) > 1 else ''} : rien n'a été enregistré."
        )


def _proposed(item: CommissionSheet) -> dict[str, Decimal]:
    return {
        "euros": item.proposed_euros or ZERO,
        "hse": item.proposed_hse or ZERO,
        "imp": item.proposed_imp or ZERO,
    }


@transaction.atomic
def decide(
    *,
    commission: Commission,
    by,
    items: list[CommissionSheet],
    answer: str,
    comment: str = "",
    confirm_over_envelope: bool = False,
) -> int:
    """The commission's decision on a selection of its sheets: validation with each sheet's
    proposed amounts, or the same request for precisions or refusal for all — every sheet
    through its workflow transition, all or none (``BatchRefused`` names the refused ones).
    Returns how many sheets were decided."""
    _require(can_decide(by, commission), "Seule la DSDEN du département décide pour ses projets.")
    _require(answer in BATCH_ANSWERS, "Choisissez la décision à appliquer.")
    _require(bool(items), "Cochez au moins une fiche de l'ordre du jour.")
    _require(
        all(item.commission_id == commission.pk for item in items),
        "Une fiche cochée n'est pas à l'ordre du jour de cette commission.",
    )
    # Every sheet's row, in the order of their keys, then the envelope's (module docstring).
    lock_sheets(ProjectSheet.objects.filter(pk__in=[item.sheet_id for item in items]))
    if answer == "validate":
        envelope_use(campaign=commission.campaign, department=commission.department, lock=True)
    refusals = []
    for item in sorted(items, key=lambda item: item.position):
        sheet = item.sheet
        try:
            with transaction.atomic():  # a savepoint: a refused sheet leaves the others usable
                if answer == "validate":
                    if not item.is_proposed:
                        raise ReviewError("aucun montant n'est proposé pour cette fiche")
                    proposed = {
                        kind: amount if kind in commission.kinds else ZERO
                        for kind, amount in _proposed(item).items()
                    }
                    if second_wave(commission, sheet):
                        # Its credits granted by the first wave: its HSE and IMP now.
                        workflow.complete_grant(
                            sheet=sheet,
                            by=by,
                            hse=proposed["hse"],
                            imp=proposed["imp"],
                            comment=comment,
                            confirm_over_envelope=confirm_over_envelope,
                        )
                    else:
                        workflow.validate(
                            sheet=sheet,
                            by=by,
                            comment=comment,
                            confirm_over_envelope=confirm_over_envelope,
                            **proposed,
                        )
                elif answer == "request_info":
                    workflow.request_info(sheet=sheet, by=by, comment=comment)
                else:
                    workflow.reject(sheet=sheet, by=by, comment=comment)
        except ReviewError as error:
            refusals.append((sheet, str(error)))
    if refusals:
        raise BatchRefused(refusals)
    return len(items)


# --- The commission's page --------------------------------------------------------------


@dataclass
class Totals:
    requested: dict = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    proposed: dict = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))


# What the agenda, its totals, its PDF page and its decisions read of each row (200 rows of
# every column took a third of the page): nothing else may be read of them, or each row
# would cost a query of its own (tests/reviews/test_commissions.py counts them).
AGENDA_COLUMNS = (
    "commission_id",
    "position",
    "proposed_euros",
    "proposed_hse",
    "proposed_imp",
    "proposed_by_id",
    "proposed_at",
    "sheet__title",
    "sheet__status",
    "sheet__campaign_id",
    "sheet__department_id",
    "sheet__requested_euros",
    "sheet__requested_hse",
    "sheet__requested_imp",
    "sheet__submitted_at",
    "sheet__establishment__name",
    "sheet__network__name",
    "sheet__grant__euros",
    "sheet__grant__hse",
    "sheet__grant__imp",
)


def agenda(commission: Commission) -> list[CommissionSheet]:
    """The agenda's rows with their sheets and carriers, in order (one query), without the
    sheets' long texts (thousands of characters each, never shown on the agenda: 200 sheets
    read a few megabytes less)."""
    return list(
        commission.items.select_related("sheet__establishment", "sheet__network", "sheet__grant")
        .only(*AGENDA_COLUMNS)
        .order_by("position", "pk")
    )


@dataclass
class ShownGrant:
    euros: Decimal
    hse: Decimal
    imp: Decimal


@dataclass
class ShownSheet:
    """What the agenda's page reads of a sheet (``decidable``, ``desk_tags.agenda_row``)."""

    pk: int
    title: str
    status: str
    requested_euros: Decimal
    requested_hse: Decimal
    requested_imp: Decimal
    grant: ShownGrant | None


@dataclass
class ShownItem:
    """A row of the agenda as its page shows it: ``agenda_shown``."""

    pk: int
    sheet_id: int
    proposed_euros: Decimal | None
    proposed_hse: Decimal | None
    proposed_imp: Decimal | None
    proposed_at: object
    carrier_name: str
    sheet: ShownSheet

    @property
    def is_proposed(self) -> bool:
        return self.proposed_at is not None


SHOWN_COLUMNS = (
    "pk",
    "sheet_id",
    "proposed_euros",
    "proposed_hse",
    "proposed_imp",
    "proposed_at",
    "carrier",
    "sheet__title",
    "sheet__status",
    "sheet__requested_euros",
    "sheet__requested_hse",
    "sheet__requested_imp",
    "sheet__grant__euros",
    "sheet__grant__hse",
    "sheet__grant__imp",
    "sheet__grant__pk",
)


def agenda_shown(commission: Commission) -> list[ShownItem]:
    """The agenda as its page shows it, read as values (one query): the same rows as
    ``agenda`` without building 400 model instances (half of the page's time for 200
    sheets). The page's writes read ``agenda``."""
    rows = (
        commission.items.order_by("position", "pk")
        .annotate(carrier=Coalesce("sheet__establishment__name", "sheet__network__name"))
        .values_list(*SHOWN_COLUMNS)
    )
    shown = []
    for row in rows:
        pk, sheet_id, *proposed, proposed_at, carrier, title, status = row[:9]
        grant = None if row[15] is None else ShownGrant(*row[12:15])
        sheet = ShownSheet(sheet_id, title, status, *row[9:12], grant)
        shown.append(ShownItem(pk, sheet_id, *proposed, proposed_at, carrier, sheet))
    return shown


def summary(commission: Commission, items: list[CommissionSheet]) -> dict:
    """The agenda's totals and the envelope: requested and proposed by the sheets still
    awaiting an answer, what remains of the envelope, and what would remain once the
    proposals are granted."""
    totals = Totals()
    for item in items:
        if not decidable(commission, item.sheet):
            continue
        for kind in KINDS:
            totals.requested[kind] += getattr(item.sheet, f"requested_{kind}")
        for kind, amount in _proposed(item).items():
            totals.proposed[kind] += amount
    use = envelope_use(campaign=commission.campaign, department=commission.department)
    rows = []
    for kind, label, shown in (
        ("euros", "Crédits (€)", euros),
        ("hse", "HSE", quantity),
        ("imp", "IMP", quantity),
    ):
        remaining = getattr(use, f"remaining_{kind}") if use else None
        after = remaining - totals.proposed[kind] if use else None
        rows.append(
            {
                "kind": kind,
                "label": label,
                "requested": shown(totals.requested[kind]),
                "proposed": shown(totals.proposed[kind]),
                "remaining": shown(remaining) if use else "—",
                "after": shown(after) if use else "—",
                # For the page's script, which follows the proposals as they are typed.
                "remaining_value": str(remaining) if use else "",
                "over": use is not None and after < 0,
            }
        )
    return {"envelope": use, "rows": rows}


def agenda_rows(commission: Commission, items: list[CommissionSheet]) -> dict:
    """The commission's agenda as the bulk PDF prints it before the sheets."""
    return {
        "title": str(commission),
        "columns": ["N°", "Projet", "Porteur", "Demandé", "Proposé"],
        "rows": [
            [
                str(index),
                item.sheet.title,
                item.sheet.carrier.name,
                _means_text(
                    item.sheet.requested_euros, item.sheet.requested_hse, item.sheet.requested_imp
                ),
                _means_text(item.proposed_euros, item.proposed_hse, item.proposed_imp)
                if item.is_proposed
                else "—",
            ]
            for index, item in enumerate(items, start=1)
        ],
    }


def _means_text(amount_euros, hse, imp) -> str:
    parts = []
    if amount_euros:
        parts.append(euros(amount_euros))
    if hse:
        parts.append(f"{quantity(hse)}\u00a0HSE")
    if imp:
        parts.append(f"{quantity(imp)}\u00a0IMP")
    return " · ".join(parts) or "—"
