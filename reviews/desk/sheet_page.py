"""What a sheet's page shows to a user: its content, the DSDEN's answer (or request for
precisions), what is missing before submission and why it cannot be submitted yet, the actions
the user may take, the network's opinion, the bilan's stages, the renewal and the history. One
selector, read by the sheet page's view."""

from aps import clock
from projects import rules as sheet_rules
from projects.checklist import missing_by_section
from projects.models import ProjectSheet
from reviews.bilans import rules as bilan_rules
from reviews.bilans import services as bilans
from reviews.bilans.models import Bilan
from reviews.workflow import rules, submission
from reviews.workflow.forms import AdviceForm
from reviews.workflow.table import GRANT_STANDS, TRANSITIONS

from . import preparation
from .answer import answer_block
from .thread import thread_context

S = ProjectSheet.Status


def sheet_page(user, sheet: ProjectSheet) -> dict:
    """The page's context; ``sheet`` comes from ``projects.selectors.visible_sheet``."""
    events = list(sheet.events.select_related("actor"))
    can_submit = rules.can_submit(user, sheet)
    can_edit = sheet_rules.can_edit_sheet(user, sheet)
    missing = missing_by_section(sheet) if sheet.is_draft else []
    return {
        "sheet": sheet,
        "missing": missing,
        "answer": answer_block(sheet, events),
        "can_edit": can_edit,
        "can_delete": sheet_rules.can_delete_sheet(user, sheet),
        "can_renew": sheet_rules.can_renew_sheet(user, sheet),
        "can_submit": can_submit,
        # Why the head's "Déposer" button is disabled (empty: it opens the recap).
        "submit_blockers": submit_blockers(sheet, missing) if can_submit else [],
        # A draft the staff writes: the head submits it.
        "head_submits": sheet.is_draft and can_edit and not can_submit,
        "can_receipt": sheet.submitted_at is not None,
        "can_prevalidate": rules.can_prevalidate(user, sheet),
        "can_answer": rules.can_answer(user, sheet),
        "can_resubmit": rules.can_resubmit(user, sheet),
        "can_reopen": rules.can_reopen(user, sheet),
        "can_withdraw": rules.can_withdraw(user, sheet),
        "can_advise": rules.can_advise(user, sheet),
        "advice_form": AdviceForm(),
        "events": events,
        "opinion": sheet.opinions.order_by("-created_at").first(),
        "bilan_stages": bilan_stages(user, sheet),
        "renewal": visible_renewal(user, sheet),
        "transitions": TRANSITIONS,  # their labels name the buttons
        **thread_context(user, sheet),
        # The reviewers' preparation and private notes (None for everyone else).
        "desk": preparation.sheet_panel(user, sheet),
    }


def submit_blockers(sheet: ProjectSheet, missing: list) -> list[str]:
    """Why the sheet cannot be submitted today, said beside its disabled button (what is
    missing is listed just below, in the checklist)."""
    count = sum(len(items) for _section, items in missing)
    incomplete = (
        [
            f"La fiche est incomplète : {count} élément{'s' if count > 1 else ''} à "
            "renseigner (liste «\u00a0Avant le dépôt\u00a0»)."
        ]
        if count
        else []
    )
    return incomplete + submission.deadline_problems(sheet, clock.today())


def visible_renewal(user, sheet: ProjectSheet) -> ProjectSheet | None:
    """The sheet that renews this one, if the user may see it (a renewal still in draft is
    the establishment's own)."""
    return (
        sheet_rules.sheets_visible_to(user)
        .filter(renewal_of=sheet)
        .select_related("campaign")
        .first()
    )


def bilan_stages(user, sheet: ProjectSheet) -> list[dict]:
    """The two stages of the bilan as the user may reach them (empty before validation)."""
    existing = bilans.bilans_of(sheet)
    if sheet.status not in GRANT_STANDS and not existing:
        return []
    final = existing.get(Bilan.Stage.FINAL)
    stages = []
    for stage in Bilan.Stage:
        bilan = existing.get(stage.value)
        if bilan is None and final is not None and final.is_submitted:
            continue  # no intermediate bilan to write once the final one is in
        due = bilans.due_date(sheet, stage.value)
        editable = bilan_rules.can_edit_bilan(user, sheet, bilan)
        if editable or (bilan is not None and bilan_rules.can_view_bilan(user, sheet, bilan)):
            stages.append(
                {
                    "stage": stage.value,
                    "label": stage.label,
                    "bilan": bilan,
                    "editable": editable,
                    "due": due,
                    "overdue": (bilan is None or not bilan.is_submitted) and clock.today() > due,
                }
            )
    return stages
