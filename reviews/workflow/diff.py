"""What changed in a sheet since the DSDEN asked for information, field by field."""

from dataclasses import dataclass

from projects.models import ProjectSheet

LABELS = {
    **{field.name: str(field.verbose_name) for field in ProjectSheet._meta.fields},
    "objectives": "objectifs",
    "criteria": "critères d'évaluation",
    "total_euros": "crédits demandés (€)",
    "total_hse": "HSE demandées",
    "total_imp": "IMP demandées",
    "attachments": "pièces jointes",
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def _shown(value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "\n".join(f"{n}. {v}" for n, v in enumerate(value, start=1))
    return str(value)


def changes(before: dict, after: dict) -> list[Change]:
    return [
        Change(name, LABELS.get(name, name).capitalize(), _shown(before.get(name)), _shown(value))
        for name, value in after.items()
        if _shown(before.get(name)) != _shown(value)
    ]
