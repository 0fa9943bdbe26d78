"""Reading the champs and typologies of action (``models.ActionType``): the list a sheet of an
académie and a campaign chooses from, and the label of a stored key.

Resolution, most specific first: the académie's list for the campaign, the académie's list for
every campaign, the default list. The default list is the vadémécum's (``VADEMECUM``), written
into the database by a migration and edited in the administration; a database without it (a
test's flushed tables) reads the same list from here."""

import time
from dataclasses import dataclass

from .models import ActionType

K = ActionType.Kind


@dataclass(frozen=True)
class Default:
    kind: str
    key: str
    label: str
    description: str = ""
    parent: str = ""


# The vadémécum's list (seeds/000), with the guide's descriptions.
VADEMECUM = [
    Default(
        K.FIELD,
        "intervention",
        "Intervention (élèves scolarisés présentant des signes de décrochage)",
        "Prévenir le décrochage d'un élève ou d'un groupe d'élèves encore scolarisés qui en "
        "présentent les signes, et éviter une sortie précoce du système scolaire.",
    ),
    Default(
        K.FIELD,
        "remediation",
        "Remédiation",
        "Sécuriser le parcours d'élèves qui ont déjà décroché, par des solutions de retour en "
        "formation adaptées à leurs besoins.",
    ),
    Default(
        K.TYPOLOGY,
        "parcours_individualise",
        "Parcours individualisé",
        "Un aménagement de l'emploi du temps de l'élève.",
    ),
    Default(
        K.TYPOLOGY,
        "pafi",
        "Parcours aménagé de formation initiale (PAFI)",
        "Un parcours personnalisé, pour l'essentiel hors de l'établissement avec des "
        "partenaires : il fait l'objet d'un contrat, d'un accompagnement par un référent de "
        "l'établissement et d'un bilan qui valorise les compétences acquises.",
    ),
    Default(
        K.TYPOLOGY,
        "pafi_tdo",
        "PAFI-TDO (15 ans et plus)",
        "Le PAFI des élèves de 15 ans et plus.",
        parent="pafi",
    ),
    Default(
        K.TYPOLOGY,
        "module_relais",
        "Module relais en établissement",
        "Quelques heures par semaine d'activités menées selon une pédagogie différente, autour "
        "du projet d'avenir, de l'estime de soi, de l'ouverture culturelle…",
    ),
    Default(
        K.TYPOLOGY,
        "module_fls",
        "Module français langue seconde (FLS)",
        "Un module axé sur la maîtrise de la langue : atelier d'écriture, lecture, soutien "
        "linguistique…",
    ),
    Default(
        K.TYPOLOGY,
        "familles",
        "Action en faveur des familles",
        "Une action de l'établissement qui renforce le lien avec les familles, pour favoriser "
        "la coéducation.",
    ),
    Default(
        K.TYPOLOGY,
        "autre",
        "Autre : action collective de sécurisation des transitions",
        "Une action collective de sécurisation des transitions des élèves.",
    ),
]


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    description: str
    parent: str  # the parent's key, or ""


def _rows() -> list[Choice | tuple]:
    """Every row of the table, as (kind, academy id, campaign id, position, Choice)."""
    found = []
    for row in ActionType.objects.select_related("parent").order_by("position", "label"):
        choice = Choice(row.key, row.label, row.description, row.parent.key if row.parent else "")
        found.append((row.kind, row.academy_id, row.campaign_id, choice))
    return found


# The table is read once a minute per process (it changes a few times a year), and at once in
# the process that changes it (ActionType's save and delete clear it).
_CACHE: dict = {"at": 0.0, "rows": None}
TTL_SECONDS = 60


def forget() -> None:
    _CACHE["rows"] = None


def _table() -> list[tuple]:
    if _CACHE["rows"] is None or time.monotonic() - _CACHE["at"] > TTL_SECONDS:
        _CACHE["rows"] = _rows()
        _CACHE["at"] = time.monotonic()
    return _CACHE["rows"]


def _defaults(kind: str) -> list[Choice]:
    return [Choice(d.key, d.label, d.description, d.parent) for d in VADEMECUM if d.kind == kind]


def offered(kind: str, academy_id: int | None, campaign_id: int | None) -> list[Choice]:
    """The list of ``kind`` for a sheet of the académie and campaign, sub-types after their
    parent."""
    table = [(a, c, choice) for k, a, c, choice in _table() if k == kind]
    for scope in [(academy_id, campaign_id), (academy_id, None), (None, campaign_id)]:
        if scope[0] is None and scope[1] is None:
            continue
        found = [choice for a, c, choice in table if (a, c) == scope]
        if found:
            return _ordered(found)
    default = [choice for a, c, choice in table if a is None and c is None]
    return _ordered(default or _defaults(kind))


def _ordered(choices: list[Choice]) -> list[Choice]:
    keys = {c.key for c in choices}
    tops = [c for c in choices if not c.parent or c.parent not in keys]
    result = []
    for top in tops:
        result.append(top)
        result += [c for c in choices if c.parent == top.key]
    return result


def form_choices(kind: str, academy_id, campaign_id, keep: str = "") -> list:
    """Choices for a select: a parent and its sub-types grouped under the parent's label;
    ``keep``, the sheet's current key, stays choosable even if the list no longer has it."""
    choices = offered(kind, academy_id, campaign_id)
    result = []
    for choice in choices:
        if choice.parent and any(c.key == choice.parent for c in choices):
            continue
        subs = [c for c in choices if c.parent == choice.key]
        if subs:
            result.append((choice.label, [(c.key, c.label) for c in [choice, *subs]]))
        else:
            result.append((choice.key, choice.label))
    if keep and keep not in {c.key for c in choices}:
        result.append((keep, label(kind, keep, academy_id)))
    return result


def label(kind: str, key: str, academy_id: int | None = None) -> str:
    """The label of a stored key: the académie's own first, then the default list's, then
    any list's; the key itself if no list has it any more."""
    if not key:
        return ""
    rows = [(a, choice) for k, a, _c, choice in _table() if k == kind and choice.key == key]
    for wanted in (academy_id, None):
        for a, choice in rows:
            if a == wanted:
                return choice.label
    if rows:
        return rows[0][1].label
    return next((c.label for c in _defaults(kind) if c.key == key), key)


def every_choice(kind: str) -> list[tuple[str, str]]:
    """Every key of ``kind`` any list has (for filters and statistics over académies), the
    default list's first, each with its label."""
    keys = [c.key for c in offered(kind, None, None)]
    keys += [c.key for k, _a, _c, c in _table() if k == kind and c.key not in keys]
    seen: list[str] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
    return [(key, label(kind, key)) for key in seen]
