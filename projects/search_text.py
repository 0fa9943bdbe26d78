"""What the list's search reads on each sheet (``ProjectSheet.search_text``): its title, then
its carrier's name, city and UAI, folded (``aps.text.folded``). The title comes first, alone
on its line: a word too short to be looked for everywhere is looked for in the title only.

``manage.py refresh_search_text`` writes it again for every sheet (after a change here)."""

from aps.text import folded

TITLE_END = "\n"  # never in a folded text, nor in a searched word


def compose(title: str, carrier_parts: list[str]) -> str:
    return folded(title) + TITLE_END + folded(" ".join(carrier_parts))
