"""What a night list says, collapsed: its persons, their runs of nights per location, and
the number of persons per location per night. Pure: bytes in, no database.

A month of night lists for the province is millions of rows (one per person per night), but
only some hundred thousand persons and stays. So a list is read into columns (polars) and
collapsed there; Python sees each distinct combination of a row's values once, and checks
it with the same functions as the row reader in `night_lists` (one set of rules, one set of
messages).

That columnar path takes a CSV file only when nothing about it is unusual: no quotation
marks, no blank lines in between, one header row whose names all map to a column, and no
problem anywhere. Every other file (a workbook, a file with problems) goes through the row
reader, which reports each problem with its row; its rows are then collapsed the same way.
Either path gives the same `Submission` for the same list, which a test holds them to.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from welkom.core.files import is_binary, is_utf8
from welkom.register.matching import person_match_key
from welkom.register.night_lists import (
    NIGHT_LIST_COLUMNS,
    NightRow,
    Problem,
    _Builder,
    night_list_read,
)

ONE_DAY = timedelta(days=1)
_TAIL_COLUMNS = NIGHT_LIST_COLUMNS[1:]  # a row without its night, in NightRow order


@dataclass(frozen=True, slots=True)
class ListedPerson:
    """One person in a list. `key` is how the import finds them: the BSN when the list gives
    one, else the match key (normalised names, date of birth, nationality)."""

    key: str
    match_key: str
    family_name: str  # spelled as in the person's first row
    given_names: str
    date_of_birth: date
    nationality: str
    home_place: str
    home_country: str
    document_type: str
    document_number: str
    bsn: str
    registration: str  # from the person's latest night ("" when the list has none)
    first_row: int


@dataclass(frozen=True, slots=True)
class ListedRun:
    """Consecutive nights [check_in, check_out) of one person at one location."""

    person: int  # index in Submission.persons
    location_code: str
    check_in: date
    check_out: date
    row: int  # the row of the run's first night
    # From the latest row of this person at this location: the list's current word on them.
    room: str
    employer_kvk: str
    expected_departure: date | None


@dataclass(frozen=True)
class Submission:
    rows: int
    persons: list[ListedPerson]
    runs: list[ListedRun]
    occupancy: dict[tuple[str, date], int]  # (location code, night) → persons listed
    # Per row: person index, location code, night, row number; for finding a row in reports.
    frame: pl.DataFrame

    @property
    def nights(self) -> int:
        return len({night for _code, night in self.occupancy})

    def row_at(self, persons: list[int], night: date, location_code: str) -> int | None:
        """The first row listing one of `persons` (indexes) on `night` at `location_code`."""
        found = self.frame.filter(
            pl.col("person").is_in(persons)
            & (pl.col("night") == night)
            & (pl.col("location") == location_code)
        )["row"].min()
        return None if found is None else int(found)


def submission_read(
    data: bytes, *, filename: str, today: date
) -> tuple[Submission | None, list[Problem]]:
    """The list as a Submission, or None and its problems (file-level and per row)."""
    columnar = _columnar_read(data, today=today)
    if columnar is not None:
        return columnar, []
    night_list = night_list_read(data, filename=filename, today=today)
    if night_list.problems:
        return None, night_list.problems
    return submission_from_rows(night_list.rows), []


def submission_from_rows(rows: list[NightRow]) -> Submission:
    """Collapse checked rows (from the row reader) into a Submission."""
    tail_ids: dict[tuple, int] = {}
    tails: list[tuple] = []
    column_tail, column_night, column_row = [], [], []
    for row in rows:
        tail = (
            row.location_code,
            row.family_name,
            row.given_names,
            row.date_of_birth,
            row.nationality,
            row.home_place,
            row.home_country,
            row.document_type,
            row.document_number,
            row.bsn,
            row.room,
            row.registration,
            row.expected_departure,
            row.employer_kvk,
        )
        tail_id = tail_ids.get(tail)
        if tail_id is None:
            tail_id = tail_ids[tail] = len(tails)
            tails.append(tail)
        column_tail.append(tail_id)
        column_night.append(row.night)
        column_row.append(row.row)
    frame = pl.DataFrame(
        {"tail": column_tail, "night": column_night, "row": column_row},
        schema={"tail": pl.UInt32, "night": pl.Date, "row": pl.UInt32},
    )
    return _collapse(frame, tails)


def _collapse(frame: pl.DataFrame, tails: list[tuple]) -> Submission:
    """frame: tail (index in `tails`), night, row: one per row. tails: checked values."""
    keys: dict[str, int] = {}
    person_of_tail = []
    for tail in tails:
        (_code, family, given, born, nationality, *_rest) = tail
        bsn = tail[9]
        match_key = person_match_key(
            family_name=family, given_names=given, date_of_birth=born, nationality=nationality
        )
        person_of_tail.append(keys.setdefault(bsn or match_key, len(keys)))
    codes = sorted({tail[0] for tail in tails})
    code_index = {code: i for i, code in enumerate(codes)}
    lookup = pl.DataFrame(
        {
            "tail": range(len(tails)),
            "person": person_of_tail,
            "location": [code_index[tail[0]] for tail in tails],
        },
        schema={"tail": pl.UInt32, "person": pl.UInt32, "location": pl.UInt32},
    )
    frame = frame.join(lookup, on="tail", how="left")
    ordered = frame.sort("night", "row")

    # The person's first row gives the spelling; the latest night the registration status;
    # per person and location, the latest night the room, employer and expected departure.
    per_person = ordered.group_by("person").agg(
        first_tail=pl.col("tail").sort_by("row").first(),
        first_row=pl.col("row").min(),
        latest_tail=pl.col("tail").last(),
    )
    per_place = ordered.group_by("person", "location").agg(latest_tail=pl.col("tail").last())
    # Runs (gaps and islands): along a run, the night minus its rank is constant.
    nights = frame.group_by("person", "location", "night").agg(pl.col("row").min())
    runs = (
        nights.sort("person", "location", "night")
        .with_columns(
            run=pl.col("night").cast(pl.Int32)
            - pl.int_range(pl.len(), dtype=pl.Int32).over("person", "location")
        )
        .group_by("person", "location", "run")
        .agg(
            check_in=pl.col("night").min(),
            check_out=pl.col("night").max() + pl.duration(days=1),
            row=pl.col("row").sort_by("night").first(),
        )
        .join(per_place, on=["person", "location"], how="left")
        .sort("person", "check_in", "location")
    )
    occupancy = frame.group_by("location", "night").agg(persons=pl.col("person").n_unique())

    persons: list[ListedPerson | None] = [None] * len(keys)
    for person, first_tail, first_row, latest_tail in per_person.iter_rows():
        tail = tails[first_tail]
        bsn = tail[9]
        persons[person] = ListedPerson(
            key=bsn
            or person_match_key(
                family_name=tail[1], given_names=tail[2], date_of_birth=tail[3], nationality=tail[4]
            ),
            match_key=person_match_key(
                family_name=tail[1], given_names=tail[2], date_of_birth=tail[3], nationality=tail[4]
            ),
            family_name=tail[1],
            given_names=tail[2],
            date_of_birth=tail[3],
            nationality=tail[4],
            home_place=tail[5],
            home_country=tail[6],
            document_type=tail[7],
            document_number=tail[8],
            bsn=bsn,
            registration=tails[latest_tail][11],
            first_row=first_row,
        )
    listed_runs = []
    for person, location, _run, check_in, check_out, row, latest_tail in runs.iter_rows():
        latest = tails[latest_tail]
        listed_runs.append(
            ListedRun(
                person=person,
                location_code=codes[location],
                check_in=check_in,
                check_out=check_out,
                row=row,
                room=latest[10],
                employer_kvk=latest[13],
                expected_departure=latest[12],
            )
        )
    return Submission(
        rows=frame.height,
        persons=persons,
        runs=listed_runs,
        occupancy={
            (codes[location], night): count for location, night, count in occupancy.iter_rows()
        },
        frame=frame.select(
            "person",
            pl.col("location").replace_strict(
                range(len(codes)), codes, return_dtype=pl.String, default=None
            ),
            "night",
            "row",
        ),
    )


# --- the columnar path ---------------------------------------------------------------------


def _columnar_read(data: bytes, *, today: date) -> Submission | None:
    """The Submission of a plain, problem-free CSV list; None when the row reader must look."""
    if data.startswith(b"PK\x03\x04"):
        return None
    text = _utf8(data)
    if text is None or b'"' in text or text.count(b"\r") != text.count(b"\r\n"):
        return None
    body = text.rstrip(b"\r\n")
    header_end = body.find(b"\n")
    if header_end <= 0:
        return None
    header_line = body[:header_end].decode("utf-8").rstrip("\r")
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.__getitem__)
    if not counts[delimiter]:
        return None
    builder = _Builder(today=today)
    header = next(csv.reader([header_line], delimiter=delimiter))
    if not builder.header_read(header) or builder.problems or builder.nameless:
        return None
    try:
        raw = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            skip_rows=1,
            separator=delimiter,
            quote_char=None,
            infer_schema=False,
            empty_string_is_null=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None  # ragged rows, for example: the row reader says where
    if raw.width != builder.width or raw.height == 0:
        return None
    names = raw.columns
    blank = pl.all_horizontal(pl.col(name).str.strip_chars() == "" for name in names)
    raw = raw.with_row_index("row", offset=2).filter(~blank)
    if raw.height == 0:
        return None
    tail_columns = [
        pl.col(names[builder.index[column]]) if column in builder.index else pl.lit("")
        for column in _TAIL_COLUMNS
    ]
    grouped = (
        raw.select(
            pl.col(names[builder.index["night"]]).alias("night_text"),
            "row",
            *(expression.alias(f"t{i}") for i, expression in enumerate(tail_columns)),
        )
        .group_by([f"t{i}" for i in range(len(tail_columns))], maintain_order=True)
        .agg("night_text", "row")
    )

    tails = []
    identities: list[int | None] = []
    for values in grouped.select(f"t{i}" for i in range(len(tail_columns))).iter_rows():
        checked, problems, identity = builder._tail_check(values)
        if problems or identity is None:
            return None
        tails.append(checked)
        identities.append(identity)
    night_texts = grouped["night_text"].explode().unique().to_list()
    nights = {}
    for night_text in night_texts:
        night, problem, _params = builder._night_check(night_text)
        if problem is not None:
            return None
        nights[night_text] = night
    frame = (
        grouped.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("tail"),
            pl.Series("identity", identities, dtype=pl.UInt32),
            "night_text",
            "row",
        )
        .explode("night_text", "row")
        .with_columns(
            pl.col("night_text")
            .replace_strict(list(nights), list(nights.values()), return_dtype=pl.Date)
            .alias("night"),
            pl.col("row").cast(pl.UInt32),
        )
    )
    # The checks that the row reader makes across a row: the expected departure not before
    # the night, and a person not twice on one night. Any such problem: the row reader reports.
    departures = pl.Series("departure", [tail[12] for tail in tails], dtype=pl.Date)  # index = tail
    earliest = frame.group_by("tail").agg(pl.col("night").min()).sort("tail")
    before = earliest.with_columns(departure=departures.gather(earliest["tail"])).filter(
        pl.col("departure") < pl.col("night")
    )
    if before.height or frame.select(pl.struct("identity", "night").is_duplicated().any()).item():
        return None
    return _collapse(frame.select("tail", "night", "row"), tails)


def _utf8(data: bytes) -> bytes | None:
    """The file as UTF-8 without a byte-order mark, as the row reader decodes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # rare (Excel's "Unicode text"): the row reader
    if is_binary(data):
        return None
    if is_utf8(data):
        return data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        return None
