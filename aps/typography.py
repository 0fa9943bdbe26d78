"""French spacing in long texts: a non-breaking space before « : ; ! ? » and the closing
guillemet, after the opening one, so that a line never starts with a colon or a question mark
(at 375 px the guide's sentences wrap often). Numbers have their own spaces (``aps.numbers``)."""

import re

NBSP = "\xa0"
# An ordinary space (or several, or a line break of the template) before the punctuation
# French typography keeps on the line, and after an opening guillemet.
_BEFORE = re.compile(r"[ \t\r\n]+([:;!?»])")
_AFTER = re.compile(r"«[ \t\r\n]+")


def french_spacing(text: str) -> str:
    """``text`` with the spaces of French punctuation made non-breaking."""
    return _AFTER.sub("«" + NBSP, _BEFORE.sub(NBSP + r"\1", text))
