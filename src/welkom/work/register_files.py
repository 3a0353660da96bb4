"""Reading a register's published export (SNA or Wtta): one lender per row, with its KvK
number, name, status and, where the register gives them, the dates the status runs from
and until. Registers publish more columns than these; the others are left alone. Headers
and statuses are read in Dutch or English, in any capitalisation. Every problem is reported
by row and column in one pass, and a file with any problem is refused whole.

Columns (first row): kvk_number, name, status, since, until.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext_noop

from welkom.lib.files import date_parse, date_wrong, spreadsheet_records
from welkom.lib.problems import Problem
from welkom.lib.text import CONTROL, CONTROL_CHARACTERS, DIRECTION_CHARACTERS, direction_marked
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.work import rules

# Every column's names, the canonical one first: what registers and offices write.
HEADER_SYNONYMS = {
    "kvk_number": "kvk|kvk nummer|kvk-nummer|kvknr|kvk nr|chamber of commerce|coc number|kvk number",
    "name": "naam|bedrijfsnaam|handelsnaam|statutaire naam|organisatie|company|company name",
    "status": "status|toelating|certificering|certificaat|admission|certification",
    "since": "sinds|vanaf|datum vanaf|ingangsdatum|begindatum|datum toelating|from|start",
    "until": "tot|tot en met|einddatum|geldig tot|vervaldatum|datum tot|to|end|valid until",
}
REQUIRED = ("kvk_number", "name", "status")
STATUS_SYNONYMS = {
    rules.ADMITTED: "toegelaten|voorlopig toegelaten|gecertificeerd|gecertificeerd bedrijf|"
    "actief|geldig|admitted|provisionally admitted|certified|active|valid",
    rules.SUSPENDED: "geschorst|opgeschort|suspended",
    rules.WITHDRAWN: "ingetrokken|beeindigd|vervallen|afgewezen|withdrawn|revoked|ended|expired",
}

NO_ROWS = gettext_noop("The file contains no rows.")
NO_LENDERS = gettext_noop("The file has a header but no lenders.")
COLUMNS_MISSING = gettext_noop(
    "The first row must name the columns; missing: %(columns)s. Welkom reads, for example: "
    "%(names)s."
)
KVK_WRONG = gettext_noop("A KvK number has exactly 8 digits, for example 12345678.")
NAME_MISSING = gettext_noop("The lender's name is empty.")
STATUS_UNKNOWN = gettext_noop("Welkom does not know this status. It reads: %(statuses)s.")
DATE_WRONG = gettext_noop("Not a date: write dd-mm-yyyy or yyyy-mm-dd.")
DATES_REVERSED = gettext_noop("The end date lies before the start date.")
KVK_TWICE = gettext_noop("This KvK number is also on row %(row)d: a register lists a lender once.")


@dataclass(frozen=True)
class ListedLender:
    row: int
    kvk_number: str
    name: str
    status: str
    since: date | None
    until: date | None


def header_key(text: str) -> str:
    """Case, accents, spaces and punctuation do not count ("KvK-nummer" = "kvknummer")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


_COLUMN_OF = {
    header_key(alias): column
    for column, aliases in HEADER_SYNONYMS.items()
    for alias in (column, *aliases.split("|"))
}
_STATUS_OF = {
    header_key(alias): status
    for status, aliases in STATUS_SYNONYMS.items()
    for alias in (status, *aliases.split("|"))
}


def register_file_read(
    data: bytes, *, filename: str = ""
) -> tuple[list[ListedLender], list[Problem]]:
    """The export's lenders, or every problem in it."""
    records, problems = spreadsheet_records(data, filename=filename)
    if problems:
        return [], problems
    records = [(n, cells) for n, cells in records if any(c.strip() for c in cells)]
    if not records:
        return [], [Problem(None, None, NO_ROWS)]
    header_row, header = records[0]
    columns = [_COLUMN_OF.get(header_key(cell)) for cell in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return [], [
            Problem(
                header_row,
                None,
                COLUMNS_MISSING,
                {
                    "columns": ", ".join(missing),
                    "names": "; ".join(f"{c}: {HEADER_SYNONYMS[c].split('|')[0]}" for c in missing),
                },
            )
        ]
    lenders: list[ListedLender] = []
    first_row_of: dict[str, int] = {}
    for number, cells in records[1:]:
        values: dict[str, str] = {}
        for index, column in enumerate(columns):
            if column and column not in values:
                values[column] = cells[index].strip() if index < len(cells) else ""
        lender, row_problems = _row_read(number, values)
        problems += row_problems
        if lender is None:
            continue
        if lender.kvk_number in first_row_of:
            problems.append(
                Problem(
                    number,
                    "kvk_number",
                    KVK_TWICE,
                    {"row": first_row_of[lender.kvk_number]},
                    lender.kvk_number,
                )
            )
            continue
        first_row_of[lender.kvk_number] = number
        lenders.append(lender)
    if len(records) == 1:
        problems.append(Problem(None, None, NO_LENDERS))
    # Problems name a column as the file's header wrote it ("KvK-nummer", not "kvk_number").
    written = {}
    for index, column in enumerate(columns):
        if column and column not in written:
            written[column] = header[index].strip()
    problems = [replace(p, column=written.get(p.column, p.column)) for p in problems]
    return ([] if problems else lenders), problems


def _row_read(number: int, values: dict[str, str]) -> tuple[ListedLender | None, list[Problem]]:
    problems = []
    for column, value in values.items():
        if direction_marked(value):
            problems.append(Problem(number, column, DIRECTION_CHARACTERS))
        elif CONTROL.search(value):
            problems.append(Problem(number, column, CONTROL_CHARACTERS, value=value[:40]))
    if problems:
        return None, problems
    kvk = ""
    try:
        kvk = kvk_number_normalise(values["kvk_number"])
    except KvkNumberError:
        problems.append(Problem(number, "kvk_number", KVK_WRONG, value=values["kvk_number"][:40]))
    name = values["name"]
    if not name:
        problems.append(Problem(number, "name", NAME_MISSING))
    status = _STATUS_OF.get(header_key(values["status"]))
    if status is None:
        problems.append(
            Problem(
                number,
                "status",
                STATUS_UNKNOWN,
                {"statuses": ", ".join(a.split("|")[0] for a in STATUS_SYNONYMS.values())},
                values["status"][:40],
            )
        )
    dates = {}
    for column in ("since", "until"):
        text = values.get(column, "")
        dates[column] = date_parse(text) if text else None
        if text and dates[column] is None:
            wrong = date_wrong(text)
            message, params = wrong if wrong else (DATE_WRONG, {})
            problems.append(Problem(number, column, message, params, text[:40]))
    if dates["since"] and dates["until"] and dates["until"] < dates["since"]:
        problems.append(Problem(number, "until", DATES_REVERSED, value=values["until"]))
    if problems:
        return None, problems
    return ListedLender(number, kvk, name[:200], status, dates["since"], dates["until"]), []
