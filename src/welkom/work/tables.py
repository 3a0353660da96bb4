"""What the work app's readers share: a small spreadsheet (a register export, a placement
list) read into named cells, its columns found by their Dutch or English names, and the
checks every cell gets. Each reader adds its own columns and rules."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext_noop

from welkom.lib.files import date_parse, date_wrong, spreadsheet_records
from welkom.lib.problems import Problem
from welkom.lib.text import CONTROL, CONTROL_CHARACTERS, DIRECTION_CHARACTERS, direction_marked

NO_ROWS = gettext_noop("The file contains no rows.")
COLUMNS_MISSING = gettext_noop(
    "The first row must name the columns; missing: %(columns)s. Welkom reads, for example: "
    "%(names)s."
)
DATE_WRONG = gettext_noop("Not a date: write dd-mm-yyyy or yyyy-mm-dd.")


def header_key(text: str) -> str:
    """Case, accents, spaces and punctuation do not count ("KvK-nummer" = "kvknummer")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


def names_of(synonyms: dict[str, str]) -> dict[str, str]:
    """Every name written for a value ("a|b|c" per canonical name), by `header_key`."""
    return {
        header_key(alias): canonical
        for canonical, aliases in synonyms.items()
        for alias in (canonical, *aliases.split("|"))
    }


@dataclass(frozen=True)
class Table:
    rows: list[tuple[int, dict[str, str]]]  # (row number, canonical column → cell)
    written: dict[str, str]  # canonical column → the header as the file wrote it

    def as_written(self, problems: list[Problem]) -> list[Problem]:
        """Problems naming each column as the file's header wrote it ("KvK-nummer")."""
        return [replace(p, column=self.written.get(p.column, p.column)) for p in problems]


def table_read(
    data: bytes, *, filename: str, synonyms: dict[str, str], required: tuple[str, ...]
) -> tuple[Table | None, list[Problem]]:
    """The file's rows as named cells (empty rows left out; unknown columns ignored), or its
    problems: the file's own, or the required columns its header lacks."""
    records, problems = spreadsheet_records(data, filename=filename)
    if problems:
        return None, problems
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        return None, [Problem(None, None, NO_ROWS)]
    header_row, header = records[0]
    known = names_of(synonyms)
    columns = [known.get(header_key(cell)) for cell in header]
    missing = [c for c in required if c not in columns]
    if missing:
        names = "; ".join(f"{c}: {synonyms[c].split('|')[0]}" for c in missing)
        return None, [
            Problem(
                header_row, None, COLUMNS_MISSING, {"columns": ", ".join(missing), "names": names}
            )
        ]
    written: dict[str, str] = {}
    for index, column in enumerate(columns):
        if column and column not in written:
            written[column] = header[index].strip()
    rows = []
    for number, cells in records[1:]:
        values: dict[str, str] = {}
        for index, column in enumerate(columns):
            if column and column not in values:
                values[column] = cells[index].strip() if index < len(cells) else ""
        rows.append((number, values))
    return Table(rows, written), []


def cells_refused(number: int, values: dict[str, str]) -> list[Problem]:
    """Cells no file may hold: controls, and marks that turn the direction of text."""
    problems = []
    for column, value in values.items():
        if direction_marked(value):
            problems.append(Problem(number, column, DIRECTION_CHARACTERS))
        elif CONTROL.search(value):
            problems.append(Problem(number, column, CONTROL_CHARACTERS, value=value[:40]))
    return problems


def date_cell(number: int, column: str, text: str) -> tuple[date | None, Problem | None]:
    """A cell's date (None when empty), or why it is none."""
    if not text:
        return None, None
    parsed = date_parse(text)
    if parsed is not None:
        return parsed, None
    message, params = date_wrong(text) or (DATE_WRONG, {})
    return None, Problem(number, column, message, params, text[:40])
