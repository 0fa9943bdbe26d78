"""What changed in a sheet since the DSDEN asked for information, field by field, in the order
of the sheet's sections, then of the documents (projects.sections)."""

from dataclasses import dataclass

from aps.numbers import euros, quantity
from projects.models import ProjectSheet
from projects.sections import value_order

LABELS = {
    **{field.name: str(field.verbose_name) for field in ProjectSheet._meta.fields},
    "objectives": "objectifs",
    "criteria": "critères d'évaluation",
    "total_euros": "crédits demandés (€)",
    "total_hse": "HSE demandées",
    "total_imp": "IMP demandées",
    "attachments": "pièces jointes",
}
ORDER = {name: rank for rank, name in enumerate(value_order())}
# The snapshot keeps the totals as text ("1800.00"); they are shown the French way.
AMOUNTS = {
    "total_euros": euros,
    "total_hse": lambda value: quantity(value, "HSE"),
    "total_imp": lambda value: quantity(value, "IMP"),
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def _shown(value, name: str = "") -> str:
    if name in AMOUNTS and value not in (None, ""):
        return AMOUNTS[name](value)
    if isinstance(value, int) and not isinstance(value, bool):
        return quantity(value)
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "\n".join(f"{n}. {v}" for n, v in enumerate(value, start=1))
    return str(value)


def changes(before: dict, after: dict) -> list[Change]:
    names = sorted(after, key=lambda name: ORDER.get(name, len(ORDER)))  # stable: others last
    return [
        Change(
            name,
            LABELS.get(name, name).capitalize(),
            _shown(before.get(name), name),
            _shown(after[name], name),
        )
        for name in names
        if _shown(before.get(name), name) != _shown(after[name], name)
    ]
