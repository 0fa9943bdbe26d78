"""Reading a file of establishments: an académie's file or the Ministry's annuaire export.

Parsing is kept apart from writing (``services.establishments_upsert``): a file is read and
checked whole first, so that a file-level problem (encoding, header, emptiness) writes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from aps.single_line import has_control_characters
from aps.text import folded

from .models import Establishment
from .reference import DEPARTMENTS_BY_CODE, uai_prefix
from .uai import normalize_uai, uai_error


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass(frozen=True)
class EstablishmentRow:
    line: int
    uai: str
    name: str
    kind: str
    sector: str
    city: str
    postcode: str
    department_code: str


@dataclass
class ParsedFile:
    rows: list[EstablishmentRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


# Our column name -> the column names accepted for it, per known format (lower case).
FORMATS = {
    "fichier académique": {
        "uai": "uai",
        "name": "name",
        "type": "type",
        "sector": "public_private",
        "city": "city",
        "postcode": "postcode",
        "department": "department",
    },
    "annuaire de l'éducation": {
        "uai": "identifiant_de_l_etablissement",
        "name": "nom_etablissement",
        "type": "type_etablissement",
        "sector": "statut_public_prive",
        "city": "nom_commune",
        "postcode": "code_postal",
        "department": "code_departement",
    },
}
# Optional annuaire columns that tell a general lycée from a vocational or polyvalent one.
VOIE_COLUMNS = ("voie_generale", "voie_technologique", "voie_professionnelle")


KINDS = {
    "college": Establishment.Kind.COLLEGE,
    "lycee general et technologique": Establishment.Kind.LYCEE_GT,
    "lycee general": Establishment.Kind.LYCEE_GT,
    "lycee technologique": Establishment.Kind.LYCEE_GT,
    "lycee polyvalent": Establishment.Kind.LYCEE_POLYVALENT,
    "lycee professionnel": Establishment.Kind.LYCEE_PRO,
    # Named by the Poitiers circular: the agricultural lycées, the EREA and the MFR.
    "lycee agricole": Establishment.Kind.LYCEE_AGRICOLE,
    "lycee professionnel agricole": Establishment.Kind.LYCEE_AGRICOLE,
    "lycee d'enseignement general et technologique agricole": Establishment.Kind.LYCEE_AGRICOLE,
    "legta": Establishment.Kind.LYCEE_AGRICOLE,
    "lpa": Establishment.Kind.LYCEE_AGRICOLE,
    "erea": Establishment.Kind.EREA,
    "etablissement regional d'enseignement adapte": Establishment.Kind.EREA,
    "maison familiale rurale": Establishment.Kind.MFR,
    "maison familiale rurale d'education et d'orientation": Establishment.Kind.MFR,
    "mfr": Establishment.Kind.MFR,
    "mfreo": Establishment.Kind.MFR,
}
SECTORS = {
    "public": Establishment.Sector.PUBLIC,
    "prive": Establishment.Sector.PRIVATE,
    "prive sous contrat": Establishment.Sector.PRIVATE,
}


def _lycee_kind(row: dict) -> str:
    """Kind of an annuaire row typed only "Lycée", from its voie columns or else its name."""
    if all(column in row for column in VOIE_COLUMNS):
        general = any(row[c].strip() == "1" for c in VOIE_COLUMNS[:2])
        vocational = row["voie_professionnelle"].strip() == "1"
        if general and vocational:
            return Establishment.Kind.LYCEE_POLYVALENT
        if vocational:
            return Establishment.Kind.LYCEE_PRO
        return Establishment.Kind.LYCEE_GT
    name = folded(row.get("nom_etablissement", ""))
    if "polyvalent" in name:
        return Establishment.Kind.LYCEE_POLYVALENT
    if "professionnel" in name:
        return Establishment.Kind.LYCEE_PRO
    return Establishment.Kind.LYCEE_GT


def normalize_department_code(value: str) -> str:
    """``"093"`` and ``"93"`` both name the département 93."""
    code = (value or "").strip().upper()
    if len(code) == 3 and code.startswith("0"):
        code = code[1:]
    return code


def decode(data: bytes) -> str:
    if not data.strip():
        raise ImportFileError("Le fichier est vide.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"Le fichier n'est pas encodé en UTF-8 (caractère illisible à la ligne {line}). "
            "Enregistrez-le en UTF-8 puis recommencez."
        ) from None
    if not text.strip():
        raise ImportFileError("Le fichier est vide.")
    return text


def parse(data: bytes, known_departments=frozenset(DEPARTMENTS_BY_CODE)) -> ParsedFile:
    """Read the file's bytes; raise ImportFileError if the file as a whole is unusable. A row
    of a département outside ``known_departments`` (France's, by default) is rejected."""
    text = decode(data)
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    reader.fieldnames = [folded(name) for name in reader.fieldnames or []]
    columns = _columns_for(reader.fieldnames)

    parsed = ParsedFile()
    seen: dict[str, int] = {}
    next_line = reader.line_num + 1
    for raw in reader:
        # A quoted field may span lines: a row starts where the previous one ended.
        line, next_line = next_line, reader.line_num + 1
        row = {key: (value or "") for key, value in raw.items() if key is not None}
        if not any(value.strip() for value in row.values()):
            continue
        if any("\n" in value or "\r" in value for value in row.values()):
            parsed.rejected.append((line, "Retour à la ligne à l'intérieur d'un champ."))
            continue
        result = _parse_row(row, columns, line, known_departments, seen)
        if isinstance(result, str):
            parsed.rejected.append((line, result))
        else:
            seen[result.uai] = line
            parsed.rows.append(result)
    if not parsed.rows and not parsed.rejected:
        raise ImportFileError("Le fichier ne contient aucune ligne d'établissement.")
    return parsed


def _columns_for(fieldnames: list[str]) -> dict[str, str]:
    for columns in FORMATS.values():
        if set(columns.values()) <= set(fieldnames):
            return columns
    expected = " ; ".join(
        f"{label} : {', '.join(columns.values())}" for label, columns in FORMATS.items()
    )
    raise ImportFileError(
        f"En-tête non reconnu ({', '.join(fieldnames) or 'vide'}). Colonnes attendues — {expected}."
    )


def _parse_row(row, columns, line, known_departments, seen) -> EstablishmentRow | str:
    """The row, or the French reason it is rejected."""
    value = {ours: row.get(theirs, "").strip() for ours, theirs in columns.items()}
    uai = normalize_uai(value["uai"])
    if error := uai_error(uai):
        return error
    if uai in seen:
        return f"UAI {uai} en double (déjà à la ligne {seen[uai]})."
    if not value["name"]:
        return f"Nom d'établissement manquant pour l'UAI {uai}."
    if any(has_control_characters(text) for text in value.values()):
        return (
            f"Retour à la ligne ou caractère de contrôle pour l'UAI {uai} : chaque valeur doit "
            "tenir sur une seule ligne."
        )
    department = normalize_department_code(value["department"])
    if department not in known_departments:
        return f"Département « {value['department'] or 'vide'} » inconnu pour l'UAI {uai}."
    if not uai.startswith(uai_prefix(department)):
        return f"L'UAI {uai} n'appartient pas au département {department}."
    type_label = folded(value["type"])
    kind = _lycee_kind(row) if type_label == "lycee" else KINDS.get(type_label)
    if kind is None:
        return (
            f"Type d'établissement « {value['type'] or 'vide'} » non concerné par APS "
            "(collège, lycée, lycée agricole, EREA ou maison familiale rurale attendu)."
        )
    sector = SECTORS.get(folded(value["sector"]))
    if sector is None:
        return f"Statut « {value['sector'] or 'vide'} » inconnu (Public ou Privé attendu)."
    if not value["city"]:
        return f"Commune manquante pour l'UAI {uai}."
    postcode = value["postcode"]
    if postcode and not (len(postcode) == 5 and postcode.isdigit()):
        return f"Code postal « {postcode} » invalide pour l'UAI {uai}."
    return EstablishmentRow(
        line=line,
        uai=uai,
        name=value["name"],
        kind=kind,
        sector=sector,
        city=value["city"],
        postcode=postcode,
        department_code=department,
    )


@dataclass(frozen=True)
class Column:
    """A column of a file: our name, the headers accepted for it (folded), whether required."""

    name: str
    headers: tuple[str, ...]
    required: bool = True


def read_table(data: bytes, columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    """The non-empty rows of a CSV file (``,`` or ``;``), each with its line number and its
    values by our column names; ImportFileError for a file unusable as a whole: not UTF-8,
    empty, a required column missing, an unknown column, a line break inside a field."""
    text = decode(data)
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [folded(name) for name in next(reader)]
    by_header = {alias: column for column in columns for alias in column.headers}
    unknown = [name or "(vide)" for name in header if name not in by_header]
    if unknown:
        expected = ", ".join(
            c.headers[0] + ("" if c.required else " (facultative)") for c in columns
        )
        raise ImportFileError(
            f"Colonne(s) inconnue(s) : {', '.join(unknown)}. Colonnes attendues : {expected}."
        )
    found = [by_header[name] for name in header]
    if len({c.name for c in found}) != len(found):
        raise ImportFileError("Une colonne apparaît deux fois dans l'en-tête.")
    missing = [c.headers[0] for c in columns if c.required and c not in found]
    if missing:
        raise ImportFileError(f"Colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}.")
    rows = []
    next_line = reader.line_num + 1
    for values in reader:
        line, next_line = next_line, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        if any("\n" in value or "\r" in value for value in values):
            raise ImportFileError(f"Retour à la ligne à l'intérieur d'un champ (ligne {line}).")
        if len(values) > len(found):
            raise ImportFileError(
                f"Ligne {line} : {len(values)} valeurs pour {len(found)} colonnes."
            )
        row = {column.name: "" for column in columns}
        row.update({c.name: value.strip() for c, value in zip(found, values, strict=False)})
        rows.append((line, row))
    if not rows:
        raise ImportFileError("Le fichier ne contient aucune ligne.")
    return rows
