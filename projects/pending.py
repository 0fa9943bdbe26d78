"""What the reviewers await from the carrier while the sheet is open again for editing: the
DSDEN's request for precisions, shown on the edit page with the sections it names marked in
the form.

The requests live in the reviews app, above this one: it registers its reader with
``register_source`` (``reviews.apps``), as the checklist's extra checks are registered.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from .models import ProjectSheet


@dataclass(frozen=True)
class PendingRequest:
    comment: str
    sections: tuple[str, ...]  # keys of projects.sections (sections and documents)
    due_date: datetime.date | None
    asked_at: datetime.datetime
    asked_by: str
    # Where the carrier sends the sheet back with an answer, for whoever may (else empty).
    answer_url: str = ""


Source = Callable[[object, ProjectSheet], PendingRequest | None]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def pending_request(user, sheet: ProjectSheet) -> PendingRequest | None:
    """The request the sheet's carrier has to answer, if any, as ``user`` sees it."""
    for source in _sources:
        found = source(user, sheet)
        if found is not None:
            return found
    return None
