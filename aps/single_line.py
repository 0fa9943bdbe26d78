"""Single-line text: titles, names, labels. They end up in e-mail subjects, file names and
cells, where a line break or another control character breaks (or injects) what follows, so
they are refused where they are typed or imported, and flattened where text is reused."""

import unicodedata

from django.core.exceptions import ValidationError

SINGLE_LINE_MESSAGE = (
    "Ce champ doit tenir sur une seule ligne : retirez les retours à la ligne, tabulations "
    "et autres caractères de contrôle."
)
# Unicode's controls (C0, DEL, C1: line feed, carriage return, tab, NUL, escape…) and its
# line and paragraph separators.
_BREAKING = {"Cc", "Zl", "Zp"}


def has_control_characters(text) -> bool:
    return any(unicodedata.category(c) in _BREAKING for c in str(text or ""))


def validate_single_line(value) -> None:
    """The validator of every single-line field of the forms."""
    if has_control_characters(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")


def one_line(text) -> str:
    """``text`` on one line: each run of control characters and spaces becomes one space
    (for stored text written before the validator, reused in an e-mail subject)."""
    spaced = "".join(" " if unicodedata.category(c) in _BREAKING else c for c in str(text or ""))
    return " ".join(spaced.split())
