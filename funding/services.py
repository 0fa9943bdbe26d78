"""Writes of the funding app: one function per use case."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from aps.numbers import euros, quantity
from projects.locks import locked_sheet
from projects.models import (
    FUNDED_STATES,
    Attachment,
    Campaign,
    Department,
    ProjectSheet,
    Status,
)
from projects.rules import can_edit_sheet

from .estimate import ZERO, compute_totals, stored_totals
from .models import (
    DEFAULT_IMP_FRACTIONS,
    Cofunding,
    Envelope,
    Estimate,
    EuroLine,
    Grant,
    HseLine,
    ImpLine,
    Rates,
)
from .workbook import MAX_FILE_BYTES, MAX_LINES, WorkbookError
from .workbook_import import parse_workbook

# The sheet's copies of its estimate's totals.
REQUESTED = ("requested_euros", "requested_hse", "requested_imp")


class FundingError(Exception):
    """A refused write; the message is French and shown to the user."""


def rates_for(campaign: Campaign, academy_id: int | None = None) -> Rates:
    """The académie's rates for the campaign if it set its own, else the campaign's, created
    with the defaults the first time."""
    if academy_id is not None:
        own = Rates.objects.filter(campaign=campaign, academy_id=academy_id).first()
        if own is not None:
            return own
    rates, _ = Rates.objects.get_or_create(
        campaign=campaign, academy=None, defaults={"imp_fractions": list(DEFAULT_IMP_FRACTIONS)}
    )
    return rates


def sheet_rates(sheet) -> Rates:
    return rates_for(sheet.campaign, sheet.department.academy_id)


@dataclass(frozen=True)
class EstimateLines:
    """Lines of an estimate as plain dicts, in order: what a form or a workbook provides."""

    hse: list[dict]
    imp: list[dict]
    euro: list[dict]


def shown(kind: str, value) -> str:
    """An amount of ``kind`` (euros, hse, imp) as French users read it."""
    return euros(value) if kind == "euros" else quantity(value, kind.upper())


def _check_lines(sheet: ProjectSheet, lines: EstimateLines, rates: Rates) -> None:
    if len(lines.hse) + len(lines.imp) + len(lines.euro) > MAX_LINES:
        raise FundingError(f"Une estimation compte au plus {MAX_LINES} lignes en tout.")
    allowed = rates.fractions
    for number, line in enumerate(lines.imp, start=1):
        if Decimal(line["fraction"]) not in allowed:
            raise FundingError(
                f"IMP n° {number} : la fraction {quantity(line['fraction'])} n'est pas autorisée "
                f"(parts autorisées : {' ; '.join(quantity(f) for f in allowed)})."
            )
        if not (line.get("beneficiary") or "").strip():
            raise FundingError(f"IMP n° {number} : le nom du bénéficiaire est obligatoire.")
    for number, line in enumerate(lines.euro, start=1):
        quote = line.get("quote")
        if quote is not None and (
            quote.sheet_id != sheet.pk or quote.kind != Attachment.Kind.QUOTE
        ):
            raise FundingError(
                f"Ligne en euros n° {number} : le devis doit être un devis de la fiche."
            )


@transaction.atomic
def estimate_replace(*, sheet: ProjectSheet, by, lines: EstimateLines) -> Estimate:
    """Replace every line of the sheet's estimate and store its new totals."""
    locked = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
    if not can_edit_sheet(by, locked):
        raise FundingError("L'estimation de cette fiche n'est plus modifiable.")
    rates = sheet_rates(locked)
    # Quotes read again under the lock: one removed meanwhile is no longer offered.
    quotes = {q.pk: q for q in locked.attachments.filter(kind=Attachment.Kind.QUOTE)}
    for line in lines.euro:
        if line.get("quote") is not None:
            quote = quotes.get(line["quote"].pk)
            if quote is None:
                raise FundingError("Un devis choisi n'est plus joint à la fiche.")
            line["quote"] = quote
    _check_lines(locked, lines, rates)
    return estimate_write(sheet=locked, by=by, lines=lines, rates=rates)


@transaction.atomic
def estimate_write(*, sheet: ProjectSheet, by, lines: EstimateLines, rates: Rates) -> Estimate:
    """Write the estimate's lines and totals, and the sheet's copies of those totals (its
    ``requested_*``, which lists filter and sort on): the one writer of both. ``sheet`` is
    locked by the caller, who checked the rules (``estimate_replace``; the demo and the
    tests' factories call it directly)."""
    estimate, _ = Estimate.objects.get_or_create(sheet=sheet)
    estimate.hse_lines.all().delete()
    estimate.imp_lines.all().delete()
    estimate.euro_lines.all().delete()
    HseLine.objects.bulk_create(
        HseLine(estimate=estimate, position=n, **line) for n, line in enumerate(lines.hse, start=1)
    )
    ImpLine.objects.bulk_create(
        ImpLine(estimate=estimate, position=n, **line) for n, line in enumerate(lines.imp, start=1)
    )
    euro_lines = [
        EuroLine(estimate=estimate, position=n, **line)
        for n, line in enumerate(lines.euro, start=1)
    ]
    for line in euro_lines:
        if not line.is_provider:
            line.ca_voted_on = None  # a vote concerns a service provider's convention only
    EuroLine.objects.bulk_create(euro_lines)
    for name, value in stored_totals(
        compute_totals(lines.hse, lines.imp, lines.euro, rates)
    ).items():
        setattr(estimate, name, value)
    estimate.updated_by = by
    estimate.save()
    sheet.requested_euros = estimate.total_euros
    sheet.requested_hse = estimate.total_hse
    sheet.requested_imp = estimate.total_imp
    sheet.updated_by = by
    sheet.save(update_fields=[*REQUESTED, "updated_by", "updated_at"])
    return estimate


def grant_check(
    *, sheet: ProjectSheet, euros: Decimal, hse: Decimal, imp: Decimal, what: str = "accordé"
) -> dict:
    """The amounts the sheet's estimate requests, once checked that each amount granted is
    neither negative nor above them (FundingError otherwise). ``grant_record``, the admin's
    grant form and a commission's proposals (``what="proposé"``) all check through it."""
    estimate = Estimate.objects.filter(sheet=sheet).first()
    requested = {
        "euros": estimate.total_euros if estimate else ZERO,
        "hse": estimate.total_hse if estimate else ZERO,
        "imp": estimate.total_imp if estimate else ZERO,
    }
    granted = {"euros": euros, "hse": hse, "imp": imp}
    labels = {"euros": "euros", "hse": "HSE", "imp": "IMP"}
    for kind, amount in granted.items():
        if amount < 0:
            raise FundingError(f"Le montant {what} en {labels[kind]} ne peut pas être négatif.")
        if amount > requested[kind]:
            raise FundingError(
                f"Le montant {what} en {labels[kind]} ({shown(kind, amount)}) dépasse le "
                f"montant demandé ({shown(kind, requested[kind])})."
            )
    return requested


@transaction.atomic
def grant_record(*, sheet: ProjectSheet, by, euros: Decimal, hse: Decimal, imp: Decimal) -> Grant:
    """Write the means granted to a sheet; each kind at most what its estimate requests.
    (Who may grant, and when, is the review workflow's decision.)"""
    locked = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
    requested = grant_check(sheet=locked, euros=euros, hse=hse, imp=imp)
    granted = {"euros": euros, "hse": hse, "imp": imp}
    grant, _ = Grant.objects.update_or_create(
        sheet=locked,
        defaults={
            **granted,
            "requested_euros": requested["euros"],
            "requested_hse": requested["hse"],
            "requested_imp": requested["imp"],
            "granted_by": by,
        },
    )
    # The sheet changed: "Modifiée le" moves, and the stored statistics see it
    # (reviews.desk.statistics_store).
    locked.save(update_fields=["updated_at"])
    return grant


# Filed and not answered yet: what the envelope may still be asked for.
UNDER_REVIEW_STATES = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO})


@dataclass(frozen=True)
class EnvelopeUse:
    """``pending_*``: the means requested by the sheets still under review (none unless asked
    for: ``envelope_uses(…, with_pending=True)``)."""

    envelope: Envelope
    granted_euros: Decimal
    granted_hse: Decimal
    granted_imp: Decimal
    pending_euros: Decimal | None = None
    pending_hse: Decimal | None = None
    pending_imp: Decimal | None = None

    @property
    def remaining_euros(self) -> Decimal:
        return self.envelope.euros - self.granted_euros

    @property
    def remaining_hse(self) -> Decimal:
        return self.envelope.hse - self.granted_hse

    @property
    def remaining_imp(self) -> Decimal:
        return self.envelope.imp - self.granted_imp

    def beyond(self, *, euros, hse, imp, given_back=None) -> list[str]:
        """The kinds of means that ``euros``, ``hse`` and ``imp`` take beyond what remains
        (``given_back``: a grant of the same sheet already counted, corrected)."""
        back = given_back or {"euros": ZERO, "hse": ZERO, "imp": ZERO}
        return [
            label
            for label, kind, amount, remaining in (
                ("euros", "euros", euros, self.remaining_euros),
                ("HSE", "hse", hse, self.remaining_hse),
                ("IMP", "imp", imp, self.remaining_imp),
            )
            if amount > remaining + back[kind]
        ]


def overspend_message(over: list[str]) -> str:
    """What a grant beyond the envelope is refused with (``EnvelopeUse.beyond``'s kinds)."""
    return (
        f"Cette attribution dépasse ce qui reste de l'enveloppe du département ({', '.join(over)})"
    )


def _pending(envelopes: list[Envelope]) -> dict:
    """The means requested by the sheets under review of each envelope's campaign and
    département, in one grouped query: (campaign id, département id) → sums."""
    return {
        (row["campaign"], row["department"]): row
        for row in ProjectSheet.objects.filter(
            status__in=sorted(UNDER_REVIEW_STATES),
            campaign__in={e.campaign_id for e in envelopes},
            department__in={e.department_id for e in envelopes},
        )
        .order_by()
        .values("campaign", "department")
        .annotate(euros=Sum("requested_euros"), hse=Sum("requested_hse"), imp=Sum("requested_imp"))
    }


def envelope_uses(envelopes, *, with_pending: bool = False) -> list[EnvelopeUse]:
    """Granted and remaining means of each envelope, in one query for all the grants; with
    ``with_pending``, also what the sheets under review request, in one more."""
    envelopes = list(envelopes)
    pending = _pending(envelopes) if with_pending and envelopes else None
    sums = {
        (row["sheet__campaign"], row["sheet__department"]): row
        for row in Grant.objects.filter(
            sheet__status__in=sorted(FUNDED_STATES),  # a reopened sheet's grant is suspended
            sheet__campaign__in={e.campaign_id for e in envelopes},
            sheet__department__in={e.department_id for e in envelopes},
        )
        .values("sheet__campaign", "sheet__department")
        .annotate(euros=Sum("euros"), hse=Sum("hse"), imp=Sum("imp"))
    }
    uses = []
    for envelope in envelopes:
        key = (envelope.campaign_id, envelope.department_id)
        row = sums.get(key, {})
        asked = {}
        if pending is not None:
            sums_asked = pending.get(key, {})
            asked = {
                f"pending_{kind}": sums_asked.get(kind) or ZERO for kind in ("euros", "hse", "imp")
            }
        uses.append(
            EnvelopeUse(
                envelope=envelope,
                granted_euros=row.get("euros") or ZERO,
                granted_hse=row.get("hse") or ZERO,
                granted_imp=row.get("imp") or ZERO,
                **asked,
            )
        )
    return uses


def envelope_use(
    *, campaign: Campaign, department: Department, lock: bool = False
) -> EnvelopeUse | None:
    """The envelope's use; with ``lock`` (inside a transaction), its row is locked first, so
    that what remains is read after any grant being written meanwhile — the lock every
    decision that grants takes, after its sheet's (reviews.workflow.services.validate)."""
    envelopes = Envelope.objects.filter(campaign=campaign, department=department).order_by()
    if lock:
        envelopes = envelopes.select_for_update(of=("self",))
    envelope = envelopes.first()
    return envelope_uses([envelope])[0] if envelope else None


def estimate_import(*, sheet: ProjectSheet, by, uploaded) -> Estimate:
    """Replace the estimate by the lines of a filled workbook (a Django UploadedFile) — only if
    all of it is valid (raises WorkbookError listing every problem otherwise). Its size is
    checked before a byte is read: Django streamed a large upload to a temporary file."""
    if not can_edit_sheet(by, sheet):
        raise FundingError("L'estimation de cette fiche n'est plus modifiable.")
    if uploaded.size > MAX_FILE_BYTES:
        raise WorkbookError(["Le classeur dépasse 10 Mo : il est refusé."])
    data = uploaded.read(MAX_FILE_BYTES + 1)
    quotes = {a.original_name: a for a in sheet.attachments.filter(kind=Attachment.Kind.QUOTE)}
    parsed = parse_workbook(data, rates=sheet_rates(sheet), quotes=quotes)
    return estimate_replace(
        sheet=sheet, by=by, lines=EstimateLines(hse=parsed.hse, imp=parsed.imp, euro=parsed.euro)
    )


def envelope_overspend(
    *, sheet: ProjectSheet, euros: Decimal, hse: Decimal, imp: Decimal, lock: bool = False
) -> list[str]:
    """The kinds of means a corrected grant of a funded sheet would take beyond what remains
    of its département's envelope (its current grant given back first); none for a sheet not
    funded (its grant does not count), or without an envelope."""
    if sheet.status not in FUNDED_STATES:
        return []
    use = envelope_use(campaign=sheet.campaign, department=sheet.department, lock=lock)
    if use is None:
        return []
    current = Grant.objects.filter(sheet=sheet).first()
    given_back = (
        {"euros": current.euros, "hse": current.hse, "imp": current.imp} if current else None
    )
    return use.beyond(euros=euros, hse=hse, imp=imp, given_back=given_back)


@transaction.atomic
def grant_correct(*, sheet: ProjectSheet, by, euros: Decimal, hse: Decimal, imp: Decimal) -> Grant:
    """A grant corrected by the académie (the administration): the sheet, then its envelope,
    locked as the DSDEN's validation locks them; refused when the envelope cannot cover it."""
    locked = locked_sheet(sheet.pk, "campaign", "department")
    over = envelope_overspend(sheet=locked, euros=euros, hse=hse, imp=imp, lock=True)
    if over:
        raise FundingError(f"{overspend_message(over)}.")
    return grant_record(sheet=locked, by=by, euros=euros, hse=hse, imp=imp)


def conventions_of(sheet: ProjectSheet) -> list[EuroLine]:
    """The sheet's service providers' lines, whose convention the conseil d'administration
    votes."""
    return list(
        EuroLine.objects.filter(estimate__sheet=sheet, nature=EuroLine.Nature.PROVIDER).order_by(
            "position"
        )
    )


@transaction.atomic
def convention_votes_record(*, sheet: ProjectSheet, votes: dict[int, datetime.date | None]):
    """Record the dates of the votes of the sheet's providers' conventions (after the
    validation too: the vote may come later; the bilan asks for it)."""
    for line in conventions_of(sheet):
        if line.pk in votes and votes[line.pk] != line.ca_voted_on:
            line.ca_voted_on = votes[line.pk]
            line.save(update_fields=["ca_voted_on"])


@transaction.atomic
def cofundings_replace(*, sheet: ProjectSheet, by, rows: list[dict]) -> None:
    """The other funding the action mobilises, written whole, while the sheet is editable."""
    sheet = locked_sheet(sheet.pk, "establishment", "network")
    if not can_edit_sheet(by, sheet):
        raise FundingError("La fiche n'est plus modifiable : ses cofinancements non plus.")
    sheet.cofundings.all().delete()
    Cofunding.objects.bulk_create(
        Cofunding(sheet=sheet, position=n, **row) for n, row in enumerate(rows, start=1)
    )
