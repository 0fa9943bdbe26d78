"""The cost estimate as an Excel workbook, and back.

Export: sheets "HSE", "IMP", "Euros" (one line per row, with formulas for the computed
columns and the totals), "Synthèse" (totals) and "Paramètres" (the campaign's rates the
formulas read). openpyxl does not compute formulas: APS computes its own totals in Python
(funding.estimate); the formulas are there for the user working in Excel or LibreOffice.

Import reads only the typed columns, checks every cell, and returns either the lines or the
list of errors (sheet, row, column, reason) — the caller replaces the estimate only when there
is no error.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from aps.text import folded

from .models import EuroLine, HseLine, ImpLine

MAX_LINES = 500
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# Parts whose size makes openpyxl slow long before the total reaches 20 MB.
MAX_PART_BYTES = {"xl/sharedStrings.xml": 2 * 1024 * 1024, "xl/styles.xml": 1024 * 1024}
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_ROWS_READ = 2000  # rows read per sheet: far above the 500 lines allowed in all
MAX_ERRORS_SHOWN = 100
BLANK_ROWS = 30  # empty rows with formulas ready, after the lines
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HSE_COLUMNS = [
    "Activité",
    "Intervenant",
    "Type d'heure",
    "Semaines",
    "Heures par semaine",
    "Intervenants",
    "Heures",
    "HSE",
    "Équivalent (€)",
]
IMP_COLUMNS = ["Mission", "Part d'IMP", "Bénéficiaire", "Montant (€)"]
EURO_COLUMNS = ["Nature", "Libellé", "Montant (€)", "Devis (nom du fichier joint)"]
PARAMS = "Paramètres"
HEADER_FILL = PatternFill("solid", fgColor="E3E3FD")
BOLD = Font(bold=True)
EUROS = '#,##0.00 "€"'
NUMBER = "0.##"


class WorkbookError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Export ----------------------------------------------------------------------------


def _put(sheet, row, column, value):
    """Write a value; text typed by users stays text, even when it starts with "=" (openpyxl
    would otherwise store it as a formula: a formula injection). Control characters, which
    a workbook cannot hold, are dropped."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_only_row(sheet, values, *, bold=False, formats=None) -> list:
    """One row for a write-only worksheet, as safe as ``_put``: text typed by users stays text
    (never a formula), control characters dropped. ``formats``: column index → number format."""
    cells = []
    for index, value in enumerate(values):
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if bold:
            cell.font = BOLD
        if formats and index in formats and value is not None:
            cell.number_format = formats[index]
        cells.append(cell)
    return cells


def _fit_page(sheet):
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _formats(sheet, last_row, formats: dict[str, str]):
    for column, number_format in formats.items():
        for row in range(2, last_row + 1):
            sheet[f"{column}{row}"].number_format = number_format


def _header(sheet, columns, widths):
    _fit_page(sheet)
    sheet.append(columns)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _choice_validation(sheet, source: str, column, last_row):
    """A drop-down list reading its values from a range (labels may hold commas)."""
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error = "Choisissez une valeur de la liste."
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{last_row}")


def build_workbook(*, rates, hse_lines=(), imp_lines=(), euro_lines=(), title="") -> bytes:
    """An estimation workbook holding the given lines (none: the blank template)."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Synthèse"

    params = workbook.create_sheet(PARAMS)
    params.append(["Heures de face-à-face pour 1 HSE", rates.face_to_face_hours_per_hse])
    params.append(["Heures périphériques pour 1 HSE", rates.peripheral_hours_per_hse])
    params.append(["Taux d'une HSE (€, estimation)", rates.hse_euro_rate])
    params.append(["Montant annuel d'une IMP (€)", rates.imp_annual_base])
    params.append(["Campagne", rates.campaign.school_year])
    params.append(
        ["Parts d'IMP autorisées", ", ".join(str(f.normalize()) for f in rates.fractions)]
    )
    params.column_dimensions["A"].width = 36
    params.column_dimensions["B"].width = 24
    lists = {}
    for column, (list_title, labels) in zip(
        "DEFG",
        [
            ("Intervenants", HseLine.Speaker.labels),
            ("Types d'heure", HseLine.Hour.labels),
            ("Missions", ImpLine.Mission.labels),
            ("Natures", EuroLine.Nature.labels),
        ],
        strict=True,
    ):
        params[f"{column}1"] = list_title
        params[f"{column}1"].font = BOLD
        for offset, label in enumerate(labels, start=2):
            params[f"{column}{offset}"] = label
        params.column_dimensions[column].width = 40
        lists[list_title] = f"{PARAMS}!${column}$2:${column}${len(labels) + 1}"

    hse = workbook.create_sheet("HSE")
    _header(hse, HSE_COLUMNS, [34, 24, 30, 10, 12, 12, 10, 10, 14])
    hse_last = len(hse_lines) + BLANK_ROWS + 1
    for row in range(2, hse_last + 1):
        line = hse_lines[row - 2] if row - 2 < len(hse_lines) else None
        if line is not None:
            _put(hse, row, 1, line.activity)
            hse.cell(row=row, column=2, value=line.get_speaker_display())
            hse.cell(row=row, column=3, value=line.get_hour_kind_display())
            hse.cell(row=row, column=4, value=line.weeks)
            hse.cell(row=row, column=5, value=line.hours_per_week)
            hse.cell(row=row, column=6, value=line.speakers)
        hse.cell(row=row, column=7, value=f'=IF(D{row}="","",ROUND(D{row}*E{row}*F{row},2))')
        hse.cell(
            row=row,
            column=8,
            # Any spelling the import accepts for face-à-face starts with "face".
            value=f'=IF(G{row}="","",IF(LEFT(LOWER(C{row}),4)="face",ROUND(G{row}/{PARAMS}!$B$1,2),'
            f"ROUND(G{row}/{PARAMS}!$B$2,2)))",
        )
        hse.cell(row=row, column=9, value=f'=IF(H{row}="","",ROUND(H{row}*{PARAMS}!$B$3,2))')
    _formats(hse, hse_last, {"E": NUMBER, "G": NUMBER, "H": NUMBER, "I": EUROS})
    _choice_validation(hse, lists["Intervenants"], "B", hse_last)
    _choice_validation(hse, lists["Types d'heure"], "C", hse_last)

    imp = workbook.create_sheet("IMP")
    _header(imp, IMP_COLUMNS, [24, 12, 34, 14])
    imp_last = len(imp_lines) + BLANK_ROWS + 1
    for row in range(2, imp_last + 1):
        line = imp_lines[row - 2] if row - 2 < len(imp_lines) else None
        if line is not None:
            imp.cell(row=row, column=1, value=line.get_mission_display())
            imp.cell(row=row, column=2, value=line.fraction)
            _put(imp, row, 3, line.beneficiary)
        imp.cell(row=row, column=4, value=f'=IF(B{row}="","",ROUND(B{row}*{PARAMS}!$B$4,2))')
    _formats(imp, imp_last, {"B": NUMBER, "D": EUROS})
    _choice_validation(imp, lists["Missions"], "A", imp_last)

    euros = workbook.create_sheet("Euros")
    _header(euros, EURO_COLUMNS, [26, 40, 14, 34])
    euro_last = len(euro_lines) + BLANK_ROWS + 1
    for row, line in enumerate(euro_lines, start=2):
        euros.cell(row=row, column=1, value=line.get_nature_display())
        _put(euros, row, 2, line.label)
        euros.cell(row=row, column=3, value=line.amount)
        _put(euros, row, 4, line.quote.original_name if line.quote_id else None)
    _formats(euros, euro_last, {"C": EUROS})
    _choice_validation(euros, lists["Natures"], "A", euro_last)

    _fit_page(summary)
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 18
    _put(summary, 1, 1, f"Estimation du coût de l'action — {title}".rstrip(" —"))
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([])
    rows = [
        ("Heures d'intervention", f"=SUM(HSE!G2:G{hse_last})"),
        ("HSE demandées", f"=SUM(HSE!H2:H{hse_last})"),
        ("Équivalent des HSE (€)", f"=SUM(HSE!I2:I{hse_last})"),
        ("IMP demandées", f"=SUM(IMP!B2:B{imp_last})"),
        ("Montant des IMP (€)", f"=SUM(IMP!D2:D{imp_last})"),
        ("Crédits demandés (€)", f"=SUM(Euros!C2:C{euro_last})"),
        ("Équivalent total (€)", "=B5+B7+B8"),
    ]
    for label, formula in rows:
        summary.append([label, formula])
    for row, (label, _formula) in enumerate(rows, start=3):
        summary.cell(row=row, column=1).font = BOLD
        summary.cell(row=row, column=2).number_format = EUROS if "€" in label else NUMBER
    summary.cell(
        row=3 + len(rows) + 1,
        column=1,
        value=(
            "Saisissez les lignes dans les onglets HSE, IMP et Euros ; les colonnes calculées et "
            "cette synthèse se mettent à jour. Importez ensuite le classeur dans APS."
        ),
    )

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_estimate(estimate, rates) -> bytes:
    return build_workbook(
        rates=rates,
        hse_lines=list(estimate.hse_lines.all()),
        imp_lines=list(estimate.imp_lines.all()),
        euro_lines=list(estimate.euro_lines.select_related("quote")),
        title=estimate.sheet.title,
    )


# --- Import ----------------------------------------------------------------------------


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
            number = Decimal(str(raw).replace(",", ".").replace("\u202f", "").replace(" ", ""))
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.error(row, column, "nombre attendu.")
            return None
        if integer and number != number.to_integral_value():
            self.error(row, column, "nombre entier attendu.")
            return None
        if not minimum <= number <= maximum:
            self.error(row, column, f"nombre entre {minimum} et {maximum} attendu.")
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
            imp.error(
                row, 1, f"part d'IMP autorisée : {', '.join(str(f.normalize()) for f in allowed)}."
            )
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
