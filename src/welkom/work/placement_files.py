"""Reading a placement list: who works for which hirer, through which agency, from when to
when. An employer or a temp agency sends it (CSV or XLSX, the spreadsheet toolkit's
reader); headers in Dutch or English, any capitalisation. Every problem is reported by row
and column in one pass, and a list with any problem is refused whole.

Columns: family_name, given_names, date_of_birth, nationality (the person as the night
lists name them), hirer_kvk, agency_kvk (empty: hired directly), job_start, job_end
(empty: still working).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from welkom.lib.problems import Problem
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.register.countries import ALPHA2_TO_ALPHA3, ALPHA3_TO_ALPHA2
from welkom.register.matching import person_match_key
from welkom.work.register_files import KVK_WRONG
from welkom.work.tables import cells_refused, date_cell, table_read

HEADER_SYNONYMS = {
    "family_name": "achternaam|geslachtsnaam|familienaam|surname|last name",
    "given_names": "voornamen|voornaam|first names|first name|given name",
    "date_of_birth": "geboortedatum|geb datum|birth date|date of birth|dob",
    "nationality": "nationaliteit|nationality",
    "hirer_kvk": "kvk inlener|inlener kvk|kvk-nummer inlener|kvk werkgever|werkgever kvk|"
    "hirer kvk|employer kvk",
    "agency_kvk": "kvk uitzendbureau|uitzendbureau kvk|kvk uitlener|uitlener kvk|"
    "kvk-nummer uitzendbureau|agency kvk",
    "job_start": "begindatum|startdatum|in dienst|datum in dienst|start|job start|start date",
    "job_end": "einddatum|uit dienst|datum uit dienst|einde|job end|end date",
}
REQUIRED = ("family_name", "given_names", "date_of_birth", "nationality", "hirer_kvk", "job_start")

NO_PLACEMENTS = gettext_noop("The file has a header but no placements.")
VALUE_MISSING = gettext_noop("A value is required.")
COUNTRY_UNKNOWN = gettext_noop(
    "Unknown country code. Use an ISO 3166 code of two or three letters, such as PL or POL."
)
BORN_AHEAD = gettext_noop("The date of birth lies in the future.")
END_BEFORE_START = gettext_noop("The job ends before it starts.")
SAME_AS_HIRER = gettext_noop(
    "The agency's KvK number is the hirer's: leave it empty when the worker is hired directly."
)
PLACEMENT_TWICE = gettext_noop("The same placement is also on row %(row)d.")


@dataclass(frozen=True)
class ListedPlacement:
    row: int
    match_key: str
    hirer_kvk: str
    agency_kvk: str
    starts_on: date
    ends_on: date | None

    @property
    def key(self) -> tuple[str, str, str, date]:
        return (self.match_key, self.hirer_kvk, self.agency_kvk, self.starts_on)


def placement_file_read(
    data: bytes, *, filename: str = "", today: date
) -> tuple[list[ListedPlacement], list[Problem], dict[str, str]]:
    """The list's placements, or every problem in it; columns named as the file wrote them,
    and those names (column → header) for the problems a caller finds later."""
    table, problems = table_read(
        data, filename=filename, synonyms=HEADER_SYNONYMS, required=REQUIRED
    )
    if table is None:
        return [], problems, {}
    placements: list[ListedPlacement] = []
    first_row_of: dict[tuple, int] = {}
    for number, values in table.rows:
        placement, row_problems = _row_read(number, values, today=today)
        problems += row_problems
        if placement is None:
            continue
        if placement.key in first_row_of:
            problems.append(
                Problem(number, None, PLACEMENT_TWICE, {"row": first_row_of[placement.key]})
            )
            continue
        first_row_of[placement.key] = number
        placements.append(placement)
    if not table.rows:
        problems.append(Problem(None, None, NO_PLACEMENTS))
    problems = table.as_written(problems)
    return ([] if problems else placements), problems, table.written


def _row_read(
    number: int, values: dict[str, str], *, today: date
) -> tuple[ListedPlacement | None, list[Problem]]:
    problems = cells_refused(number, values)
    if problems:
        return None, problems
    for column in ("family_name", "given_names"):
        if not values[column]:
            problems.append(Problem(number, column, VALUE_MISSING))
    nationality = values["nationality"].upper()
    alpha3 = nationality if nationality in ALPHA3_TO_ALPHA2 else ALPHA2_TO_ALPHA3.get(nationality)
    if not alpha3:
        problems.append(Problem(number, "nationality", COUNTRY_UNKNOWN, value=nationality[:10]))
    dates: dict[str, date | None] = {}
    for column in ("date_of_birth", "job_start", "job_end"):
        text = values.get(column, "")
        dates[column], wrong = date_cell(number, column, text)
        if wrong:
            problems.append(wrong)
        elif not text and column != "job_end":
            problems.append(Problem(number, column, VALUE_MISSING))
    if dates["date_of_birth"] and dates["date_of_birth"] > today:
        problems.append(Problem(number, "date_of_birth", BORN_AHEAD))
    if dates["job_start"] and dates["job_end"] and dates["job_end"] < dates["job_start"]:
        problems.append(Problem(number, "job_end", END_BEFORE_START))
    kvk = {}
    for column in ("hirer_kvk", "agency_kvk"):
        text = values.get(column, "")
        kvk[column] = ""
        if not text:
            if column == "hirer_kvk":
                problems.append(Problem(number, column, VALUE_MISSING))
            continue
        try:
            kvk[column] = kvk_number_normalise(text)
        except KvkNumberError:
            problems.append(Problem(number, column, KVK_WRONG, value=text[:40]))
    if kvk["agency_kvk"] and kvk["agency_kvk"] == kvk["hirer_kvk"]:
        problems.append(Problem(number, "agency_kvk", SAME_AS_HIRER))
    if problems:
        return None, problems
    return (
        ListedPlacement(
            row=number,
            match_key=person_match_key(
                family_name=values["family_name"],
                given_names=values["given_names"],
                date_of_birth=dates["date_of_birth"],
                nationality=alpha3,
            ),
            hirer_kvk=kvk["hirer_kvk"],
            agency_kvk=kvk["agency_kvk"],
            starts_on=dates["job_start"],
            ends_on=dates["job_end"],
        ),
        [],
    )
