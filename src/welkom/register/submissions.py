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
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from itertools import accumulate

import polars as pl

from welkom.lib.files import (
    MAX_COLUMNS,
    MAX_ROW_CHARACTERS,
    is_binary,
    is_utf8,
    looks_windows_1252,
)
from welkom.lib.problems import Problem
from welkom.register.list_reader import TAIL_COLUMNS, NightRow, RowChecker, night_list_read
from welkom.register.matching import name_normalise, person_match_key

ONE_DAY = timedelta(days=1)
_DATE_COLUMNS = ("date_of_birth", "expected_departure")


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


PERSON_FIELDS = tuple(ListedPerson.__dataclass_fields__)
RUN_FIELDS = tuple(ListedRun.__dataclass_fields__)


@dataclass(frozen=True)
class Submission:
    """What a list says. Kept in columns (`person_frame`, `run_frame`); `persons` and `runs`
    give the same as objects, made when first asked for: the import of a province day sets
    most of its hundred thousand persons aside in columns and asks only about the rest."""

    rows: int
    occupancy: dict[tuple[str, date], int]  # (location code, night) → persons listed
    # Per row: person index, location code, night, row number; for finding a row in reports.
    frame: pl.DataFrame
    person_frame: pl.DataFrame  # one row per person, by index: the columns of ListedPerson
    run_frame: pl.DataFrame  # one row per run, as `runs`: the columns of ListedRun
    # Column → the header the file gives it, to name a column in a problem as the file does.
    column_names: dict[str, str] = field(default_factory=dict)

    def column_named(self, column: str) -> str:
        return self.column_names.get(column, column)

    @cached_property
    def persons(self) -> list[ListedPerson]:
        return [ListedPerson(*row) for row in self.person_frame.select(PERSON_FIELDS).iter_rows()]

    @cached_property
    def runs(self) -> list[ListedRun]:
        return [ListedRun(*row) for row in self.run_frame.select(RUN_FIELDS).iter_rows()]

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

    def of_persons(self, persons: list[int]) -> Submission:
        """The list as it speaks of these persons (indexes) only, numbered 0, 1, … in the
        order given; `rows` and `occupancy` stay the whole list's (the nights it covers, and
        how many slept there, do not change with whom one looks at)."""
        if not persons:
            return Submission(
                rows=self.rows,
                occupancy=self.occupancy,
                frame=self.frame.clear(),
                person_frame=self.person_frame.clear(),
                run_frame=self.run_frame.clear(),
                column_names=self.column_names,
            )
        number = pl.DataFrame(
            {"person": persons, "new": range(len(persons))},
            schema={"person": pl.UInt32, "new": pl.UInt32},
        )

        def renumbered(frame: pl.DataFrame) -> pl.DataFrame:
            return (
                frame.join(number, on="person", how="inner", maintain_order="left")
                .with_columns(person=pl.col("new"))
                .drop("new")
            )

        people = self.person_frame.with_row_index("person").cast({"person": pl.UInt32})
        return Submission(
            rows=self.rows,
            occupancy=self.occupancy,
            frame=renumbered(self.frame),
            person_frame=number.join(people, on="person", how="left", maintain_order="left")
            .sort("new")
            .drop("person", "new"),
            run_frame=renumbered(self.run_frame),
            column_names=self.column_names,
        )


def submission_read(
    data: bytes, *, filename: str, today: date, location_codes: Collection[str] | None = None
) -> tuple[Submission | None, list[Problem]]:
    """The list as a Submission, or None and its problems (file-level and per row). With
    `location_codes` (the provider's), a row naming another code is a problem too."""
    return submissions_read([(data, filename)], today=today, location_codes=[location_codes])[0]


def submissions_read(
    lists: list[tuple[bytes, str]],
    *,
    today: date,
    location_codes: list[Collection[str] | None] | None = None,
) -> list[tuple[Submission | None, list[Problem]]]:
    """`submission_read` for each (data, filename), in order, each with its provider's
    `location_codes` (or None). The plain CSV lists with the same header are read together:
    one polars pass for all of them rather than a few dozen small ones per list, which is
    what a month of every provider's lists costs otherwise."""
    codes_of = location_codes or [None] * len(lists)
    results: list[tuple[Submission | None, list[Problem]] | None] = [None] * len(lists)
    layouts: dict[tuple[str, str], list[tuple[int, bytes]]] = defaultdict(list)
    for index, (data, _filename) in enumerate(lists):
        prepared = _columnar_prepare(data)
        if prepared is not None:
            delimiter, header_line, body = prepared
            layouts[(delimiter, header_line)].append((index, body))
    for (delimiter, header_line), members in layouts.items():
        read = _columnar_many(
            [body for _index, body in members],
            delimiter=delimiter,
            header_line=header_line,
            today=today,
            location_codes=[codes_of[index] for index, _body in members],
        )
        for (index, _body), submission in zip(members, read, strict=True):
            if submission is not None:
                results[index] = (submission, [])
    for index, (data, filename) in enumerate(lists):
        if results[index] is None:  # the row reader: every problem with its row
            night_list = night_list_read(
                data, filename=filename, today=today, location_codes=codes_of[index]
            )
            if night_list.problems:
                results[index] = (None, night_list.problems)
            else:
                submission = submission_from_rows(night_list.rows)
                results[index] = (replace(submission, column_names=night_list.named), [])
    return results


def submission_from_rows(rows: list[NightRow]) -> Submission:
    """Collapse checked rows (from the row reader) into a Submission."""
    tail_ids: dict[tuple, int] = {}
    tails: list[tuple] = []
    column_tail, column_night, column_row = [], [], []
    for row in rows:
        tail = tuple(getattr(row, name) for name in _TAIL_FIELDS)
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
    checked = pl.DataFrame(
        tails,
        schema={
            column: pl.Date if column in _DATE_COLUMNS else pl.String for column in TAIL_COLUMNS
        },
        orient="row",
    )
    return _collapse(frame, checked, [0] * len(tails), lists=1)[0]


# The NightRow fields of a row's values after its night, in the order of TAIL_COLUMNS.
_TAIL_FIELDS = tuple(
    "registration" if column == "registration_status" else column for column in TAIL_COLUMNS
)


def _collapse(
    frame: pl.DataFrame,
    tails: pl.DataFrame,
    list_of_tail: list[int],
    *,
    lists: int,
    match_keys: pl.Series | None = None,
) -> list[Submission]:
    """Collapse the rows of `lists` lists at once, into a Submission per list, in columns.

    frame: tail (row index in `tails`), night, row: one per row. tails: the checked values
    (columns `TAIL_COLUMNS`), each of one list (`list_of_tail`); match_keys: each tail's
    `person_match_key`, when the caller has them. A person is one per list: the same person
    in two lists is two listed persons, each list found in the register on its own. Within a
    list, persons and locations are numbered in the order of their first tail."""
    if match_keys is None:
        match_keys = pl.Series(
            [
                person_match_key(
                    family_name=family, given_names=given, date_of_birth=born, nationality=country
                )
                for family, given, born, country in tails.select(
                    "family_name", "given_names", "date_of_birth", "nationality"
                ).iter_rows()
            ],
            dtype=pl.String,
        )
    tails = tails.with_columns(
        tail=pl.int_range(pl.len(), dtype=pl.UInt32),
        list=pl.Series(list_of_tail, dtype=pl.UInt32),
        match_key=match_keys,
    ).with_columns(key=pl.when(pl.col("bsn") != "").then("bsn").otherwise("match_key"))
    persons, locations = _numbered(tails)
    lookup = tails.join(persons, on=["list", "key"], how="left").join(
        locations, on=["list", "location_code"], how="left"
    )
    frame = frame.join(lookup.select("tail", "gid", "lid"), on="tail", how="left")
    ordered = frame.sort("night", "row")
    person_frame = _person_frame(ordered, tails, persons)
    run_frame = _run_frame(frame, ordered, tails, persons, locations)
    locations = locations.sort("lid")
    rows = (
        frame.join(persons.select("gid", "list", "person"), on="gid", how="left")
        .join(locations.select("lid", location="location_code"), on="lid", how="left")
        .select("list", "person", "location", "night", "row")
    )
    return _per_list(
        {"frame": rows, "persons": person_frame, "runs": run_frame},
        _occupancy(frame, locations, lists),
        lists,
    )


def _numbered(tails: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Persons (by key) and locations (by code) of each list, numbered by first appearance:
    `person` within the list, `gid` and `lid` across all lists."""
    persons = (
        tails.group_by("list", "key")
        .agg(first=pl.col("tail").min())
        .sort("first")
        .with_columns(
            gid=pl.int_range(pl.len(), dtype=pl.UInt32),
            person=pl.int_range(pl.len(), dtype=pl.UInt32).over("list"),
        )
    )
    locations = (
        tails.group_by("list", "location_code")
        .agg(first=pl.col("tail").min())
        .sort("first")
        .with_columns(lid=pl.int_range(pl.len(), dtype=pl.UInt32))
    )
    return persons, locations


def _person_frame(
    ordered: pl.DataFrame, tails: pl.DataFrame, persons: pl.DataFrame
) -> pl.DataFrame:
    """One row per listed person: the first row gives the spelling, the latest night the
    registration status. `ordered`: the rows by night and row."""
    per_person = ordered.group_by("gid").agg(
        first_tail=pl.col("tail").sort_by("row").first(),
        first_row=pl.col("row").min(),
        latest_tail=pl.col("tail").last(),
    )
    identity = tails.select(
        "key",
        "match_key",
        "family_name",
        "given_names",
        "date_of_birth",
        "nationality",
        "home_place",
        "home_country",
        "document_type",
        "document_number",
        "bsn",
    )
    people = (
        persons.select("list", "person", "gid").join(per_person, on="gid", how="left").sort("gid")
    )
    return pl.concat(
        [
            people.select("list", "first_row"),
            identity.select(pl.all().gather(people["first_tail"])),
            tails.select(pl.col("registration_status").gather(people["latest_tail"])).rename(
                {"registration_status": "registration"}
            ),
        ],
        how="horizontal",
    )


def _run_frame(
    frame: pl.DataFrame,
    ordered: pl.DataFrame,
    tails: pl.DataFrame,
    persons: pl.DataFrame,
    locations: pl.DataFrame,
) -> pl.DataFrame:
    """One row per run of consecutive nights of a person at a location; per person and
    location, the latest night gives the room, employer and expected departure."""
    per_place = ordered.group_by("gid", "lid").agg(latest_tail=pl.col("tail").last())
    # Runs (gaps and islands): along a run, the night minus its rank is constant.
    nights = frame.group_by("gid", "lid", "night").agg(pl.col("row").min())
    runs = (
        nights.sort("gid", "lid", "night")
        .with_columns(
            run=pl.col("night").cast(pl.Int32)
            - pl.int_range(pl.len(), dtype=pl.Int32).over("gid", "lid")
        )
        .group_by("gid", "lid", "run")
        .agg(
            check_in=pl.col("night").min(),
            check_out=pl.col("night").max() + pl.duration(days=1),
            row=pl.col("row").sort_by("night").first(),
        )
        .join(per_place, on=["gid", "lid"], how="left")
        .join(persons.select("gid", "list", "person"), on="gid", how="left")
        .join(locations.select("lid", "location_code"), on="lid", how="left")
        .sort("gid", "check_in", "lid")
    )
    return pl.concat(
        [
            runs.select("list", "person", "location_code", "check_in", "check_out", "row"),
            tails.select(
                pl.col("room", "employer_kvk", "expected_departure").gather(runs["latest_tail"])
            ),
        ],
        how="horizontal",
    )


def _occupancy(
    frame: pl.DataFrame, locations: pl.DataFrame, lists: int
) -> list[dict[tuple[str, date], int]]:
    """Per list, the persons listed per (location code, night)."""
    occupancy = frame.group_by("lid", "night").agg(persons=pl.col("gid").n_unique())
    code_of = locations["location_code"].to_list()
    list_of_location = locations["list"].to_list()
    counts: list[dict[tuple[str, date], int]] = [{} for _list in range(lists)]
    for location, night, count in occupancy.iter_rows():
        counts[list_of_location[location]][(code_of[location], night)] = count
    return counts


def _per_list(
    tables: dict[str, pl.DataFrame], counts: list[dict[tuple[str, date], int]], lists: int
) -> list[Submission]:
    """The tables of all lists (each with a `list` column) back to a Submission per list."""
    by_list: dict[str, dict[int, pl.DataFrame]] = {
        name: {
            index: part.drop("list")
            for (index,), part in table.partition_by("list", as_dict=True).items()
        }
        for name, table in tables.items()
    }
    empty = {name: table.drop("list").clear() for name, table in tables.items()}

    def of_list(name: str, index: int) -> pl.DataFrame:
        return by_list[name].get(index, empty[name])

    return [
        Submission(
            rows=of_list("frame", index).height,
            occupancy=counts[index],
            frame=of_list("frame", index),
            person_frame=of_list("persons", index),
            run_frame=of_list("runs", index),
        )
        for index in range(lists)
    ]


# --- the columnar path ---------------------------------------------------------------------


def _columnar_read(data: bytes, *, today: date) -> Submission | None:
    """The Submission of a plain, problem-free CSV list; None when the row reader must look."""
    prepared = _columnar_prepare(data)
    if prepared is None:
        return None
    delimiter, header_line, body = prepared
    return _columnar_many(
        [body], delimiter=delimiter, header_line=header_line, today=today, location_codes=[None]
    )[0]


def _columnar_prepare(data: bytes) -> tuple[str, str, bytes] | None:
    """(delimiter, header line, the rows as UTF-8) of a list the columnar path may read."""
    if data.startswith(b"PK\x03\x04"):
        return None
    text = _utf8(data)
    if text is None or b'"' in text or text.count(b"\r") != text.count(b"\r\n"):
        return None
    body = text.rstrip(b"\r\n")
    header_end = body.find(b"\n")
    if header_end <= 0:
        return None
    if header_end > MAX_ROW_CHARACTERS:
        return None  # the row reader refuses it, before making a list of its cells
    header_line = body[:header_end].decode("utf-8").rstrip("\r")
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.__getitem__)
    if not counts[delimiter]:
        return None
    return delimiter, header_line, body[header_end + 1 :]


def _columnar_many(
    bodies: list[bytes],
    *,
    delimiter: str,
    header_line: str,
    today: date,
    location_codes: list[Collection[str] | None],
) -> list[Submission | None]:
    """The Submissions of lists with one header, read as one; None for a list with anything
    unusual, a location code not in its `location_codes` too (the row reader then looks at
    it alone)."""
    builder = RowChecker(today=today)
    header = next(csv.reader([header_line], delimiter=delimiter))
    if not builder.header_read(header) or builder.problems or builder.nameless:
        return [None] * len(bodies)
    lines = [body.count(b"\n") + 1 for body in bodies]
    # Polars reads only rows exactly as wide as the header, which is at most MAX_COLUMNS
    # wide (there are no quotes on this path): a row of a million commas would otherwise be
    # a million columns. The row reader refuses such a row, with its number.
    separators = sum(body.count(delimiter.encode()) for body in bodies)
    raw = (
        _raw_read(bodies, delimiter=delimiter, width=builder.width)
        if builder.width <= MAX_COLUMNS and separators == (builder.width - 1) * sum(lines)
        else None
    )
    if raw is None or raw.width != builder.width or raw.height != sum(lines):
        if len(bodies) == 1:
            return [None]
        # One list spoils the read: each list on its own, to find which.
        return [
            _columnar_many(
                [body],
                delimiter=delimiter,
                header_line=header_line,
                today=today,
                location_codes=[codes],
            )[0]
            for body, codes in zip(bodies, location_codes, strict=True)
        ]
    raw, grouped = _grouped(raw, builder, lines)
    if raw.height == 0:
        return [None] * len(bodies)  # blank rows only: the row reader says the list is empty
    # A list of blank rows only, among others: the same.
    unusable: set[int] = set(range(len(bodies))) - set(raw["list"].unique().to_list())
    checked, clean_rows = _cells_checked(grouped, builder)
    unusable.update(grouped.filter(~clean_rows)["list"].unique().to_list())
    unusable.update(_codes_unknown(grouped["list"], checked["location_code"], location_codes))
    # Who a row names: the match key (normalised names, date of birth, nationality).
    match_keys = _match_keys(checked)
    if match_keys.null_count():  # a name, birth date or nationality missing: a problem
        unusable.update(grouped.filter(match_keys.is_null())["list"].unique().to_list())
    frame = _nights_frame(grouped, builder, match_keys)
    unusable.update(_across_rows_unusable(frame, checked))

    usable = [index for index in range(len(bodies)) if index not in unusable]
    if not usable:
        return [None] * len(bodies)
    list_of_tail = grouped["list"].to_list()
    position = {index: i for i, index in enumerate(usable)}
    keep = [index in position for index in list_of_tail]
    kept = pl.Series(keep, dtype=pl.Boolean)
    renumber = list(accumulate(keep, initial=0))[:-1]  # old tail index → new, where kept
    frame = frame.filter(pl.col("list").is_in(usable)).select(
        pl.col("tail").replace_strict(range(checked.height), renumber, return_dtype=pl.UInt32),
        "night",
        "row",
    )
    submissions = _collapse(
        frame,
        checked.filter(kept),
        [position[index] for index, k in zip(list_of_tail, keep, strict=True) if k],
        lists=len(usable),
        match_keys=match_keys.filter(kept),
    )
    return [
        replace(submissions[position[index]], column_names=builder.named)
        if index in position
        else None
        for index in range(len(bodies))
    ]


def _raw_read(bodies: list[bytes], *, delimiter: str, width: int) -> pl.DataFrame | None:
    """The lists' rows as text cells, all in one frame, exactly `width` (the header's) wide;
    None when polars cannot read them so. The width is given, not taken from the first row:
    a row far wider than the header (balanced by rows without separators elsewhere, so that
    the separators add up) would otherwise make polars allocate that many columns."""
    try:
        return pl.read_csv(
            io.BytesIO(b"\n".join(bodies)),
            has_header=False,
            separator=delimiter,
            quote_char=None,
            schema={f"column_{i + 1}": pl.String for i in range(width)},
            empty_string_is_null=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None  # ragged rows, for example: the row reader says where


def _grouped(
    raw: pl.DataFrame, builder: RowChecker, lines: list[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows numbered per list, blank rows left out; and the distinct tails (a row's
    values but its night) per list, each with its nights' texts and rows."""
    names = raw.columns
    blank = pl.all_horizontal(pl.col(name).str.strip_chars() == "" for name in names)
    raw = (
        raw.with_columns(
            pl.concat(
                [pl.repeat(i, n, dtype=pl.UInt32, eager=True) for i, n in enumerate(lines)]
            ).alias("list")
        )
        .with_columns(row=pl.int_range(2, pl.len() + 2, dtype=pl.UInt32).over("list"))
        .filter(~blank)
    )
    tail_columns = [
        pl.col(names[builder.index[column]]) if column in builder.index else pl.lit("")
        for column in TAIL_COLUMNS
    ]
    grouped = (
        raw.select(
            "list",
            pl.col(names[builder.index["night"]]).alias("night_text"),
            "row",
            *(expression.alias(f"t{i}") for i, expression in enumerate(tail_columns)),
        )
        .group_by(["list", *(f"t{i}" for i in range(len(tail_columns)))], maintain_order=True)
        .agg("night_text", "row")
    )
    return raw, grouped


def _cells_checked(grouped: pl.DataFrame, builder: RowChecker) -> tuple[pl.DataFrame, pl.Series]:
    """The checked values of every tail, and whether each tail is free of problems.

    Each cell is checked on its own (`value_check`), so each distinct value of a column is
    checked once, in Python; the checked columns are then put together in polars. A value
    with a problem makes its list unusable here: the row reader reports it with its row."""
    checked_columns, usable_cells = [], []
    for i, column in enumerate(TAIL_COLUMNS):
        cells = grouped[f"t{i}"]
        distinct = cells.unique().to_list()
        values, clean = [], []
        for raw_value in distinct:
            value, problems = builder.value_check(column, raw_value)
            values.append(value)
            clean.append(not problems)
        dtype = pl.Date if column in _DATE_COLUMNS else pl.String
        checked_columns.append(
            cells.replace_strict(distinct, values, return_dtype=dtype).alias(column)
        )
        usable_cells.append(cells.replace_strict(distinct, clean, return_dtype=pl.Boolean))
    checked = pl.DataFrame(checked_columns)
    clean_rows = pl.DataFrame(usable_cells).select(pl.all_horizontal(pl.all())).to_series()
    return checked, clean_rows


def _codes_unknown(
    list_of_tail: pl.Series, codes: pl.Series, location_codes: list[Collection[str] | None]
) -> set[int]:
    """The lists that name a location code not among their provider's."""
    named = pl.DataFrame({"list": list_of_tail, "code": codes}).unique()
    return {
        index
        for index, code in named.iter_rows()
        if location_codes[index] is not None and code not in location_codes[index]
    }


def _nights_frame(
    grouped: pl.DataFrame, builder: RowChecker, match_keys: pl.Series
) -> pl.DataFrame:
    """One row per row of the lists: its tail, list, identity, night (null where the text is
    not a night the reader accepts) and row number."""
    nights: dict[str, date | None] = {}
    for night_text in grouped["night_text"].explode().unique().to_list():
        night, problem, _params = builder.night_check(night_text)
        nights[night_text] = night if problem is None else None
    return (
        grouped.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("tail"),
            "list",
            match_keys.alias("identity"),
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


def _across_rows_unusable(frame: pl.DataFrame, checked: pl.DataFrame) -> set[int]:
    """The lists with a night that is not a night, or failing a check the row reader makes
    across rows (the expected departure not before the night, a person not twice on one
    night): the row reader reports those."""
    unusable = set(frame.filter(pl.col("night").is_null())["list"].unique().to_list())
    departures = checked["expected_departure"].alias("departure")
    earliest = frame.group_by("tail", "list").agg(pl.col("night").min())
    before = earliest.with_columns(departure=departures.gather(earliest["tail"])).filter(
        pl.col("departure") < pl.col("night")
    )
    unusable.update(before["list"].unique().to_list())
    twice = frame.filter(pl.struct("list", "identity", "night").is_duplicated())
    unusable.update(twice["list"].unique().to_list())
    return unusable


def _match_keys(checked: pl.DataFrame) -> pl.Series:
    """`person_match_key` of each row of checked values, in columns: the names normalised
    once per distinct spelling. Null where a name, the date of birth or the nationality is
    missing."""
    names = []
    for column in ("family_name", "given_names"):
        cells = checked[column]
        distinct = cells.unique().to_list()
        normalised = [name_normalise(name) if name else None for name in distinct]
        names.append(cells.replace_strict(distinct, normalised, return_dtype=pl.String))
    return checked.select(
        pl.concat_str(
            [
                names[0],
                names[1],
                pl.col("date_of_birth").dt.strftime("%Y-%m-%d"),
                pl.when(pl.col("nationality") != "").then(pl.col("nationality").str.to_uppercase()),
            ],
            separator="|",
        )
    ).to_series()


def _utf8(data: bytes) -> bytes | None:
    """The file as UTF-8 without a byte-order mark, as the row reader decodes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # rare (Excel's "Unicode text"): the row reader
    if is_binary(data):
        return None
    if is_utf8(data):
        return data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if not looks_windows_1252(data):
        return None  # the row reader says which encoding to save it in
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        return None
