"""Text as the application compares it (searches, imported headers and choices)."""

import unicodedata

# What Unicode's decomposition leaves whole: ligatures and the typographic apostrophe.
_SPELLED_OUT = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "ʼ": "'"})


def folded(text) -> str:
    """Lower case, without accents nor ligatures, spaces collapsed:
    ``"  Lycée  d’Œuvre "`` → ``"lycee d'oeuvre"``."""
    lower = str(text or "").translate(_SPELLED_OUT).casefold()
    decomposed = unicodedata.normalize("NFKD", lower)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
