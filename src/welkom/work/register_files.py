"""Reading a register's published export (SNA or Wtta): one lender per row, with its KvK
number, name, status and, where the register gives them, the dates the status runs from
and until. Registers publish more columns than these; the others are left alone. Headers
and statuses are read in Dutch or English, in any capitalisation. Every problem is reported
by row and column in one pass, and a file with any problem is refused whole.

Columns (first row): kvk_number, name, status, since, until.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from welkom.lib.problems import Problem
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.work import rules
from welkom.work.tables import (
    cells_refused,
    date_cell,
    header_key,
    names_of,
    table_read,
)

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

NO_LENDERS = gettext_noop("The file has a header but no lenders.")
KVK_WRONG = gettext_noop("A KvK number has exactly 8 digits, for example 12345678.")
NAME_MISSING = gettext_noop("The lender's name is empty.")
STATUS_UNKNOWN = gettext_noop("Welkom does not know this status. It reads: %(statuses)s.")
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


_STATUS_OF = names_of(STATUS_SYNONYMS)


def register_file_read(
    data: bytes, *, filename: str = ""
) -> tuple[list[ListedLender], list[Problem]]:
    """The export's lenders, or every problem in it (columns named as the file wrote them)."""
    table, problems = table_read(
        data, filename=filename, synonyms=HEADER_SYNONYMS, required=REQUIRED
    )
    if table is None:
        return [], problems
    lenders: list[ListedLender] = []
    first_row_of: dict[str, int] = {}
    for number, values in table.rows:
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
    if not table.rows:
        problems.append(Problem(None, None, NO_LENDERS))
    problems = table.as_written(problems)
    return ([] if problems else lenders), problems


def _row_read(number: int, values: dict[str, str]) -> tuple[ListedLender | None, list[Problem]]:
    problems = cells_refused(number, values)
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
        dates[column], wrong = date_cell(number, column, values.get(column, ""))
        problems += [wrong] if wrong else []
    if dates["since"] and dates["until"] and dates["until"] < dates["since"]:
        problems.append(Problem(number, "until", DATES_REVERSED, value=values["until"]))
    if problems:
        return None, problems
    return ListedLender(number, kvk, name[:200], status, dates["since"], dates["until"]), []
