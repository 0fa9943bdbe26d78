"""The search text of establishments and sheets, and the sort key of establishments, composed
and refreshed here and only here.

An establishment is searched by its name, city and UAI; a sheet by its title and its carrier's
name (and city, UAI): words without case, accents nor punctuation (``aps.text.searchable``),
one column read by the searches instead of a join and a case-insensitive comparison per row.
The services that write these fields call this module: creating or editing a sheet, the
directory import, the administration's corrections. ``manage.py refresh_search_text``
recomposes everything (after a change made outside the application).
"""

from django.db import transaction
from django.db.models import QuerySet

from aps.text import search_condition, searchable, words

from .locks import lock_sheets
from .models import Establishment, FoqualeNetwork, ProjectSheet

# The fields a search text is made of, by model.
ESTABLISHMENT_FIELDS = frozenset({"name", "city", "uai"})
NETWORK_FIELDS = frozenset({"name"})
SHEET_FIELDS = frozenset({"title", "establishment", "network"})


def establishment_text(establishment: Establishment) -> str:
    return searchable(establishment.name, establishment.city, establishment.uai)


def sort_key(name: str) -> str:
    """The order of a name whatever its case, accents and punctuation: ``"Collège Émile
    Zola"`` → ``"college emile zola"``, ``"Collège - Groupe scolaire"`` among the G."""
    return " ".join(words(name))[:200]


def sheet_text(*, title: str, carrier: Establishment | FoqualeNetwork | None) -> str:
    if isinstance(carrier, Establishment):
        return searchable(title, carrier.name, carrier.city, carrier.uai)
    return searchable(title, carrier.name if carrier is not None else "")


def compose_sheets(sheets) -> None:
    """Give each sheet (with its carrier loaded) its search text, before a bulk insert."""
    for sheet in sheets:
        sheet.search_text = sheet_text(title=sheet.title, carrier=sheet.carrier)


def refresh_sheets(sheets: QuerySet[ProjectSheet]) -> int:
    """Recompose the search text of ``sheets`` (after their carrier changed). Locked: a title
    saved meanwhile is not overwritten by a text made from the former one."""
    with transaction.atomic():
        # Locked alone, then read with the carriers (projects.locks says why).
        locked = list(
            ProjectSheet.objects.filter(pk__in=lock_sheets(sheets))
            .select_related("establishment", "network")
            .only(
                "title",
                "establishment__name",
                "establishment__city",
                "establishment__uai",
                "network__name",
            )
        )
        compose_sheets(locked)
        return ProjectSheet.objects.bulk_update(locked, ["search_text"], batch_size=500)


def compose_carrier(carrier: Establishment | FoqualeNetwork) -> None:
    """Give an establishment its search text and sort key before it is saved (a network has
    neither)."""
    if isinstance(carrier, Establishment):
        carrier.search_text = establishment_text(carrier)
        carrier.sort_name = sort_key(carrier.name)


def carrier_saved(carrier: Establishment | FoqualeNetwork, changed) -> None:
    """After an existing carrier was saved with the fields ``changed``: its sheets' texts,
    when a searched field changed."""
    searched = ESTABLISHMENT_FIELDS if isinstance(carrier, Establishment) else NETWORK_FIELDS
    if searched & set(changed):
        refresh_sheets(carrier.sheets.all())


def refresh_all(batch: int = 2000) -> tuple[int, int]:
    """Every establishment's and every sheet's text again: (establishments, sheets)."""
    establishments = list(Establishment.objects.only("name", "city", "uai"))
    for establishment in establishments:
        compose_carrier(establishment)
    Establishment.objects.bulk_update(establishments, ["search_text", "sort_name"], batch_size=500)
    ids = list(ProjectSheet.objects.order_by("pk").values_list("pk", flat=True))
    done = sum(
        refresh_sheets(ProjectSheet.objects.filter(pk__in=ids[start : start + batch]))
        for start in range(0, len(ids), batch)
    )
    return len(establishments), done


def matching(queryset: QuerySet, query: str) -> QuerySet:
    """The rows of ``queryset`` (establishments or sheets) whose search text holds each word
    of ``query``, whatever its case and accents (``aps.text.search_condition``)."""
    return queryset.filter(search_condition("search_text", query))
