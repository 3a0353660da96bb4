"""Tables as CSV and XLSX files: one writer per format, fed by the same rows as the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

# A text cell that starts with one of these is a formula to a spreadsheet. Cells hold what
# providers typed (codes, street names), so such text is written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _safe(row: Sequence) -> list:
    return [_cell(value) for value in row]


def table_csv(header: Sequence[str], rows: list[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # what Dutch Excel opens without asking
    writer.writerow(_safe(header))
    writer.writerows(_safe(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(header: Sequence[str], rows: list[Sequence], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(_safe(header))
    for row in rows:
        sheet.append(_safe(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
