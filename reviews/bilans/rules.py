"""Who may write, submit and read a sheet's bilan."""

from projects.models import Membership, ProjectSheet
from projects.rules import carries, covers
from reviews.workflow.table import GRANT_STANDS

R = Membership.Role
S = ProjectSheet.Status


def can_edit_bilan(user, sheet, bilan=None) -> bool:
    """A validated sheet's bilan not yet submitted, by the establishment's staff or head (the
    network lead for a network's sheet)."""
    return (
        sheet.status in GRANT_STANDS
        and (bilan is None or not bilan.is_submitted)
        and carries(user, sheet, R.STAFF, R.HEAD)
    )


def can_submit_bilan(user, sheet, bilan) -> bool:
    """A bilan not yet submitted (or still to write), submitted by the head (the network
    lead for a network's sheet)."""
    return (
        sheet.status in GRANT_STANDS
        and (bilan is None or not bilan.is_submitted)
        and carries(user, sheet, R.HEAD)
    )


def can_view_bilan(user, sheet, bilan) -> bool:
    """The carrier's team, always; once submitted, the DSDEN of the département, the académie
    and the MLDS coordinator of the district."""
    if carries(user, sheet, R.STAFF, R.HEAD):
        return True
    if not bilan.is_submitted:
        return False
    return covers(user, sheet, R.NATIONAL, R.ACADEMIE, R.DSDEN, R.MLDS)
