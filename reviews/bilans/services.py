"""The bilan of a validated sheet: what each stage asks for, what it still lacks, drafting and
submission by the head, and the renewal rule (a renewal waits for the previous final bilan).
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aps import clock
from aps.numbers import quantity
from funding.services import conventions_of
from projects import sections
from projects.campaigns import sheet_calendar
from projects.checklist import MissingItem
from projects.models import Attachment, ProjectSheet
from reviews.workflow import activity, notifications
from reviews.workflow.models import SheetEvent
from reviews.workflow.services import lock_sheet, require
from reviews.workflow.table import GRANT_STANDS

from . import rules
from .models import Bilan

Stage = Bilan.Stage

MEANS = ("consumed_euros", "consumed_hse", "consumed_imp")
# The final bilan's texts, in the order of the official form: (field, what is missing).
FINAL_TEXTS = [
    *((row.bilan_fields[0], row.bilan_missing) for row in sections.ROWS if row.bilan_missing),
    ("general", "le bilan général"),
]
# What each stage fills: the intermediate bilan the means only, the final one every row.
FIELDS = {
    Stage.INTERMEDIATE: [*sections.row("means").bilan_fields, "general"],
    Stage.FINAL: [*(name for row in sections.ROWS for name in row.bilan_fields), "general"],
}


def due_date(sheet: ProjectSheet, stage: str) -> datetime.date:
    dates = sheet_calendar(sheet)
    return dates.final_bilan_due if stage == Stage.FINAL else dates.intermediate_bilan_due


def bilans_of(sheet: ProjectSheet) -> dict[str, Bilan]:
    return {bilan.stage: bilan for bilan in sheet.bilans.all()}


def _granted(sheet: ProjectSheet) -> dict[str, object]:
    grant = getattr(sheet, "grant", None)
    if grant is None:
        return dict.fromkeys(MEANS)
    return {"consumed_euros": grant.euros, "consumed_hse": grant.hse, "consumed_imp": grant.imp}


def problems(bilan: Bilan) -> list[tuple[str, str]]:
    """What the bilan lacks before it can be submitted, as (field, French message).

    Means consumed are always asked; an explanation is required when they differ from what
    was granted (at the intermediate stage, only when they exceed it: the year is not over).
    The final bilan also asks every text, and explains a gap in pupils or staff."""
    sheet = bilan.sheet
    found = []
    if bilan.is_final:
        found += [(name, f"Renseignez {label}.") for name, label in FINAL_TEXTS]
        found = [(name, message) for name, message in found if not getattr(bilan, name).strip()]
        for count, gap, forecast, what in (
            ("pupils_reached", "pupils_gap", sheet.expected_pupils, "jeunes"),
            ("staff_mobilised", "staff_gap", sheet.staff_count, "personnels"),
        ):
            actual = getattr(bilan, count)
            if actual is None:
                found.append((count, f"Indiquez le nombre de {what} réellement concernés."))
            elif actual != forecast and not getattr(bilan, gap).strip():
                planned = f"le nombre prévu de {what} ({quantity(forecast)})"
                found.append((gap, f"Expliquez l'écart avec {planned}."))
    granted = _granted(bilan.sheet)
    gaps = []
    for name, label in zip(MEANS, ("euros", "HSE", "IMP"), strict=True):
        consumed = getattr(bilan, name)
        if consumed is None:
            found.append((name, f"Indiquez les {label} consommés (0 si aucun)."))
        elif granted[name] is not None and (
            consumed > granted[name] or (bilan.is_final and consumed != granted[name])
        ):
            gaps.append(label)
    if gaps and not bilan.means_gap.strip():
        found.append(
            (
                "means_gap",
                f"Expliquez l'écart entre les moyens consommés et accordés ({', '.join(gaps)}).",
            )
        )
    for line in conventions_of(sheet):
        if line.awaits_vote:
            found.append(
                (
                    vote_field(line),
                    f"Indiquez la date du vote de la convention « {line.label} » par le "
                    "conseil d'administration.",
                )
            )
    return found


def vote_field(line) -> str:
    """The bilan form's field of a provider's convention vote."""
    return f"vote_{line.pk}"


@transaction.atomic
def save(*, sheet: ProjectSheet, stage: str, by, data: dict) -> Bilan:
    """Write the draft of one stage's bilan (incomplete drafts are allowed)."""
    sheet = lock_sheet(sheet)
    bilan = Bilan.objects.filter(sheet=sheet, stage=stage).first()
    require(
        rules.can_edit_bilan(by, sheet, bilan),
        "Ce bilan n'est plus modifiable."
        if bilan is not None and bilan.is_submitted
        else "Seule l'équipe de l'établissement rédige le bilan d'un projet validé.",
    )
    bilan = bilan or Bilan(sheet=sheet, stage=stage)
    for name in FIELDS[stage]:
        value = data.get(name)
        if value is None and not Bilan._meta.get_field(name).null:
            value = ""  # a text left empty
        setattr(bilan, name, value)
    bilan.updated_by = by
    bilan.save()
    return bilan


@transaction.atomic
def save_and_submit(
    *, sheet: ProjectSheet, stage: str, by, data: dict, today: datetime.date | None = None
) -> tuple[Bilan, list[tuple[str, str]]]:
    """Save the draft, then submit it when nothing is missing; returns the bilan and what it
    still lacks (the draft stays saved). A refused submission writes nothing."""
    bilan = save(sheet=sheet, stage=stage, by=by, data=data)
    missing = problems(bilan)
    if not missing:
        bilan = submit(sheet=sheet, stage=stage, by=by, today=today)
    return bilan, missing


@transaction.atomic
def submit(*, sheet: ProjectSheet, stage: str, by, today: datetime.date | None = None) -> Bilan:
    """The head submits a complete bilan; after its due date it is accepted and flagged late."""
    sheet = lock_sheet(sheet)
    bilan = Bilan.objects.select_for_update().filter(sheet=sheet, stage=stage).first()
    require(bilan is not None, "Ce bilan n'est pas encore rédigé.")
    require(not bilan.is_submitted, "Ce bilan a déjà été déposé.")
    require(
        rules.can_submit_bilan(by, sheet, bilan),
        "Seul le chef ou la cheffe d'établissement dépose le bilan.",
    )
    missing = problems(bilan)
    require(not missing, "Le bilan est incomplet : " + " ".join(message for _f, message in missing))
    bilan.is_late = (today or clock.today()) > due_date(sheet, stage)
    bilan.submitted_at, bilan.submitted_by = timezone.now(), by
    bilan.save(update_fields=["is_late", "submitted_at", "submitted_by"])
    event = SheetEvent.objects.create(
        sheet=sheet,
        kind=SheetEvent.Kind.BILAN,
        actor=by,
        from_status=sheet.status,
        to_status=sheet.status,
        details={"stage": stage, "late": bilan.is_late},  # shown by bilan_tags.stage_label
        created_at=bilan.submitted_at,
    )
    activity.touch(sheet, bilan.submitted_at)
    notifications.announce(event)
    return bilan


# --- Renewal rule ----------------------------------------------------------------------


def renewal_checklist(sheet: ProjectSheet) -> list[MissingItem]:
    """A renewal needs the previous sheet's submitted final bilan; when the previous action
    predates the application (no linked sheet), a bilan file attached to this sheet. A
    previous sheet that was never validated had no action, hence no bilan to wait for."""
    if not sheet.pk or not sheet.is_renewal:
        return []
    previous = sheet.renewal_of
    if previous is not None:
        if previous.status not in GRANT_STANDS:
            return []
        done = Bilan.objects.filter(
            sheet=previous, stage=Stage.FINAL, submitted_at__isnull=False
        ).exists()
        if done:
            return []
        url = reverse("reviews:bilan", kwargs={"pk": previous.pk, "stage": Stage.FINAL})
        return [
            MissingItem(
                sections.RENEWAL.key,
                f"le bilan final de l'action {previous.campaign.school_year}, "
                "à déposer sur la fiche de l'année précédente",
                "bilan",
                url,
            )
        ]
    if sheet.attachments.filter(kind=Attachment.Kind.PREVIOUS_BILAN).exists():
        return []
    return [
        MissingItem(
            sections.RENEWAL.key,
            "le bilan de l'action de l'année précédente (pièce jointe)",
            "attachments",
            reverse("projects:sheet_edit", kwargs={"pk": sheet.pk}),
        )
    ]


# --- Layout of the official form ------------------------------------------------------


def rows(stage: str) -> list[sections.Row]:
    """The rows of the official form (projects.sections.ROWS) that a stage's bilan fills; the
    bilan page and the PDF both follow them."""
    wanted = set(FIELDS[stage])
    return [row for row in sections.ROWS if wanted.intersection(row.bilan_fields)]
