"""Locking sheet rows before a write.

PostgreSQL, after waiting for a row lock, checks the row again as the other transaction left
it — but against the joined rows it read before waiting. A ``SELECT … FOR UPDATE OF sheet``
joined to its last writer therefore returns nothing when the other transaction changed that
writer (``DoesNotExist`` instead of the sheet). So the row is locked alone, by its key, and
only then read with what it joins (a new statement: it sees the other's commit).
"""

from django.db.models import QuerySet

from .models import ProjectSheet


def lock_sheets(sheets: QuerySet[ProjectSheet]) -> list[int]:
    """Lock the rows of ``sheets`` (the sheets' own rows only) and return their keys.

    ``FOR NO KEY UPDATE``: writers of the sheet wait, but not the rows that point to it (a
    visit, a message, a label written while a commission decides on 200 sheets): PostgreSQL's
    plain ``FOR UPDATE`` would make them wait too, the key being locked as well."""
    return list(
        sheets.select_for_update(of=("self",), no_key=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def locked_sheet(pk: int, *related: str) -> ProjectSheet:
    """The sheet ``pk``, its row locked until the transaction ends, read with ``related``."""
    lock_sheets(ProjectSheet.objects.filter(pk=pk))
    return ProjectSheet.objects.select_related(*related).get(pk=pk)
