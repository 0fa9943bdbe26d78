"""What a sheet's page shows to a user: its content, what is missing before submission, the
actions the user may take, the pending request, the network's opinion, the bilan's stages and
the history. One selector, read by the sheet page's view."""

from aps import clock
from projects import rules as sheet_rules
from projects.checklist import missing_by_section
from projects.models import ProjectSheet
from reviews.bilans import rules as bilan_rules
from reviews.bilans import services as bilans
from reviews.bilans.models import Bilan
from reviews.workflow import rules
from reviews.workflow.forms import AdviceForm
from reviews.workflow.table import AWAITING_PRECISIONS, GRANT_STANDS, TRANSITIONS

S = ProjectSheet.Status


def sheet_page(user, sheet: ProjectSheet) -> dict:
    """The page's context; ``sheet`` comes from ``projects.selectors.visible_sheet``."""
    return {
        "sheet": sheet,
        "missing": missing_by_section(sheet) if sheet.is_draft else [],
        "can_edit": sheet_rules.can_edit_sheet(user, sheet),
        "can_delete": sheet_rules.can_delete_sheet(user, sheet),
        "can_renew": sheet_rules.can_renew_sheet(user, sheet),
        "can_submit": rules.can_submit(user, sheet),
        "can_prevalidate": rules.can_prevalidate(user, sheet),
        "can_answer": rules.can_answer(user, sheet),
        "can_resubmit": rules.can_resubmit(user, sheet),
        "can_reopen": rules.can_reopen(user, sheet),
        "can_withdraw": rules.can_withdraw(user, sheet),
        "can_advise": rules.can_advise(user, sheet),
        "advice_form": AdviceForm(),
        "events": sheet.events.select_related("actor"),
        "opinion": sheet.opinions.order_by("-created_at").first(),
        "info_request": sheet.info_requests.order_by("-created_at").first()
        if sheet.status in AWAITING_PRECISIONS
        else None,
        "bilan_stages": bilan_stages(user, sheet),
        "transitions": TRANSITIONS,  # their labels name the buttons
    }


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
