"""Reading files that people make with spreadsheets: the one reader of their rows
(`Spreadsheet`), the dates they write, and cell values as text. The night-list, location
and external-figures readers all read through it. No models; the problems are
`welkom.lib.problems.Problem`s, translated where they are shown."""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

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
NOT_READABLE = gettext_noop(
    "The file %(filename)s is neither a CSV file nor an Excel workbook (.xlsx). Save it as "
    "one of those and send it again."
)
CSV_BROKEN = gettext_noop(
    "The file cannot be read as CSV after line %(line)d, for example because a quotation "
    "mark is never closed."
)
XLSX_FORMULAS = gettext_noop(
    "The workbook contains %(count)d formulas (%(cells)s). Save a copy with values only and "
    "send that."
)
XLSX_MERGED = gettext_noop(
    "The workbook contains merged cells (%(cells)s). Unmerge them and send the file again."
)
_MERGE_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=[\"']([A-Z0-9:$]+)[\"']")
_SHEET_DAMAGED = (
    IndexError,
    KeyError,
    ValueError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    ParseError,
)


class Spreadsheet:
    """The one reader of files that people make with spreadsheets: a CSV file (comma,
    semicolon or tab; UTF-8 with or without BOM, Windows-1252, or Excel's "Unicode text" in
    UTF-16) or an Excel workbook's first sheet (no formulas, no merged cells).

    `rows()` streams (row number, cells as text), so that a reader checks a row at a time and
    the memory stays that of a row; the file-level problems are in `problems` during and
    after it. `unreadable`: the file is no spreadsheet after all (any row problems found so
    far mean nothing); `values_meaningless`: merged or formula cells make the rows' values
    mean nothing, so only the file-level problems say what to fix. `number_text(position,
    text)` may rewrite a number cell's text (a BSN that Excel stored as a number lost its
    leading zero)."""

    def __init__(
        self,
        data: bytes,
        *,
        filename: str = "",
        number_text: Callable[[int, str], str] | None = None,
    ) -> None:
        self.data = data
        self.filename = filename
        self.number_text = number_text
        self.problems: list[Problem] = []
        self.unreadable = False
        self.values_meaningless = False

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        # The content decides, not the name: a "nights.csv" may well be a workbook.
        if self.data.startswith(b"PK\x03\x04"):
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _unreadable(self) -> None:
        self.unreadable = True
        self.problems = [
            Problem(None, None, NOT_READABLE, {"filename": self.filename})
            if self.filename
            else Problem(None, None, NEITHER_CSV_NOR_XLSX)
        ]

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        data = self.data
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"  # Excel's "Unicode text"
        elif is_binary(data):
            self._unreadable()
            return
        elif is_utf8(data):
            encoding = "utf-8-sig"
        else:
            encoding = "cp1252"  # what Excel on Windows writes as "CSV" in Western Europe
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        first_line = ""
        try:
            for line in text:
                if line.strip(" \t\r\n,;\ufeff"):
                    first_line = line
                    break
            text.seek(0)
        except UnicodeDecodeError:
            self._unreadable()
            return
        if not first_line:
            return  # only separators and spaces: no rows at all
        counts = {d: first_line.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.__getitem__) if any(counts.values()) else ","
        # skipinitialspace: `a, "b, c"` is two fields, as a person typing it means.
        reader = csv.reader(text, delimiter=delimiter, skipinitialspace=True)
        try:
            yield from enumerate(reader, 1)
        except UnicodeDecodeError:
            # Windows-1252 leaves five byte values undefined: not a text file after all.
            self._unreadable()
        except csv.Error:
            self.problems.append(Problem(None, None, CSV_BROKEN, {"line": reader.line_num}))

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        import openpyxl  # only workbooks need it; reading CSV does not pay its import time

        try:
            # Read-only streams the sheet; formulas stay visible (data_only=False) so that a
            # formula is refused rather than read as its last cached value, or as nothing.
            workbook = openpyxl.load_workbook(
                io.BytesIO(self.data), read_only=True, data_only=False
            )
        except Exception:
            # A zip that is no workbook (.docx, .ods, damaged): openpyxl raises many kinds.
            self._unreadable()
            return
        formulas, formula_cells = 0, []
        try:
            worksheet = workbook.worksheets[0]
            # Some writers record a wrong sheet size, which would cut rows short in read-only
            # mode.
            worksheet.reset_dimensions()
            merged = _merged_cells(worksheet)
            for number, row in enumerate(worksheet.iter_rows(), 1):
                cells = []
                for position, cell in enumerate(row):
                    if cell.data_type == "f":
                        formulas += 1
                        if len(formula_cells) < 10:
                            formula_cells.append(cell.coordinate)
                        cells.append("")
                        continue
                    value = cell.value
                    text = cell_text(value)
                    if (
                        self.number_text
                        and isinstance(value, int | float)
                        and not isinstance(value, bool)
                    ):
                        text = self.number_text(position, text)
                    cells.append(text)
                yield number, cells
        except _SHEET_DAMAGED:
            # A damaged sheet, found while streaming it: no worksheet, a broken zip or XML.
            self._unreadable()
            return
        finally:
            workbook.close()
        if merged:
            self.problems.append(
                Problem(None, None, XLSX_MERGED, {"cells": _listed(merged[:10], len(merged))})
            )
        if formulas:
            self.problems.append(
                Problem(
                    None,
                    None,
                    XLSX_FORMULAS,
                    {"count": formulas, "cells": _listed(formula_cells, formulas)},
                )
            )
        self.values_meaningless = bool(merged or formulas)


def spreadsheet_records(
    data: bytes, *, filename: str = ""
) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """A `Spreadsheet`'s rows at once, or its file-level problems (for the readers of small
    files: locations, external figures)."""
    sheet = Spreadsheet(data, filename=filename)
    records = list(sheet.rows())
    if sheet.problems:
        return [], sheet.problems
    return records, []


def _merged_cells(worksheet) -> list[str]:
    """The merged ranges of a read-only worksheet, from its XML.

    openpyxl lists merged cells only in normal mode, which holds every cell in memory (about
    7 kB a row: 7 GB for a full sheet). The sheet's XML is scanned instead; text in cells
    cannot contain "<mergeCell", as XML escapes "<".
    """
    found: list[str] = []
    rest = b""
    # Private to openpyxl (pinned): the open zip member of this worksheet's XML.
    with worksheet._get_source() as source:
        while chunk := source.read(1 << 20):
            buffer = rest + chunk
            end = 0
            for match in _MERGE_CELL.finditer(buffer):
                found.append(match.group(1).decode("ascii"))
                end = match.end()
            rest = buffer[max(end, len(buffer) - 1024) :]
    return found


def _listed(cells: list[str], count: int) -> str:
    return ", ".join(cells) + (", …" if count > len(cells) else "")
