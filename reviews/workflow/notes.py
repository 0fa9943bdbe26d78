"""Private notes of the reviewers on a sheet (``Note``): written and read by the DSDEN of its
département and the académie only. Nothing else of the application reads them: no page of
the establishment, network or MLDS, no PDF, export or e-mail."""

from django.db import transaction

from . import rules
from .models import Note
from .services import ReviewError, require


@transaction.atomic
def note_add(*, sheet, by, text: str) -> Note:
    require(
        rules.can_write_note(by, sheet),
        "Seules la DSDEN du département et l'académie écrivent des notes internes.",
    )
    text = (text or "").strip()
    if not text:
        raise ReviewError("La note interne est vide : écrivez-la avant de l'enregistrer.")
    return Note.objects.create(sheet=sheet, text=text, author=by)


def notes_for(user, sheet) -> list[Note]:
    """The sheet's notes, oldest first, for a user who may read them (none otherwise)."""
    if not rules.can_read_notes(user, sheet):
        return []
    return list(sheet.notes.select_related("author").order_by("created_at", "pk"))
