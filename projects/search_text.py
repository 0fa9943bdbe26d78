"""What the list's search reads on each sheet (``ProjectSheet.search_text``): its title, then
its carrier's name, city and UAI, folded (``aps.text.folded``). The title comes first, alone
on its line: a word too short to be looked for everywhere is looked for in the title only.

``manage.py refresh_search_text`` writes it again for every sheet (after a change here)."""

from django.db.models import F, Lookup

from aps.text import folded

TITLE_END = "\n"  # never in a folded text, nor in a searched word


def compose(title: str, carrier_parts: list[str]) -> str:
    return folded(title) + TITLE_END + folded(" ".join(carrier_parts))


class _UnindexedLike(Lookup):
    """``text LIKE pattern`` on ``text || ''``, an expression no index covers. On the column
    itself, PostgreSQL would take the trigram index for a selective one whatever the pattern
    (for a word of two letters, it hands back every sheet, to be checked one by one)."""

    lookup_name = "unindexed_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} || '') LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


def in_title(word: str) -> _UnindexedLike:
    """A condition: ``word`` (folded) is in the sheet's title, before the end of the title's
    line in the search text. For the words too short for a trigram: the sheets of the scope
    are read (a few milliseconds for 20,000)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _UnindexedLike(F("search_text"), f"%{escaped}%{TITLE_END}%")
