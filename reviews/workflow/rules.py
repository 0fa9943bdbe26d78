"""Who may move a sheet through the workflow, and advise on it."""

from projects.models import Membership, ProjectSheet
from projects.rules import carries, covers

from .models import Message
from .table import GRANT_STANDS, TRANSITIONS

R = Membership.Role
S = ProjectSheet.Status
Side = Message.Side


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


def can_read_notes(user, sheet) -> bool:
    """Private notes ("Note interne"): the DSDEN reviewers of the sheet's département and the
    académie's staff, on a filed sheet — never the establishment, the network or the MLDS."""
    return not sheet.is_draft and covers(user, sheet, R.DSDEN, R.ACADEMIE)


def can_write_note(user, sheet) -> bool:
    return can_read_notes(user, sheet)


# --- The message thread -----------------------------------------------------------------
# Two sides write to each other (reviews.workflow.models.Message.Side): the carrier (the
# establishment's head and staff; the network lead on a network's sheet) and the reviewers
# (the DSDEN of the département, the académie's staff). The MLDS joins the thread through its
# advice (can_advise); the FOQUALE lead of an establishment's network and the ministry read it.


def can_read_thread(user, sheet) -> bool:
    """The carrier side, the reviewer side, the MLDS of the district, the FOQUALE lead of a
    network the establishment belongs to (reads, never posts) and the ministry (reads)."""
    return carries(user, sheet, R.STAFF, R.HEAD) or covers(
        user, sheet, R.DSDEN, R.ACADEMIE, R.MLDS, R.NETWORK_LEAD, R.NATIONAL
    )


def thread_side(user, sheet) -> str | None:
    """The side the user writes on (a key of Message.Side), whatever the sheet's state: the
    carrier's (head, staff; network lead of a network's sheet), the reviewers' (DSDEN of the
    département — on a filed sheet, académie staff), the MLDS's (its advice); None for a
    reader only."""
    if carries(user, sheet, R.STAFF, R.HEAD):
        return Side.CARRIER
    if covers(user, sheet, R.DSDEN, R.ACADEMIE):
        return Side.REVIEWER
    if covers(user, sheet, R.MLDS):
        return Side.MLDS
    return None


def can_post_message(user, sheet) -> bool:
    """A filed sheet (the DSDEN never sees a draft), by the carrier side or the reviewer side."""
    return not sheet.is_draft and thread_side(user, sheet) in (Side.CARRIER, Side.REVIEWER)


def can_answer_advice(user, sheet) -> bool:
    """The carrier side answers an MLDS advice, in any state (the MLDS advises drafts too)."""
    return thread_side(user, sheet) == Side.CARRIER


def can_complete_grant(user, sheet) -> bool:
    """The HSE and IMP of a validated sheet, granted after its credits (the commissions' second
    wave): the DSDEN of the sheet's département."""
    return sheet.status in GRANT_STANDS and is_dsden_of(user, sheet)
