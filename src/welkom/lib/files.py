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


# In Windows-1252 text (Dutch, French, German, Spanish) a byte above 0x7F is an accented
# letter or a sign, and such bytes stand alone between plain letters: "Müller", "João",
# "€ 5". Three signs that tell another encoding read as Windows-1252 would give plausible
# nonsense instead of an error:
# - most of those bytes in the 0x80-0x9F block (a few signs in Windows-1252: € ‘ ’ “ ” –),
#   where Shift-JIS puts its lead bytes;
# - most of those bytes (and four or more) side by side: every character of GBK, Big5,
#   EUC-KR, EUC-JP and Shift-JIS is two such bytes, every Cyrillic or Greek letter of
#   Windows-1251 or -1253 is one, so their words are runs; in Windows-1252 text two
#   accented letters side by side ("Müßig") are the exception;
# - a letter of Windows-1250 (Polish, Czech, Romanian on Windows) that is a sign in
#   Windows-1252, inside a word: ą ł ż Ą Ł Ż ş ľ Ľ read as ¹ ³ ¿ ¥ £ ¯ º ¾ ¼ ("£ódŸ"),
#   between two letters, starting a word before a small letter ("£ukasz"; "¿Qué" is
#   Spanish and reads) or ending one ("Pawe³"; "m³" is a cubic metre and reads).
# Any of them refuses the file with "save it as CSV UTF-8". What reads as Windows-1252 then
# may still be another single-byte Latin encoding whose letters are all letters there too
# (Windows-1250's ę ń ć read as ê ñ æ): no test on bytes can tell those apart.
_C1 = bytes(range(0x80, 0xA0))
_HIGH = bytes(range(0xA0, 0x100))
_HIGH_RUN = re.compile(rb"[\x80-\xff]{2,}")
_HIGH_LETTER = rb"\xc0-\xd6\xd8-\xf6\xf8-\xff\x8a\x8c\x8e\x9a\x9c\x9e\x9f"
_CENTRAL_EUROPEAN = rb"[\xb9\xb3\xbf\xa5\xa3\xaf\xba\xaa\xbe\xbc]"
_CENTRAL_EUROPEAN_IN_A_WORD = re.compile(
    rb"(?<=[A-Za-z%(h)s])%(ce)s(?=[A-Za-z%(h)s])"  # "D¹browska"
    rb"|(?<![A-Za-z\x80-\xff])%(ce)s(?=[a-z\xdf-\xff])"  # "£ukasz", "¯aneta"
    rb"|(?<=[A-Za-ln-z%(h)s])%(ce)s(?![A-Za-z\x80-\xff])"  # "Pawe³", not "25 m³"
    % {b"h": _HIGH_LETTER, b"ce": _CENTRAL_EUROPEAN}
)


def looks_windows_1252(data: bytes) -> bool:
    """Whether text that is not UTF-8 reads as Windows-1252, not as another encoding that
    happens to decode as it (see above); text with fewer than four bytes above 0x7F is
    taken as Windows-1252 unless one of them is a Windows-1250 letter inside a word."""
    sample = data[: 1 << 20]
    c1 = len(sample) - len(sample.translate(None, _C1))
    high = len(sample) - len(sample.translate(None, _HIGH))
    if c1 >= 4 and c1 > high:
        return False
    in_runs = sum(len(run) for run in _HIGH_RUN.findall(sample))
    if in_runs >= 4 and in_runs * 2 > c1 + high:
        return False
    return _CENTRAL_EUROPEAN_IN_A_WORD.search(sample) is None


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


ENCODING_UNKNOWN = gettext_noop(
    "The file's letters are in an encoding Welkom cannot read with certainty (neither UTF-8 "
    'nor Windows-1252). Save it again as "CSV UTF-8" and send it again.'
)
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
FILE_TOO_WIDE = gettext_noop(
    "Row %(row)d has %(count)d columns; a file may have at most %(max)d. Remove the columns "
    "that do not belong to it and send the file again."
)
ROW_TOO_LONG = gettext_noop(
    "Row %(row)d is longer than %(max)d characters, which no row of this file can be. Check "
    "that it is the right file, or that a quotation mark is not left open."
)
XLSX_TOO_LARGE = gettext_noop(
    "The workbook holds far more than its size suggests, or too many different texts to "
    "read. Send the sheet as CSV, or split it into smaller files."
)
# What any file a person sends here can hold, checked before it is parsed, so that the work
# grows with the rows and never with what a file can be shaped to hold (a row of a million
# commas, a workbook of a million texts in 300 kB). Trailing empty cells do not count: old
# spreadsheets write many.
MAX_COLUMNS = 200
MAX_ROW_CHARACTERS = 64 * 1024
MAX_XLSX_UNPACKED = 256 * 1024 * 1024  # bytes, all parts together, as the zip declares them
MAX_XLSX_RATIO = 100  # a workbook's XML packs about 5 to 20 times
MAX_XLSX_SHARED_STRING_TAGS = 2_000_000  # about 500,000 texts
_SHARED_STRINGS = "xl/sharedStrings.xml"
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
        rows = self._xlsx_rows() if self.data.startswith(b"PK\x03\x04") else self._csv_rows()
        for number, cells in rows:
            if len(cells) > MAX_COLUMNS:
                width = len(cells)
                while width and not cells[width - 1]:
                    width -= 1
                if width > MAX_COLUMNS:
                    self._refused(FILE_TOO_WIDE, row=number, count=width, max=MAX_COLUMNS)
                    return
            yield number, cells

    def _unreadable(self) -> None:
        self.unreadable = True
        self.problems = [
            Problem(None, None, NOT_READABLE, {"filename": self.filename})
            if self.filename
            else Problem(None, None, NEITHER_CSV_NOR_XLSX)
        ]

    def _refused(self, message: str, **params) -> None:
        """The file is not read further, and this is why: its rows' problems mean nothing."""
        self.unreadable = True
        self.problems = [Problem(params.get("row"), None, message, params)]

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        data = self.data
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"  # Excel's "Unicode text"
        elif is_binary(data):
            self._unreadable()
            return
        elif is_utf8(data):
            encoding = "utf-8-sig"
        elif looks_windows_1252(data):
            encoding = "cp1252"  # what Excel on Windows writes as "CSV" in Western Europe
        else:
            self._refused(ENCODING_UNKNOWN)
            return
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
        lines = _RecordLength(text)
        reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
        number = 0  # the rows read; a row refused is the next
        try:
            for number, cells in enumerate(reader, 1):
                lines.record_done()
                yield number, cells
        except _RecordTooLong:
            self._refused(ROW_TOO_LONG, row=number + 1, max=MAX_ROW_CHARACTERS)
        except UnicodeDecodeError:
            # Windows-1252 leaves five byte values undefined: not a text file after all.
            self._unreadable()
        except csv.Error:
            self.problems.append(Problem(None, None, CSV_BROKEN, {"line": reader.line_num}))

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        import openpyxl  # only workbooks need it; reading CSV does not pay its import time

        try:
            too_large = _xlsx_too_large(self.data)
        except Exception:  # a damaged, encrypted or oddly compressed zip: no workbook to read
            self._unreadable()
            return
        if too_large:
            self._refused(XLSX_TOO_LARGE)
            return
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
                Problem(None, None, XLSX_MERGED, {"cells": first_listed(merged[:10], len(merged))})
            )
        if formulas:
            self.problems.append(
                Problem(
                    None,
                    None,
                    XLSX_FORMULAS,
                    {"count": formulas, "cells": first_listed(formula_cells, formulas)},
                )
            )
        self.values_meaningless = bool(merged or formulas)


class _RecordTooLong(Exception):
    pass


class _RecordLength:
    """The lines of a text for `csv.reader`, refusing a record (a row, with the lines that
    quoted line breaks add to it) longer than `MAX_ROW_CHARACTERS`, before the reader makes
    a list of its cells."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.length = 0

    def __iter__(self) -> _RecordLength:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.length += len(line)
        if self.length > MAX_ROW_CHARACTERS:
            raise _RecordTooLong
        return line

    def record_done(self) -> None:
        self.length = 0


def _xlsx_too_large(data: bytes) -> bool:
    """Whether a workbook unpacks to more than `MAX_XLSX_UNPACKED` bytes or more than
    `MAX_XLSX_RATIO` times its own size (as its zip declares them: reading a part never gives
    more than its declared size), or its shared texts have more than
    `MAX_XLSX_SHARED_STRING_TAGS` XML tags (openpyxl loads them all at once)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > min(MAX_XLSX_UNPACKED, MAX_XLSX_RATIO * len(data) + (1 << 20)):
            return True
        if _SHARED_STRINGS not in archive.namelist():
            return False
        tags = 0
        with archive.open(_SHARED_STRINGS) as part:
            while chunk := part.read(1 << 20):
                tags += chunk.count(b"<")
                if tags > MAX_XLSX_SHARED_STRING_TAGS:
                    return True
        return False


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


def first_listed(cells: list[str], count: int) -> str:
    """The first few of `count` names, with "…" when there are more."""
    return ", ".join(cells) + (", …" if count > len(cells) else "")
