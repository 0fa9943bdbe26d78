"""Who may move a sheet through the workflow, and advise on it."""

from projects.models import Membership, ProjectSheet
from projects.rules import carries, memberships_of

from .table import TRANSITIONS

R = Membership.Role
S = ProjectSheet.Status


def _in_source(sheet, name: str) -> bool:
    return sheet.status in TRANSITIONS[name].sources


def _leads_network_of(user, sheet) -> bool:
    if not sheet.establishment_id:
        return False
    member_of = {n.pk for n in sheet.establishment.foquale_networks.all()}
    return any(m.role == R.NETWORK_LEAD and m.network_id in member_of for m in memberships_of(user))


def is_dsden_of(user, sheet) -> bool:
    """The DSDEN reviewers of the sheet's département (whatever its state)."""
    return any(
        m.role == R.DSDEN and m.department_id == sheet.department_id for m in memberships_of(user)
    )


def is_head_of(user, sheet) -> bool:
    """The establishment's head (the network lead for a network's sheet), whatever its state."""
    return carries(user, sheet, R.HEAD)


def can_submit(user, sheet) -> bool:
    """A draft, by the establishment's head (the network lead for a network's sheet)."""
    return _in_source(sheet, "submit") and carries(user, sheet, R.HEAD)


def can_prevalidate(user, sheet) -> bool:
    """A submitted sheet, by the lead of a FOQUALE network the establishment belongs to."""
    return _in_source(sheet, "prevalidate") and _leads_network_of(user, sheet)


def can_answer(user, sheet) -> bool:
    """Validate, reject or request information: the DSDEN of the sheet's département, on a
    submitted sheet or one under review."""
    return _in_source(sheet, "validate") and is_dsden_of(user, sheet)


def can_resubmit(user, sheet) -> bool:
    """A sheet awaiting information, by the establishment's head (network lead)."""
    return _in_source(sheet, "resubmit") and carries(user, sheet, R.HEAD)


def can_reopen(user, sheet) -> bool:
    """A validated or rejected sheet, by the DSDEN of the département or the académie."""
    return _in_source(sheet, "reopen") and (
        is_dsden_of(user, sheet) or any(m.role == R.ACADEMIE for m in memberships_of(user))
    )


def can_withdraw(user, sheet) -> bool:
    """Until an answer is given, by the establishment's head (network lead)."""
    return _in_source(sheet, "withdraw") and carries(user, sheet, R.HEAD)


def can_advise(user, sheet) -> bool:
    """The MLDS coordinator of the sheet's district, in any state."""
    district_id = sheet.establishment.district_id if sheet.establishment_id else None
    return district_id is not None and any(
        m.role == R.MLDS and m.district_id == district_id for m in memberships_of(user)
    )
