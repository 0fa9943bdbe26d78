"""Cells of the workbooks the application writes (openpyxl): text typed by users stays text,
even when it starts with "=" (openpyxl would store it as a formula: a formula injection), and
the control characters a workbook cannot hold are dropped. XlsxWriter's ``write_string``
never makes a formula: its callers only need ``workbook_text``.

Numbers stay numbers (one can add them up), shown the French way by their number format: a
spreadsheet in French writes the format's "," as a space between thousands and its "." as a
decimal comma, so that ``EUROS_FORMAT`` shows 1800 as "1 800,00 €", ``quantity_format(0.5)``
"0,5" and ``COUNT_FORMAT`` 1234 as "1 234" (as ``aps.numbers`` does on the pages)."""

from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font

BOLD = Font(bold=True)
EUROS_FORMAT = '#,##0.00"\u00a0€"'
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"


def quantity_format(value) -> str:
    """HSE, IMP, days: decimals only when the value has some ("12", "0,5", "12,25")."""
    number = Decimal(str(value))
    return COUNT_FORMAT if number == number.to_integral_value() else "#,##0.0#"


def workbook_text(value: str) -> str:
    """``value`` without the characters a workbook cannot hold (XML 1.0)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _kept_as_text(cell, value):
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def put(sheet, row: int, column: int, value):
    """Write ``value`` into a worksheet's cell, safely."""
    if isinstance(value, str):
        value = workbook_text(value)
    return _kept_as_text(sheet.cell(row=row, column=column, value=value), value)


def write_only_row(sheet, values, *, bold=False, formats=None) -> list:
    """One row for a write-only worksheet, as safe as ``put``. ``formats``: column index →
    number format."""
    cells = []
    for index, value in enumerate(values):
        if isinstance(value, str):
            value = workbook_text(value)
        cell = _kept_as_text(WriteOnlyCell(sheet, value=value), value)
        if bold:
            cell.font = BOLD
        if formats and index in formats and value is not None:
            cell.number_format = formats[index]
        cells.append(cell)
    return cells
