"""Reading files that people make with spreadsheets: text or binary, UTF-8 or not, the
dates they write, and cell values as text. Shared by the night-list and location readers.
No models; the problems are `welkom.lib.problems.Problem`s, translated where they are shown."""

from __future__ import annotations

import calendar
import codecs
import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext_noop

from welkom.lib.problems import Problem


def date_parse(text: str) -> date | None:
    """ISO first (what systems write), then the day-first forms Dutch spreadsheets write."""
    parts = _date_parts(text)
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


DATE_NO_SUCH_MONTH = gettext_noop(
    "There is no month %(month)d. Write dates day first, as dd-mm-yyyy (or as yyyy-mm-dd)."
)
DATE_NO_SUCH_DAY = gettext_noop(
    "There is no day %(day)d in that month: it has %(days)d days. Check the date."
)


def date_wrong(text: str) -> tuple[str, dict] | None:
    """Why a text written in a date's form (31-02-2026, 2026-13-01) is no date: a message id
    and its parameters; None when it is a date, or not written as one."""
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day = parts
    if not 1 <= month <= 12:
        return DATE_NO_SUCH_MONTH, {"month": month}
    if year < 1:
        return None
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return DATE_NO_SUCH_DAY, {"day": day, "days": days}
    return None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a text in one of the forms `date_parse` reads, not checked."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        parts = [text[:4], text[5:7], text[8:]]
        if not all(p.isascii() and p.isdigit() for p in parts):
            return None
        return int(parts[0]), int(parts[1]), int(parts[2])
    for separator in "-/.":
        if separator in text:
            parts = text.split(separator)
            break
    else:
        return None
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    first, second, third = parts
    # Day first, never month first: 01-02-2026 is 1 February. Years have four digits,
    # because a two-digit year of birth cannot tell 1926 from 2026.
    if len(third) == 4 and len(first) <= 2 and len(second) <= 2:
        day, month, year = first, second, third
    elif len(first) == 4 and len(second) <= 2 and len(third) <= 2:
        year, month, day = first, second, third
    else:
        return None
    return int(year), int(month), int(day)


# Bytes a text file has; anything else in quantity means a binary file.
_TEXT_BYTES = bytes(range(0x20, 0x100)) + b"\t\n\r\f\v\x1a"


def is_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample or sample.startswith(b"%PDF"):
        return True
    return len(sample.translate(None, _TEXT_BYTES)) > len(sample) // 100


def is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    # Decoded in slices and thrown away: a second copy of a 400 MB file is not needed.
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


NEITHER_CSV_NOR_XLSX = gettext_noop("The file is neither a CSV file nor an Excel workbook (.xlsx).")
CSV_BROKEN = gettext_noop(
    "The file cannot be read as CSV, for example because a quotation mark is never closed."
)
XLSX_FORMULAS = gettext_noop(
    "The workbook contains formulas. Save a copy with values only and send that."
)


def spreadsheet_records(data: bytes) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """A CSV file (comma, semicolon or tab; UTF-8 or Windows-1252) or an Excel workbook's first
    sheet, as numbered rows of text cells; or the problem that stops reading it."""
    unreadable = [Problem(None, None, NEITHER_CSV_NOR_XLSX)]
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_records(data)
    if is_binary(data):
        return [], unreadable
    text = data.decode("utf-8-sig") if is_utf8(data) else data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    try:
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)), []
    except csv.Error:
        return [], [Problem(None, None, CSV_BROKEN)]


def _xlsx_records(data: bytes) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        records = []
        for number, row in enumerate(sheet.iter_rows(), 1):
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    return [], [Problem(number, None, XLSX_FORMULAS)]
                cells.append(cell_text(cell.value))
            records.append((number, cells))
        workbook.close()
        return records, []
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        return [], [Problem(None, None, NEITHER_CSV_NOR_XLSX)]
