"""What makes a sheet news for its reviewers: something that came from outside the DSDEN (a
submission, a resubmission, the network's opinion, MLDS advice, a message, a bilan). The one
writer of ``ProjectSheet.activity_at``; the desk compares it to each reviewer's last visit."""

import datetime

from django.utils import timezone

from projects.models import ProjectSheet

# The transitions that bring news to the reviewers (the others are theirs, or withdraw).
NEWS = frozenset({"submit", "prevalidate", "resubmit"})


def touch(sheet: ProjectSheet, at: datetime.datetime | None = None) -> None:
    """Mark ``sheet`` as having news at ``at`` (now by default), never earlier than it was."""
    at = at or timezone.now()
    ProjectSheet.objects.filter(pk=sheet.pk).exclude(activity_at__gte=at).update(activity_at=at)
    if sheet.activity_at is None or sheet.activity_at < at:
        sheet.activity_at = at
