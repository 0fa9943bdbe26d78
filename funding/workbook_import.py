"""A filled estimation workbook read back (the layout of ``funding.workbook``).

Import reads only the typed columns, checks every cell, and returns either the lines or the
list of errors (sheet, row, column, reason) — the caller replaces the estimate only when there
is no error.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from aps.numbers import parse_number, quantity
from aps.single_line import has_control_characters
from aps.text import folded
from projects.file_checks import HostileArchive, inspect_office_archive

from .models import EuroLine, HseLine, ImpLine
from .workbook import (
    EURO_COLUMNS,
    HSE_COLUMNS,
    IMP_COLUMNS,
    LAST_ROW,
    MAX_ERRORS_SHOWN,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_PART_BYTES,
    MAX_ROWS_READ,
    MAX_SHEET_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    WorkbookError,
)


def _choices(enum) -> dict[str, str]:
    """Accepted spellings of a choice: its label, its code, without case nor accents."""
    accepted = {}
    for value, label in enum.choices:
        accepted[folded(label)] = value
        accepted[folded(value)] = value
    return accepted


@dataclass
class ParsedWorkbook:
    hse: list[dict] = field(default_factory=list)
    imp: list[dict] = field(default_factory=list)
    euro: list[dict] = field(default_factory=list)


def _open(data: bytes):
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(["Le classeur dépasse 10 Mo : il est refusé."])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise WorkbookError(
                [
                    "Le classeur est protégé par un mot de passe : enregistrez-le "
                    "sans mot de passe puis importez-le à nouveau."
                ]
            )
        raise WorkbookError(
            ["Ce fichier est au format Excel 97-2003 (.xls) : enregistrez-le au format .xlsx."]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError(["Ce fichier n'est pas un classeur Excel (.xlsx)."])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > 1000 or sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
            raise WorkbookError(["Le classeur décompressé dépasse 20 Mo : il est refusé."])
        if "xl/workbook.xml" not in {e.filename for e in entries}:
            raise WorkbookError(["Ce fichier n'est pas un classeur Excel (.xlsx)."])
        try:
            # Refused as an attachment would be: macros, external links, embedded objects.
            inspect_office_archive(archive)
        except HostileArchive as hostile:
            raise WorkbookError([f"Le classeur est refusé : {hostile}."]) from None
        for entry in entries:
            limit = MAX_PART_BYTES.get(entry.filename)
            if limit is None and entry.filename.startswith("xl/worksheets/"):
                limit = MAX_SHEET_BYTES
            if limit is not None and entry.file_size > limit:
                raise WorkbookError(
                    ["Le classeur contient une partie anormalement volumineuse : il est refusé."]
                )
    try:
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise WorkbookError(["Le classeur est illisible ou endommagé."]) from None
    return formulas, values


class _SheetReader:
    """Reads the typed columns of one sheet, collecting French errors."""

    def __init__(self, name, formulas, values, columns, typed, errors):
        self.name, self.columns, self.errors = name, columns, errors
        self.rows = []
        if name not in values.sheetnames:
            errors.append(f"Onglet « {name} » absent du classeur.")
            return
        # The declared dimension may lie (too short: rows would be missed; too long: slow).
        formulas[name].reset_dimensions()
        values[name].reset_dimensions()
        formula_rows = formulas[name].iter_rows(min_row=1, max_row=MAX_ROWS_READ, max_col=typed)
        value_rows = values[name].iter_rows(
            min_row=1, max_row=MAX_ROWS_READ, max_col=typed, values_only=True
        )
        header = [str(v or "").strip() for v in next(value_rows, ())]
        next(formula_rows, None)
        expected = columns[:typed]
        if [folded(h) for h in header[:typed]] != [folded(c) for c in expected]:
            errors.append(
                f"Onglet « {name} » : en-têtes attendus en ligne 1 : {', '.join(expected)}."
            )
            return
        for number, (cells, value) in enumerate(
            zip(formula_rows, value_rows, strict=False), start=2
        ):
            is_formula = [getattr(c, "data_type", None) == "f" for c in cells] + [False] * typed
            value = list(value) + [None] * typed
            typed_nothing = all(v is None or str(v).strip() == "" for v in value[:typed])
            if typed_nothing and not any(is_formula[:typed]):
                continue
            if number > LAST_ROW:
                errors.append(
                    f"Onglet « {name} », ligne {number} : les lignes s'arrêtent à la ligne "
                    f"{LAST_ROW} (les formules du classeur aussi) ; remontez cette ligne."
                )
                continue
            for column in range(typed):
                if is_formula[column] and value[column] is None:
                    self.error(
                        number,
                        column,
                        "formule sans valeur calculée ; ouvrez et "
                        "enregistrez le classeur dans Excel ou LibreOffice.",
                    )
                    value[column] = None
            self.rows.append((number, value[:typed]))

    def error(self, row, column, reason):
        self.errors.append(
            f"Onglet « {self.name} », ligne {row}, colonne {get_column_letter(column + 1)} "
            f"({self.columns[column]}) : {reason}"
        )

    def text(self, row, values, column, max_length, required=True):
        value = "" if values[column] is None else str(values[column]).strip()
        if required and not value:
            self.error(row, column, "valeur obligatoire.")
        elif len(value) > max_length:
            self.error(row, column, f"{max_length} caractères au plus.")
        elif has_control_characters(value):
            self.error(
                row, column, "une seule ligne, sans retour à la ligne ni caractère de contrôle."
            )
        return value

    def choice(self, row, values, column, accepted: dict[str, str]):
        value = accepted.get(folded(values[column]))
        if value is None:
            self.error(row, column, f"valeur « {values[column] or ''} » inconnue.")
        return value

    def number(self, row, values, column, *, minimum, maximum, integer=False):
        raw = values[column]
        try:
            if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
                raise InvalidOperation
            # A cell holds a number, or text as French users type it ("1 800,00 €").
            number = Decimal(str(raw)) if isinstance(raw, int | float) else parse_number(raw)
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError, ValidationError):
            self.error(row, column, "nombre attendu.")
            return None
        if integer and number != number.to_integral_value():
            self.error(row, column, "nombre entier attendu.")
            return None
        if not minimum <= number <= maximum:
            self.error(
                row, column, f"nombre entre {quantity(minimum)} et {quantity(maximum)} attendu."
            )
            return None
        if not integer and number != number.quantize(Decimal("0.01")):
            self.error(row, column, "deux décimales au plus.")
            return None
        return int(number) if integer else number


def parse_workbook(data: bytes, *, rates, quotes: dict[str, object]) -> ParsedWorkbook:
    """The lines of a filled estimation workbook, or WorkbookError listing every problem.

    ``quotes`` maps the file names of the sheet's quote attachments to the attachments."""
    formulas, values = _open(data)
    errors: list[str] = []
    try:
        hse = _SheetReader("HSE", formulas, values, HSE_COLUMNS, 6, errors)
        imp = _SheetReader("IMP", formulas, values, IMP_COLUMNS, 3, errors)
        euro = _SheetReader("Euros", formulas, values, EURO_COLUMNS, 4, errors)
    except Exception:  # sheets are parsed lazily: damage shows up while reading
        raise WorkbookError(["Le classeur est illisible ou endommagé."]) from None
    finally:
        formulas.close()
        values.close()
    if len(hse.rows) + len(imp.rows) + len(euro.rows) > MAX_LINES:
        raise WorkbookError([f"Le classeur compte plus de {MAX_LINES} lignes : il est refusé."])
    if errors:
        raise WorkbookError(_bounded(errors))
    parsed = ParsedWorkbook()
    speakers, hours = _choices(HseLine.Speaker), _choices(HseLine.Hour)
    for row, v in hse.rows:
        parsed.hse.append(
            {
                "activity": hse.text(row, v, 0, 200),
                "speaker": hse.choice(row, v, 1, speakers),
                "hour_kind": hse.choice(row, v, 2, hours),
                "weeks": hse.number(row, v, 3, minimum=1, maximum=52, integer=True),
                "hours_per_week": hse.number(row, v, 4, minimum=Decimal("0.25"), maximum=60),
                "speakers": hse.number(row, v, 5, minimum=1, maximum=50, integer=True),
            }
        )
    missions = _choices(ImpLine.Mission)
    allowed = rates.fractions
    for row, v in imp.rows:
        fraction = imp.number(row, v, 1, minimum=Decimal("0.25"), maximum=max(allowed))
        if fraction is not None and fraction not in allowed:
            imp.error(row, 1, f"part d'IMP autorisée : {' ; '.join(quantity(f) for f in allowed)}.")
        parsed.imp.append(
            {
                "mission": imp.choice(row, v, 0, missions),
                "fraction": fraction,
                "beneficiary": imp.text(row, v, 2, 150),
            }
        )
    natures = _choices(EuroLine.Nature)
    for row, v in euro.rows:
        quote_name = euro.text(row, v, 3, 255, required=False)
        quote = quotes.get(quote_name) if quote_name else None
        if quote_name and quote is None:
            euro.error(row, 3, f"aucun devis « {quote_name} » n'est joint à la fiche.")
        parsed.euro.append(
            {
                "nature": euro.choice(row, v, 0, natures),
                "label": euro.text(row, v, 1, 200),
                "amount": euro.number(row, v, 2, minimum=Decimal("0.01"), maximum=1_000_000),
                "quote": quote,
            }
        )
    if errors:
        raise WorkbookError(_bounded(errors))
    return parsed


def _bounded(errors: list[str]) -> list[str]:
    if len(errors) <= MAX_ERRORS_SHOWN:
        return errors
    return [*errors[:MAX_ERRORS_SHOWN], f"… et {len(errors) - MAX_ERRORS_SHOWN} autres erreurs."]
