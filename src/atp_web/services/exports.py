"""Every table as CSV or XLSX.

Agent output ends up in cells, so text that a spreadsheet would run as a formula is kept as
text: in CSV it gets a leading apostrophe (the OWASP advice), in XLSX the cell is typed text.
"""

from __future__ import annotations

import csv
import io
import math

from atp_web.services.tables import Cell, Table

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Cell) -> Cell:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _csv_cell(value: Cell) -> Cell:
    value = _plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> str:
    """The table as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook with one sheet named after it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet.append(list(table.columns))
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = _plain(value)
            if isinstance(value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(table: Table, fmt: str) -> bytes:
    """The table in ``fmt`` (csv or xlsx)."""
    return to_csv(table).encode("utf-8") if fmt == "csv" else to_xlsx(table)
