"""Text as the application compares it: imported headers and choices, and the searches."""

import re
import unicodedata

from django.db.models import Q

# What Unicode's decomposition leaves whole: ligatures and the typographic apostrophe.
_SPELLED_OUT = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "ʼ": "'"})
_WORD = re.compile(r"[^\W_]+")  # letters and digits
# A search reads at most this many words, each cut to this many characters, from at most this
# many characters typed: the work of a search is bounded whatever is typed (SQLite refuses a
# LIKE pattern of 50,000 characters; PostgreSQL would scan with it).
MAX_SEARCHED_WORDS = 10
MAX_WORD_LENGTH = 40
MAX_QUERY_LENGTH = 500


def folded(text) -> str:
    """Lower case, without accents nor ligatures, spaces collapsed:
    ``"  Lycée  d’Œuvre "`` → ``"lycee d'oeuvre"``."""
    lower = str(text or "").translate(_SPELLED_OUT).casefold()
    decomposed = unicodedata.normalize("NFKD", lower)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def words(text) -> list[str]:
    """The folded words of ``text``, punctuation dropped: ``"3e-2de, n°12"`` →
    ``["3e", "2de", "n", "12"]``."""
    return _WORD.findall(folded(text))


def searchable(*texts) -> str:
    """What a search reads: the words of ``texts``, each after a space (the start of a word
    is then ``" " + its first letters``)."""
    return "".join(f" {word}" for text in texts for word in words(text))


def search_condition(field: str, query: str) -> Q:
    """Each word of ``query`` in the ``searchable`` text of ``field``: anywhere for a word of
    three characters or more (``"euil"`` finds Montreuil), at the start of a word for a
    shorter one (``"12"`` finds "n° 12" and "n° 120", not "2012" nor a UAI's digits). A word
    longer than ``MAX_WORD_LENGTH`` is searched by its beginning.

    On PostgreSQL, a trigram index on ``field`` serves both: `` 12`` is a trigram of every
    word starting with 12."""
    condition = Q()
    capped = (word[:MAX_WORD_LENGTH] for word in words(str(query or "")[:MAX_QUERY_LENGTH]))
    for word in list(dict.fromkeys(capped))[:MAX_SEARCHED_WORDS]:
        condition &= Q(**{f"{field}__contains": word if len(word) >= 3 else f" {word}"})
    return condition


def normalised_email(address) -> str:
    """The one identity of an e-mail address, wherever the application reads one (accounts,
    the login and its lock, password reset): surrounding spaces dropped, lower case — the fold
    of the database's unique index on ``Lower(email)``. ``" Chef.College@APS.test "`` →
    ``"chef.college@aps.test"``."""
    return str(address or "").strip().lower()


def counted(count: int, singular: str, many: str) -> str:
    """``"0 compte créé"``, ``"1 compte créé"``, ``"2 comptes créés"``: the French rule."""
    return f"{count} {many if count >= 2 else singular}"
