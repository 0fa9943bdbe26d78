"""Who may move a sheet through the workflow, and advise on it."""

from projects.models import Membership, ProjectSheet
from projects.rules import carries, covers

from .table import TRANSITIONS

R = Membership.Role
S = ProjectSheet.Status


def _in_source(sheet, name: str) -> bool:
    return sheet.status in TRANSITIONS[name].sources


def is_dsden_of(user, sheet) -> bool:
    """The DSDEN reviewers of the sheet's département (a filed sheet)."""
    return covers(user, sheet, R.DSDEN)


def is_head_of(user, sheet) -> bool:
    """The establishment's head (the network lead for a network's sheet), whatever its state."""
    return carries(user, sheet, R.HEAD)


def can_submit(user, sheet) -> bool:
    """A draft, by the establishment's head (the network lead for a network's sheet)."""
    return _in_source(sheet, "submit") and carries(user, sheet, R.HEAD)


def can_prevalidate(user, sheet) -> bool:
    """A submitted sheet, by the lead of a FOQUALE network the establishment belongs to."""
    return (
        _in_source(sheet, "prevalidate")
        and sheet.establishment_id is not None
        and covers(user, sheet, R.NETWORK_LEAD)
    )


def can_answer(user, sheet) -> bool:
    """Validate, reject or request information: the DSDEN of the sheet's département, on a
    submitted sheet or one under review."""
    return _in_source(sheet, "validate") and is_dsden_of(user, sheet)


def can_resubmit(user, sheet) -> bool:
    """A sheet awaiting information, by the establishment's head (network lead)."""
    return _in_source(sheet, "resubmit") and carries(user, sheet, R.HEAD)


def can_reopen(user, sheet) -> bool:
    """A validated or rejected sheet, by the DSDEN of the département or the académie."""
    return _in_source(sheet, "reopen") and covers(user, sheet, R.DSDEN, R.ACADEMIE)


def can_withdraw(user, sheet) -> bool:
    """Until an answer is given, by the establishment's head (network lead)."""
    return _in_source(sheet, "withdraw") and carries(user, sheet, R.HEAD)


def can_advise(user, sheet) -> bool:
    """The MLDS coordinator of the sheet's district, in any state."""
    return covers(user, sheet, R.MLDS)
