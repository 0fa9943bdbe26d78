"""The cost estimate as an Excel workbook, and back.

Export: sheets "HSE", "IMP", "Euros" (one line per row, with formulas for the computed
columns and the totals), "Synthèse" (totals) and "Paramètres" (the campaign's rates the
formulas read). openpyxl does not compute formulas: APS computes its own totals in Python
(funding.estimate); the formulas are there for the user working in Excel or LibreOffice.

Import: ``funding.workbook_import``.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from aps.numbers import quantity
from aps.xlsx import put

from .models import EuroLine, HseLine, ImpLine

MAX_LINES = 500
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# Parts whose size makes openpyxl slow long before the total reaches 20 MB.
MAX_PART_BYTES = {"xl/sharedStrings.xml": 2 * 1024 * 1024, "xl/styles.xml": 1024 * 1024}
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_ROWS_READ = 2000  # rows read per sheet: far above the 500 lines allowed in all
MAX_ERRORS_SHOWN = 100
# Every row a line may sit on has its formulas, and the Synthèse sums them all: rows 2 to
# LAST_ROW of each sheet (the import refuses a line below it).
LAST_ROW = MAX_LINES + 1
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


def _fit_page(sheet):
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _formats(sheet, formats: dict[str, str]):
    for column, number_format in formats.items():
        for row in range(2, LAST_ROW + 1):
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


def _choice_validation(sheet, source: str, column):
    """A drop-down list reading its values from a range (labels may hold commas)."""
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.error = "Choisissez une valeur de la liste."
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{LAST_ROW}")


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
    params.append(["Parts d'IMP autorisées", " ; ".join(quantity(f) for f in rates.fractions)])
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
    for row in range(2, LAST_ROW + 1):
        line = hse_lines[row - 2] if row - 2 < len(hse_lines) else None
        if line is not None:
            put(hse, row, 1, line.activity)
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
    _formats(hse, {"E": NUMBER, "G": NUMBER, "H": NUMBER, "I": EUROS})
    _choice_validation(hse, lists["Intervenants"], "B")
    _choice_validation(hse, lists["Types d'heure"], "C")

    imp = workbook.create_sheet("IMP")
    _header(imp, IMP_COLUMNS, [24, 12, 34, 14])
    for row in range(2, LAST_ROW + 1):
        line = imp_lines[row - 2] if row - 2 < len(imp_lines) else None
        if line is not None:
            imp.cell(row=row, column=1, value=line.get_mission_display())
            imp.cell(row=row, column=2, value=line.fraction)
            put(imp, row, 3, line.beneficiary)
        imp.cell(row=row, column=4, value=f'=IF(B{row}="","",ROUND(B{row}*{PARAMS}!$B$4,2))')
    _formats(imp, {"B": NUMBER, "D": EUROS})
    _choice_validation(imp, lists["Missions"], "A")

    euros = workbook.create_sheet("Euros")
    _header(euros, EURO_COLUMNS, [26, 40, 14, 34])
    for row, line in enumerate(euro_lines, start=2):
        euros.cell(row=row, column=1, value=line.get_nature_display())
        put(euros, row, 2, line.label)
        euros.cell(row=row, column=3, value=line.amount)
        put(euros, row, 4, line.quote.original_name if line.quote_id else None)
    _formats(euros, {"C": EUROS})
    _choice_validation(euros, lists["Natures"], "A")

    _fit_page(summary)
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 18
    put(summary, 1, 1, f"Estimation du coût de l'action — {title}".rstrip(" —"))
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([])
    rows = [
        ("Heures d'intervention", f"=SUM(HSE!G2:G{LAST_ROW})"),
        ("HSE demandées", f"=SUM(HSE!H2:H{LAST_ROW})"),
        ("Équivalent des HSE (€)", f"=SUM(HSE!I2:I{LAST_ROW})"),
        ("IMP demandées", f"=SUM(IMP!B2:B{LAST_ROW})"),
        ("Montant des IMP (€)", f"=SUM(IMP!D2:D{LAST_ROW})"),
        ("Crédits demandés (€)", f"=SUM(Euros!C2:C{LAST_ROW})"),
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
