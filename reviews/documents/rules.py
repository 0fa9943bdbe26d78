"""Who may ask for the commission's documents, and for the attachments of a list at once."""

from projects.models import Membership
from projects.rules import has_role, is_overseer

R = Membership.Role


def can_export(user) -> bool:
    """The DSDEN reviewers and the académie prepare the commission's documents (bulk PDF)."""
    return is_overseer(user)


def can_download_attachments(user) -> bool:
    """Every attachment of a list in one archive: the DSDEN, the académie and the ministry
    (who prepare and read the decisions), and the carriers — the establishment's staff and
    head, the network lead — who get back what they filed. Each gets the attachments of the
    sheets the list shows them only. The MLDS, who advises one sheet at a time, reads the
    attachments on the sheet's page."""
    return is_overseer(user) or has_role(user, R.STAFF, R.HEAD, R.NETWORK_LEAD)
