"""Reads a housing provider's night list ("who slept where, which night") from CSV or XLSX.

Pure: bytes in, typed rows and every problem out; nothing here touches the database, so a
view, the API and a command read a list the same way. Problems are English msgids with
parameters (`welkom.lib.problems.Problem`), translated where they are shown.

A night list has one row per person per night, so a month for a whole province runs to
millions of rows in which each person's details repeat every night. The reader therefore
checks each distinct combination of a row's values once and reuses the result (and its
strings) for the rows that repeat it; only the night is checked per row.

Background: the night register (art. 438 Sr, municipal APV) and the BRP/RNI registration
status, see the shared domain facts §1.5 and §4.
"""

from __future__ import annotations

import codecs
import difflib
import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_noop

from welkom.lib.files import (  # noqa: F401 -- the reader's file-level messages, named here too
    CSV_BROKEN,
    NOT_READABLE,
    XLSX_FORMULAS,
    XLSX_MERGED,
    Spreadsheet,
    date_parse,
    date_wrong,
    first_listed,
)
from welkom.lib.problems import Problem
from welkom.lib.text import CONTROL as _CONTROL
from welkom.lib.text import CONTROL_CHARACTERS, DIRECTION_CHARACTERS
from welkom.lib.text import DIRECTION as _DIRECTION
from welkom.register.countries import ALPHA2_TO_ALPHA3
from welkom.register.matching import name_normalise
from welkom.register.rules import bsn_is_valid, bsn_masked

NIGHT_LIST_COLUMNS = [
    "night",
    "location_code",
    "family_name",
    "given_names",
    "date_of_birth",
    "nationality",
    "home_place",
    "home_country",
    "document_type",
    "document_number",
    "bsn",
    "room",
    "registration_status",
    "expected_departure",
    "employer_kvk",
]
REQUIRED_COLUMNS = [c for c in NIGHT_LIST_COLUMNS[:10] if c != "document_number"]

# The database columns' lengths (register.Person, register.Stay, housing.Location).
MAX_LENGTHS = {
    "location_code": 40,
    "family_name": 200,
    "given_names": 200,
    "home_place": 200,
    "document_number": 40,
    "room": 40,
}
EARLIEST_NIGHT = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_PROBLEMS = 1000
VALUE_SHOWN = 100

_SPACING = re.compile(r"[\s_\-‐‑–]+")


def _normalise(text: str) -> str:
    """Lower case, no accents, runs of spaces, dashes and underscores as one space."""
    text = text.replace("\ufeff", "").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACING.sub(" ", text.casefold()).strip()


def _aliases(table: dict[str, str]) -> dict[str, str]:
    """{canonical: "alias|alias"} → {normalised alias: canonical}; the canonical name included."""
    return {
        _normalise(alias): canonical
        for canonical, aliases in table.items()
        for alias in [canonical, *filter(None, aliases.split("|"))]
    }


_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]")


def _header_key(text: str) -> str:
    """A header as spreadsheets vary it: case, accents, spaces and punctuation do not count
    ("Geboorte datum", "geb.datum" and "GEBOORTEDATUM" are one key each way written)."""
    return _NOT_ALPHANUMERIC.sub("", _normalise(text))


# Every column's names, the canonical one first, then the Dutch and English names offices
# use in their night-register spreadsheets. The README and the upload page show this table.
HEADER_SYNONYMS: dict[str, str] = {
    "night": "nacht|datum|date|overnachting|datum overnachting|overnachtingsdatum|"
    "datum van overnachting|night of",
    "location_code": "locatiecode|location|locatie|adrescode|locatienummer|location code",
    "family_name": "achternaam|geslachtsnaam|familienaam|surname|last name",
    "given_names": "voornamen|voornaam|first name(s)|first names|first name|given name",
    "date_of_birth": "geboortedatum|geb. datum|geb datum|birth date|date of birth|dob",
    "nationality": "nationaliteit|nationality",
    "home_place": "woonplaats|plaats van herkomst|woonplaats herkomst|place of residence|home town",
    "home_country": "woonland|land|land van herkomst|herkomstland|country|country of residence",
    "document_type": "soort id|soort identiteitsbewijs|soort document|soort legitimatie|"
    "type id|type document|id-bewijs|identiteitsbewijs|legitimatie|legitimatiebewijs|"
    "id document|document type",
    "document_number": "documentnummer|id-nummer|nummer id|nummer identiteitsbewijs|"
    "paspoortnummer|legitimatienummer|document number",
    "bsn": "burgerservicenummer|sofinummer|citizen service number",
    "room": "kamer|kamernummer|room number",
    "registration_status": "inschrijving|inschrijving brp/rni|brp/rni|inschrijvingsstatus|"
    "ingeschreven|registratie|registration",
    "expected_departure": "verwachte vertrekdatum|vertrekdatum|verwacht vertrek|"
    "expected departure|departure",
    "employer_kvk": "kvk werkgever|kvk-nummer werkgever|werkgever kvk|kvk|kvk-nummer|employer kvk",
}
# What each column holds, for the upload page's list of the names above.
COLUMN_MEANINGS: dict[str, str] = {
    "night": gettext_noop("The night (the date the person slept there)"),
    "location_code": gettext_noop("Your code for the location"),
    "family_name": gettext_noop("Family name"),
    "given_names": gettext_noop("Given names"),
    "date_of_birth": gettext_noop("Date of birth"),
    "nationality": gettext_noop("Nationality (country code)"),
    "home_place": gettext_noop("Place of residence before coming"),
    "home_country": gettext_noop("Country of residence before coming (country code)"),
    "document_type": gettext_noop("Kind of ID document"),
    "document_number": gettext_noop("Number of the ID document"),
    "bsn": gettext_noop("BSN, when the person has one"),
    "room": gettext_noop("Room"),
    "registration_status": gettext_noop("Registration: BRP, RNI, none or unknown"),
    "expected_departure": gettext_noop("Expected departure date"),
    "employer_kvk": gettext_noop("KvK number of the employer"),
}
HEADER_ALIASES: dict[str, str] = {
    _header_key(alias): canonical
    for canonical, aliases in HEADER_SYNONYMS.items()
    for alias in [canonical, *aliases.split("|")]
}
_SUGGESTED_AT_MOST = 20  # unknown columns that get a "did you mean": the work stays bounded
# The words a list may use for a document type and a registration: the Dutch word first,
# then the English one (the stored code, with spaces for underscores), then other spellings.
# A refusal lists the first two of each, never the codes alone.
DOCUMENT_TYPE_WORDS = {
    "identity_card": "identiteitskaart|identity card|id card|id-kaart",
    "passport": "paspoort|passport",
    "residence_permit": "verblijfsvergunning|residence permit|verblijfsdocument",
    "driving_licence": "rijbewijs|driving licence|driving license|driver's license|"
    "driver's licence",
    "other": "anders|other|overig",
}
REGISTRATION_WORDS = {
    "brp": "BRP",
    "rni": "RNI",
    "none": "geen|none|not registered|niet ingeschreven",
    "unknown": "onbekend|unknown",
}
_DOCUMENT_TYPE_ALIASES = _aliases(DOCUMENT_TYPE_WORDS)
_REGISTRATION_ALIASES = _aliases(REGISTRATION_WORDS)


def _words_shown(table: dict[str, str]) -> str:
    """ "identiteitskaart / identity card, paspoort / passport, …": what a list may write."""
    shown = []
    for words in table.values():
        dutch, _, rest = words.partition("|")
        english = rest.partition("|")[0]
        shown.append(f"{dutch} / {english}" if english else dutch)
    return ", ".join(shown)


DOCUMENT_TYPES_SHOWN = _words_shown(DOCUMENT_TYPE_WORDS)
REGISTRATIONS_SHOWN = _words_shown(REGISTRATION_WORDS)
# Upper-case alpha-2 or alpha-3 code → (alpha-2, alpha-3).
_COUNTRIES: dict[str, tuple[str, str]] = {
    code: (a2, a3) for a2, a3 in ALPHA2_TO_ALPHA3.items() for code in (a2, a3)
}

# Messages: English msgids; the parameters each takes are named in them.
EMPTY = gettext_noop("The file contains no night rows.")
COLUMNS_MISSING = gettext_noop("Required columns are missing: %(columns)s.")
COLUMNS_UNKNOWN = gettext_noop("Unknown columns: %(columns)s. The known columns are: %(accepted)s.")
COLUMN_DID_YOU_MEAN = gettext_noop("Unknown column %(name)s: did you mean %(suggestion)s?")
COLUMN_TWICE = gettext_noop("The column %(column)s appears more than once: %(names)s.")
COLUMN_WITHOUT_NAME = gettext_noop(
    "Column %(position)d has values but no name in the header row (first in this row)."
)
REQUIRED = gettext_noop("A value is required.")
TOO_LONG = gettext_noop("Too long: at most %(max)d characters.")
NOT_A_DATE = gettext_noop("Not a date. Write dates as yyyy-mm-dd or dd-mm-yyyy.")
NIGHT_IN_FUTURE = gettext_noop("The night lies in the future (after %(today)s).")
NIGHT_TOO_EARLY = gettext_noop("The night lies before %(earliest)s.")
BIRTH_IN_FUTURE = gettext_noop("The date of birth lies in the future (after %(today)s).")
BIRTH_TOO_EARLY = gettext_noop("The date of birth lies before %(earliest)s.")
DEPARTURE_BEFORE_NIGHT = gettext_noop("The expected departure lies before the night (%(night)s).")
UNKNOWN_COUNTRY = gettext_noop(
    "Unknown country code. Use an ISO 3166 code of two or three letters, such as PL or POL."
)
UNKNOWN_DOCUMENT_TYPE = gettext_noop("Unknown document type. Known types: %(accepted)s.")
UNKNOWN_REGISTRATION = gettext_noop("Unknown registration status. Known values: %(accepted)s.")
BSN_INVALID = gettext_noop(
    "Not a valid citizen service number (BSN): it has 9 digits and passes the eleven test."
)
BSN_EIGHT_DIGITS = gettext_noop(
    "The citizen service number (BSN) has 8 digits: a leading zero may have been lost, for "
    "example when the file was opened in a spreadsheet. Add it."
)
KVK_INVALID = gettext_noop("Not a valid KvK number: it has 8 digits.")
PERSON_TWICE = gettext_noop(
    "%(name)s is listed twice for the night of %(night)s: in row %(first_row)d (location "
    "%(first_location)s) and in this row (location %(location)s)."
)
MORE_PROBLEMS = gettext_noop("And %(count)d more problems.")
TOTALS_ROW = gettext_noop(
    "This looks like a totals row, not a person's night: remove it. A night list has one row "
    "per person per night and nothing else."
)
LOCATION_UNKNOWN = gettext_noop("Location code %(code)s is not one of your locations.")
EXAMPLE_ROW = gettext_noop(
    "This is the template's example row (location code %(code)s): remove the example rows "
    "and list the persons who really stayed."
)


@dataclass(frozen=True, slots=True)  # slots: millions of rows, no per-row __dict__
class NightRow:
    row: int  # the row number as the user sees it (spreadsheet/CSV row, header = 1)
    night: date
    location_code: str
    family_name: str
    given_names: str
    date_of_birth: date
    nationality: str  # ISO 3166-1 alpha-3
    home_place: str
    home_country: str  # ISO 3166-1 alpha-2
    document_type: str  # a key of DOCUMENT_TYPE_WORDS
    document_number: str
    bsn: str  # 9 digits, elfproef-valid, or ""
    room: str
    registration: str  # a key of REGISTRATION_WORDS, or "" when absent
    expected_departure: date | None
    employer_kvk: str  # 8 digits or ""


@dataclass(frozen=True)
class NightList:
    rows: list[NightRow]
    problems: list[Problem]
    columns: list[str]  # canonical columns found, in the file's order
    named: dict[str, str] = field(default_factory=dict)  # column → the file's header for it


# The template's example row names a location code that no list may use, so that a template
# sent back unedited is refused ("remove the example rows") instead of registering a person.
EXAMPLE_LOCATION = "VOORBEELD"
_TEMPLATE_EXAMPLE = (
    f"2026-01-31,{EXAMPLE_LOCATION},Kowalska,Anna Maria,1990-05-17,POL,Kraków,PL,identity card,ABC123456,"
    "123456782,12,rni,2026-03-31,12345678"
)


def night_list_template_csv() -> bytes:
    # The byte-order mark makes Excel open the file as UTF-8 (Kraków, not KrakÃ³w).
    text = ",".join(NIGHT_LIST_COLUMNS) + "\r\n" + _TEMPLATE_EXAMPLE + "\r\n"
    return codecs.BOM_UTF8 + text.encode("utf-8")


def _shown(text: str) -> str:
    if not text.isprintable():
        # A NUL cannot be stored in PostgreSQL JSON, where the import keeps its problems.
        text = _DIRECTION.sub("\ufffd", _CONTROL.sub("\ufffd", text))
    return text[:VALUE_SHOWN]


class _Seen(NamedTuple):
    """The first row of a person-night that did not become a NightRow (it had problems)."""

    row: int
    location_code: str


# A tail is a row without its night: (values, problems, person id). The values are in
# NightRow order from location_code on; the problems are (column, value, message, params).
_Tail = tuple[tuple, list[tuple[str, str, str, dict]], int | None]
_CACHE_LIMIT = 200_000  # distinct tails kept; a night list repeats them per night
TAIL_COLUMNS = NIGHT_LIST_COLUMNS[1:]  # a row without its night, in NightRow order
# Person-night keys are person * _NIGHT_SLOTS + night ordinal: one int, not a tuple, per row.
# Nights are never after today, whose ordinal stays below a million until the year 2738.
_NIGHT_SLOTS = 1_000_000


class RowChecker:
    """Turns records (row number, cells as text) into rows and problems. The columnar path of
    `register.submissions` checks values with it too (`header_read`, `value_check`,
    `night_check`), so that both paths accept and refuse the same cells."""

    def __init__(self, *, today: date, location_codes: Collection[str] | None = None) -> None:
        self.today = today
        # The provider's location codes: a row naming another is refused, with the other
        # problems of the list (None: not checked here).
        self.location_codes = location_codes
        self.unknown_codes: set[str] = set()
        self.rows: list[NightRow] = []
        self.problems: list[Problem] = []
        self.more = 0
        self.columns: list[str] = []
        self.index: dict[str, int] = {}
        self.named: dict[str, str] = {}  # column → the header the file gives it
        self.width = 0
        self.nameless: set[int] = set()
        self.nameless_reported: set[int] = set()
        self.data_rows = 0
        self.persons: dict[tuple, int] = {}
        self.document_types = dict(_DOCUMENT_TYPE_ALIASES)
        self.registrations = dict(_REGISTRATION_ALIASES)

    def report(
        self, row: int | None, column: str | None, value: str, message: str, params: dict
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            column = self.named.get(column, column) if column else column
            self.problems.append(Problem(row, column, message, params, _shown(value)))
        else:
            self.more += 1

    def header_read(self, cells: list[str]) -> bool:
        """Maps the header; False when rows cannot be read (columns missing or doubled)."""
        self.width = len(cells)
        names: dict[str, list[str]] = {}
        unknown = []
        for position, cell in enumerate(cells):
            name = cell.strip()
            key = _header_key(name)
            if not key:
                self.nameless.add(position)
            elif key in HEADER_ALIASES:
                canonical = HEADER_ALIASES[key]
                names.setdefault(canonical, []).append(name)
                if canonical not in self.index:
                    self.index[canonical] = position
                    self.columns.append(canonical)
                    self.named[canonical] = name
            else:
                unknown.append(name)
        # A header close to a known name gets one problem, "did you mean …?", rather than
        # also "unknown column" and (for a required one) "column missing".
        suggested: dict[str, str] = {}
        for name in unknown[:_SUGGESTED_AT_MOST]:
            close = difflib.get_close_matches(_header_key(name), HEADER_ALIASES, n=1, cutoff=0.8)
            if close and HEADER_ALIASES[close[0]] not in self.index:
                suggested[name] = HEADER_ALIASES[close[0]]
        missing = [c for c in REQUIRED_COLUMNS if c not in self.index]
        not_suggested = [c for c in missing if c not in suggested.values()]
        if not_suggested:
            columns = ", ".join(f"{_dutch(c)} ({c})" for c in not_suggested)
            self.report(None, None, "", COLUMNS_MISSING, {"columns": columns})
        for name, canonical in suggested.items():
            self.report(
                None,
                name,
                name,
                COLUMN_DID_YOU_MEAN,
                {"name": name, "suggestion": f"{_dutch(canonical)} ({canonical})"},
            )
        others = [name for name in unknown if name not in suggested]
        if others:
            # Named up to a few, each shortened: a header can be shaped to be megabytes.
            shown = first_listed([name[:40] for name in others[:_SUGGESTED_AT_MOST]], len(others))
            self.report(
                None,
                None,
                shown,
                COLUMNS_UNKNOWN,
                {
                    "columns": shown,
                    "accepted": ", ".join(f"{_dutch(c)} ({c})" for c in NIGHT_LIST_COLUMNS),
                },
            )
        doubled = [c for c in NIGHT_LIST_COLUMNS if len(names.get(c, ())) > 1]
        for column in doubled:
            listed = ", ".join(names[column])
            self.report(None, column, listed, COLUMN_TWICE, {"column": column, "names": listed})
        return not missing and not doubled

    def rows_read(self, records: Iterable[tuple[int, list[str]]]) -> None:
        width = self.width
        pad = [""] * width
        tail_columns = TAIL_COLUMNS
        # An absent optional column reads the empty cell appended at position `width`.
        absent = any(c not in self.index for c in tail_columns)
        tail_of = operator.itemgetter(*(self.index.get(c, width) for c in tail_columns))
        night_at = self.index["night"]
        nameless = sorted(self.nameless)
        nights: dict[str, tuple[date | None, str | None, dict]] = {}
        tails: dict[tuple, _Tail] = {}
        seen: dict[int, NightRow | _Seen] = {}
        report = self.report
        data_rows = 0

        for number, cells in records:
            length = len(cells)
            if length < width:
                cells.extend(pad[length:])
            night_text = cells[night_at]
            if (not night_text or night_text.isspace()) and _blank(cells):
                continue  # an empty row: spreadsheets leave them, they mean nothing
            if length > width:
                self._nameless_report(number, cells, range(width, length))
                del cells[width:]
            if nameless:
                self._nameless_report(number, cells, nameless)
            if absent:
                cells.append("")
            checked = nights.get(night_text)
            if checked is None:
                if len(nights) >= _CACHE_LIMIT:
                    nights.clear()
                checked = nights[night_text] = self.night_check(night_text)
            night, night_problem, night_params = checked
            # Only a row without a night can be a totals row: a listed night never pays this.
            if night is None and _totals_row(cells) and date_parse(night_text.strip()) is None:
                report(number, None, _shown_row(cells), TOTALS_ROW, {})
                continue  # its other cells are no person's: no problem of their own
            data_rows += 1
            key = tail_of(cells)
            tail = tails.get(key)
            if tail is None:
                if len(tails) >= _CACHE_LIMIT:
                    tails.clear()
                tail = tails[key] = self._tail_check(key)
            problems = tail[1]

            valid = night_problem is None and not problems
            code = tail[0][0]
            if (
                self.location_codes is not None
                and code
                and code not in self.location_codes
                and not any(problem[0] == "location_code" for problem in problems)
            ):
                valid = False
                if code not in self.unknown_codes:  # once, at its first row
                    self.unknown_codes.add(code)
                    report(number, "location_code", code, LOCATION_UNKNOWN, {"code": code})
            if night_problem is not None:
                report(number, "night", night_text, night_problem, night_params)
            for column, value, message, params in problems:
                report(number, column, value, message, params)
            if night is not None:
                self._row_add(number, night, key, tail, valid=valid, seen=seen)
        self.data_rows += data_rows

    def _row_add(
        self,
        number: int,
        night: date,
        key: tuple[str, ...],
        tail: _Tail,
        *,
        valid: bool,
        seen: dict[int, NightRow | _Seen],
    ) -> None:
        """The checks across a row (departure after the night, a person once a night), then
        the row itself if it passed every check."""
        values, _problems, person = tail
        report = self.report
        departure = values[12]
        if departure is not None and departure < night:
            valid = False
            report(
                number,
                "expected_departure",
                key[12],
                DEPARTURE_BEFORE_NIGHT,
                {"night": night.isoformat()},
            )
        if person is None:
            if valid:
                self.rows.append(NightRow(number, night, *values))
            return
        person_night = person * _NIGHT_SLOTS + night.toordinal()
        first = seen.get(person_night)
        if first is not None:
            name = f"{values[2]} {values[1]}"
            report(
                number,
                None,
                name,
                PERSON_TWICE,
                {
                    "name": name,
                    "night": night.isoformat(),
                    "first_row": first.row,
                    "first_location": first.location_code,
                    "location": values[0],
                },
            )
        elif valid:
            row = NightRow(number, night, *values)
            self.rows.append(row)
            seen[person_night] = row  # the row itself: no second object per row
        else:
            seen[person_night] = _Seen(number, values[0])

    def _nameless_report(self, number: int, cells: list[str], positions: Iterable[int]) -> None:
        """A value under no column name: reported once per column, at its first row."""
        for position in positions:
            if position not in self.nameless_reported and cells[position].strip():
                self.nameless_reported.add(position)
                self.report(
                    number, None, cells[position], COLUMN_WITHOUT_NAME, {"position": position + 1}
                )

    def night_check(self, text: str) -> tuple[date | None, str | None, dict]:
        text = text.strip()
        if not text:
            return None, REQUIRED, {}
        night = date_parse(text)
        if night is None:
            return None, *(date_wrong(text) or (NOT_A_DATE, {}))
        if night > self.today:
            return None, NIGHT_IN_FUTURE, {"today": self.today.isoformat()}
        if night < EARLIEST_NIGHT:
            return None, NIGHT_TOO_EARLY, {"earliest": EARLIEST_NIGHT.isoformat()}
        return night, None, {}

    def _tail_check(self, raw: tuple[str, ...]) -> _Tail:
        """Checks everything in a row but its night; runs once per distinct combination."""
        problems: list[tuple[str, str, str, dict]] = []
        values = []
        for column, value in zip(TAIL_COLUMNS, raw, strict=True):
            checked, found = self.value_check(column, value)
            values.append(checked)
            problems.extend(found)
        return tuple(values), problems, self.identity_of(values)

    def identity_of(self, values) -> int | None:
        """The person a row's checked values name (a number within this reading), or None
        when the name, date of birth or nationality is missing."""
        family_name, given_names, born, nationality = values[1:5]
        if not (family_name and given_names and born is not None and nationality):
            return None
        identity = (name_normalise(family_name), name_normalise(given_names), born, nationality)
        return self.persons.setdefault(identity, len(self.persons))

    def value_check(self, column: str, raw: str) -> tuple[object, list[tuple]]:
        """One cell (not the night) checked on its own: its value as stored, and its
        problems as (column, value, message, params). Every check of a row's cells is
        a check of one cell, so a reader may run this once per distinct value of a column."""
        check = _CELL_CHECKS.get(column)
        if check is None:
            raise ValueError(f"not a column of a row's tail: {column}")
        found = _Found(column)
        return check(self, raw, found), found.problems

    def _birth_check(self, raw: str, problem: _Found) -> date | None:
        born = _day(raw, problem, required=True)
        if born is not None and born > self.today:
            problem(raw, BIRTH_IN_FUTURE, {"today": self.today.isoformat()})
            return None
        if born is not None and born < EARLIEST_BIRTH:
            problem(raw, BIRTH_TOO_EARLY, {"earliest": EARLIEST_BIRTH.isoformat()})
            return None
        return born

    def _document_type_check(self, raw: str, problem: _Found) -> str:
        value = raw.strip()
        if not value:
            problem(value, REQUIRED)
            return value
        return _vocabulary(
            value, self.document_types, problem, UNKNOWN_DOCUMENT_TYPE, DOCUMENT_TYPES_SHOWN
        )

    def _registration_check(self, raw: str, problem: _Found) -> str:
        value = raw.strip()
        if not value:
            return value
        return _vocabulary(
            value, self.registrations, problem, UNKNOWN_REGISTRATION, REGISTRATIONS_SHOWN
        )

    def result(self, *, file_problems_only: bool = False) -> NightList:
        problems = self.problems
        more = self.more
        if file_problems_only:
            problems = [p for p in problems if p.row is None]
            more = 0
        if more:
            problems.append(Problem(None, None, MORE_PROBLEMS, {"count": more}))
        rows = [] if file_problems_only else self.rows
        return NightList(rows=rows, problems=problems, columns=self.columns, named=self.named)


class _Found:
    """The problems of one cell, as (column, value, message, params); called to add one."""

    __slots__ = ("column", "problems")

    def __init__(self, column: str) -> None:
        self.column = column
        self.problems: list[tuple[str, str, str, dict]] = []

    def __call__(self, value: str, message: str, params: dict | None = None) -> None:
        self.problems.append((self.column, value, message, params or {}))


def _text(raw: str, problem: _Found, *, required: bool) -> str:
    value = raw.strip()
    if not value:
        if required:
            problem(value, REQUIRED)
        return ""
    if not value.isprintable() and _CONTROL.search(value):
        problem(value, CONTROL_CHARACTERS)
        return ""
    if not value.isprintable() and _DIRECTION.search(value):
        problem(value, DIRECTION_CHARACTERS)
        return ""
    if not value.isascii():
        # Files from macOS may carry decomposed accents; store one spelling.
        value = unicodedata.normalize("NFC", value)
    limit = MAX_LENGTHS.get(problem.column)
    if limit is not None and len(value) > limit:
        problem(value, TOO_LONG, {"max": limit})
        return ""
    return value


def _day(raw: str, problem: _Found, *, required: bool) -> date | None:
    value = raw.strip()
    if not value:
        if required:
            problem(value, REQUIRED)
        return None
    parsed = date_parse(value)
    if parsed is None:
        problem(value, *(date_wrong(value) or (NOT_A_DATE, {})))
    return parsed


def _country(raw: str, problem: _Found) -> tuple[str, str] | None:
    """(alpha-2, alpha-3) of a country written either way."""
    value = raw.strip()
    if not value:
        problem(value, REQUIRED)
        return None
    codes = _COUNTRIES.get(value.upper())
    if codes is None:
        problem(value, UNKNOWN_COUNTRY)
    return codes


def _vocabulary(value: str, table: dict, problem: _Found, message: str, accepted: str) -> str:
    """A value from a fixed list, as written or normalised; remembered per spelling."""
    known = table.get(value)
    if known is None:
        known = table.get(_normalise(value))
    if known is None:
        problem(value, message, {"accepted": accepted})
        return value
    table[value] = known
    return known


def _bsn(raw: str, problem: _Found) -> str:
    value = raw.strip()
    if not value:
        return value
    digits = value.replace(" ", "").replace(".", "").replace("-", "")
    if len(digits) == 8 and digits.isascii() and digits.isdigit():
        problem(bsn_masked(digits), BSN_EIGHT_DIGITS)
    elif not bsn_is_valid(digits):
        problem(bsn_masked(digits), BSN_INVALID)
    return digits


def _kvk(raw: str, problem: _Found) -> str:
    value = raw.strip()
    if value and not (len(value) == 8 and value.isascii() and value.isdigit()):
        problem(value, KVK_INVALID)
    return value


def _location_code(raw: str, problem: _Found) -> str:
    code = _text(raw, problem, required=True)
    if code.casefold() == EXAMPLE_LOCATION.casefold():
        problem(code, EXAMPLE_ROW, {"code": EXAMPLE_LOCATION})
    return code


def _alpha3(raw: str, problem: _Found) -> str:
    codes = _country(raw, problem)
    return codes[1] if codes else ""


def _alpha2(raw: str, problem: _Found) -> str:
    codes = _country(raw, problem)
    return codes[0] if codes else ""


# How each cell of a row but its night is checked: (checker, raw text, problems) → value.
_CELL_CHECKS: dict[str, Callable[[RowChecker, str, _Found], object]] = {
    "location_code": lambda _checker, raw, problem: _location_code(raw, problem),
    "family_name": lambda _checker, raw, problem: _text(raw, problem, required=True),
    "given_names": lambda _checker, raw, problem: _text(raw, problem, required=True),
    "date_of_birth": RowChecker._birth_check,
    "nationality": lambda _checker, raw, problem: _alpha3(raw, problem),
    "home_place": lambda _checker, raw, problem: _text(raw, problem, required=True),
    "home_country": lambda _checker, raw, problem: _alpha2(raw, problem),
    "document_type": RowChecker._document_type_check,
    "document_number": lambda _checker, raw, problem: _text(raw, problem, required=False),
    "bsn": lambda _checker, raw, problem: _bsn(raw, problem),
    "room": lambda _checker, raw, problem: _text(raw, problem, required=False),
    "registration_status": RowChecker._registration_check,
    "expected_departure": lambda _checker, raw, problem: _day(raw, problem, required=False),
    "employer_kvk": lambda _checker, raw, problem: _kvk(raw, problem),
}
assert set(_CELL_CHECKS) == set(TAIL_COLUMNS)


def _dutch(column: str) -> str:
    """A column's Dutch name, as the template and the upload page give it."""
    return HEADER_SYNONYMS[column].split("|")[0]


# A totals row's word: a cell that begins with one of the first ("Totaal", "Total:",
# "Totaal personen") or is one of the second ("Aantal", "Som").
_TOTALS_BEGIN = ("totaal", "total", "subtotaal", "subtotal", "eindtotaal", "grandtotal")
_TOTALS_ALONE = ("aantal", "aantalpersonen", "som", "sum", "count")


def _totals_row(cells: list[str]) -> bool:
    """Whether a row reads as the totals a spreadsheet adds under its rows: a cell with a
    word for total, and no more than three other cells filled."""
    filled = [cell for cell in cells if cell and not cell.isspace()]
    if len(filled) > 4:
        return False
    keys = [_header_key(cell) for cell in filled]
    return any(key.startswith(_TOTALS_BEGIN) or key in _TOTALS_ALONE for key in keys)


def _shown_row(cells: list[str]) -> str:
    return " | ".join(cell.strip() for cell in cells if cell and not cell.isspace())


def _blank(cells: list[str]) -> bool:
    return not any(cell and not cell.isspace() for cell in cells)


def _records_read(builder: RowChecker, records: Iterator[tuple[int, list[str]]]) -> None:
    for _number, cells in records:
        if not _blank(cells):
            if builder.header_read(cells):
                builder.rows_read(records)
                if not builder.data_rows:
                    builder.report(None, None, "", EMPTY, {})
            return
    builder.report(None, None, "", EMPTY, {})


def _leading_zeros(builder: RowChecker) -> Callable[[int, str], str]:
    """A number cell drops leading zeros: a BSN of 8 digits has lost the leading 0 of its 9, a
    KvK number of 7 digits the leading 0 of its 8. Known once the header is read."""
    digits_at: dict[int, int] = {}

    def number_text(position: int, text: str) -> str:
        if not digits_at and builder.index:
            digits_at.update(
                {builder.index.get("bsn", -1): 9, builder.index.get("employer_kvk", -1): 8}
            )
        digits = digits_at.get(position)
        if digits and len(text) == digits - 1:
            return "0" + text
        return text

    return number_text


def night_list_read(
    data: bytes, *, filename: str, today: date, location_codes: Collection[str] | None = None
) -> NightList:
    """Every row and every problem of a list; with `location_codes` (the provider's), a row
    naming another code is a problem too. Read by the one spreadsheet reader
    (`lib.files.Spreadsheet`), a row at a time."""
    builder = RowChecker(today=today, location_codes=location_codes)
    sheet = Spreadsheet(data, filename=filename, number_text=_leading_zeros(builder))
    _records_read(builder, sheet.rows())
    if sheet.unreadable:
        return NightList(rows=[], problems=sheet.problems, columns=[])
    for problem in sheet.problems:
        builder.report(problem.row, problem.column, problem.value, problem.message, problem.params)
    # Merged and formula cells make the rows' values meaningless; then only the file-level
    # problems say what to fix.
    return builder.result(file_problems_only=sheet.values_meaningless)
