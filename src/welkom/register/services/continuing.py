"""Continuing residents: the persons a batch of night lists names exactly as the register
already has them, found in columns and one query before any work per person (ADR 0013).

On a province day nearly everyone listed slept where they slept the night before. Their
open stay already says what the list says (ADR 0010): the new `listed_through` of the
location extends it. So they are set aside here, and the import works through the rest (the
arrivals, departures, moves and corrections) as before; what it stores is the same as if
nobody had been set aside, which `test_continuing` and the property test hold it to.

A listed person is continuing when all of this holds, and is otherwise simply not set aside:

- the location's nights in the batch are one span right after its `listed_through`, and the
  person is listed there on every one of them and nowhere else in the batch;
- the person is found as `matching.persons_matched` would find them (by BSN when the list gives one,
  else the first person by match key), and nobody else in the batch is listed with their
  BSN or match key (so no other row can be resolved to them);
- they have an open stay at that location with the room, employer and expected departure the
  list gives, the registration the list gives (if any) and the ID document are the stored
  ones (`matching.document_after`), and they have no other stay near any of the batch's
  nights (a correction in the batch can reach back to one, and the general path would then
  read the person's stays).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl
from django.db import connection

from welkom.housing.models import Location
from welkom.lib.bulk import ids_table, rows_frame
from welkom.register.models import Person, Stay

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

ONE_DAY = timedelta(days=1)


@dataclass
class Continuing:
    """Per list, its continuing persons by index in its submission: (person id,
    registration as stored); and the open stays the lists leave as they are."""

    persons: list[dict[int, tuple[int, str]]]
    stays: set[int] = field(default_factory=set)

    def rest(self, index: int, persons: int) -> list[int]:
        """The indexes of list `index`'s other persons, in order."""
        aside = self.persons[index]
        return [person for person in range(persons) if person not in aside]


def continuing_residents(submissions: list, location_of: list[dict[str, int]]) -> Continuing:
    """The continuing residents of the submissions (each with its location ids by code)."""
    nothing = Continuing(persons=[{} for _submission in submissions])
    spans = _forward_spans(submissions, location_of)
    if not spans:
        return nothing
    listed = _listed(submissions, location_of)
    # Keys used once in the whole batch: nobody else can be resolved to the same person.
    bsn_once = _once(listed.filter(pl.col("bsn") != ""), "bsn")
    key_once = _once(listed, "match_key")
    runs = listed.group_by("list", "person").agg(pl.len().alias("runs"))
    forward = pl.DataFrame(
        [(location, first, end) for location, (first, end) in spans.items()],
        schema={"location": pl.Int64, "first": pl.Date, "end": pl.Date},
        orient="row",
    )
    candidates = (
        listed.join(runs, on=["list", "person"])
        .join(forward, on="location")
        .filter(
            (pl.col("runs") == 1)
            & (pl.col("check_in") == pl.col("first"))
            & (pl.col("check_out") == pl.col("end"))
            & pl.col("match_key").is_in(key_once.implode())
            & ((pl.col("bsn") == "") | pl.col("bsn").is_in(bsn_once.implode()))
        )
        .with_row_index("candidate")
    )
    if candidates.height == 0:
        return nothing
    # "Near" as the general path reads stays (`writes.stays_near`): the whole batch's nights,
    # which a correction in it can take far back from the forward nights.
    found = _found(
        candidates, list(spans), first=listed["check_in"].min(), end=listed["check_out"].max()
    )
    if found.height == 0:
        return nothing
    # The person found may be known by another BSN or match key than the row gives (a name
    # spelled otherwise, a BSN given): that one, too, must be nobody else's in the batch.
    found = found.join(
        candidates.select("candidate", "list", "person", row_key="match_key", row_bsn="bsn"),
        on="candidate",
    ).filter(
        ((pl.col("key") == pl.col("row_key")) | ~pl.col("key").is_in(listed["match_key"].implode()))
        & (
            (pl.col("stored_bsn") == "")
            | (pl.col("stored_bsn") == pl.col("row_bsn"))
            | ~pl.col("stored_bsn").is_in(listed["bsn"].implode())
        )
    )
    continuing = Continuing(persons=[{} for _submission in submissions])
    for index, person, person_id, stay_id, registration in found.select(
        "list", "person", "person_id", "stay_id", "registration"
    ).iter_rows():
        continuing.persons[index][person] = (person_id, registration)
        continuing.stays.add(stay_id)
    return continuing


def _forward_spans(submissions, location_of) -> dict[int, tuple[date, date]]:
    """Per location whose nights in the batch are one span right after its listed_through:
    that span, [first, end)."""
    nights: dict[int, set[date]] = {}
    for submission, locations in zip(submissions, location_of, strict=True):
        for code, night in submission.occupancy:
            nights.setdefault(locations[code], set()).add(night)
    through = dict(
        Location.objects.filter(pk__in=list(nights), listed_through__isnull=False).values_list(
            "pk", "listed_through"
        )
    )
    spans = {}
    for location, listed in nights.items():
        first, last = min(listed), max(listed)
        if (
            location in through
            and first == through[location] + ONE_DAY
            and len(listed) == (last - first).days + 1
        ):
            spans[location] = (first, last + ONE_DAY)
    return spans


def _listed(submissions, location_of) -> pl.DataFrame:
    """Every run of the batch with its list, its location id and what it says of the person."""
    frames = []
    for index, (submission, locations) in enumerate(zip(submissions, location_of, strict=True)):
        codes = list(locations)
        people = submission.person_frame.select(
            "bsn", "match_key", "registration", "document_type", "document_number"
        )
        runs = submission.run_frame
        frames.append(
            pl.concat(
                [
                    runs.select(
                        pl.lit(index, dtype=pl.UInt32).alias("list"),
                        "person",
                        pl.col("location_code")
                        .replace_strict(codes, [locations[c] for c in codes], return_dtype=pl.Int64)
                        .alias("location"),
                        "check_in",
                        "check_out",
                        "room",
                        "employer_kvk",
                        "expected_departure",
                    ),
                    people.select(pl.all().gather(runs["person"])),
                ],
                how="horizontal",
            )
        )
    return pl.concat(frames)


def _once(listed: pl.DataFrame, column: str) -> pl.Series:
    """The values of `column` that name one person of one list in the whole batch."""
    persons = listed.select("list", "person", column).unique()
    return persons.group_by(column).len().filter(pl.col("len") == 1)[column]


def _found(
    candidates: pl.DataFrame, locations: list[int], *, first: date, end: date
) -> pl.DataFrame:
    """The candidates whose person and open stay are as the list says: candidate, stay_id,
    person_id, registration (stored), key (stored match key), stored_bsn.

    The open stays at the locations are read with their persons in one query and matched
    in columns: found by BSN when the row gives one, else by match key. A match key that two
    persons share is not matched (`persons_matched` takes the first of them; the general
    path decides), nor is anyone with a closed stay near the nights [first, end) of the
    batch (the general path would read that stay, and with it the person's open one)."""
    quote = connection.ops.quote_name
    stay, person = quote(Stay._meta.db_table), quote(Person._meta.db_table)
    with ids_table(locations) as table, connection.cursor() as cursor:
        # Names from the models and this module; values only as parameters.
        open_stays = _open_stays(cursor, stay, person, table)
        # Of the persons with an open stay at the locations: those whose match key another
        # person shares, and those with a closed stay near the nights. Each on an index, so
        # that one provider's list does not read the whole register.
        shared_keys = _shared_keys(cursor, stay, person, table)
        near = _near(cursor, stay, table, first=first, end=end)
    open_stays = open_stays.filter(~pl.col("person_id").is_in(near.implode()))
    by_bsn = (
        candidates.filter(pl.col("bsn") != "")
        .join(open_stays, left_on=["location", "bsn"], right_on=["location", "stored_bsn"])
        .with_columns(stored_bsn=pl.col("bsn"))
    )
    by_key = (
        candidates.filter((pl.col("bsn") == "") & ~pl.col("match_key").is_in(shared_keys.implode()))
        .join(open_stays, left_on=["location", "match_key"], right_on=["location", "key"])
        .with_columns(key=pl.col("match_key"))
    )
    columns = ("candidate", "stay_id", "person_id", "registration", "key", "stored_bsn")
    return (
        pl.concat([by_bsn, by_key], how="diagonal")
        .filter(
            (pl.col("stay_check_in") < pl.col("check_in"))
            & (pl.col("stay_room") == pl.col("room"))
            & (pl.col("stay_employer_kvk") == pl.col("employer_kvk"))
            & pl.col("stay_expected_departure").eq_missing(pl.col("expected_departure"))
            & (
                (pl.col("registration") == "")
                | (pl.col("registration") == pl.col("stored_registration"))
            )
            # The document as `matching.document_after` leaves it: the stored one.
            & (pl.col("document_type") == pl.col("stored_document_type"))
            & (
                (pl.col("document_number") == "")
                | (pl.col("document_number") == pl.col("stored_document_number"))
            )
        )
        .with_columns(registration=pl.col("stored_registration"))
        .select(columns)
    )


def _open_stays(cursor: CursorWrapper, stay: str, person: str, table: str) -> pl.DataFrame:
    """The open stays at the locations in `table` (an `ids_table`), each with its person's
    BSN, match key, registration and ID document; `stay` and `person` are the quoted table names."""
    return rows_frame(
        cursor,
        f"""
        SELECT s.id, s.person_id, s.location_id, s.check_in, s.room, s.employer_kvk,
               s.expected_departure, p.bsn, p.match_key, p.registration, p.document_type,
               p.document_number
        FROM {stay} s JOIN {person} p ON p.id = s.person_id
        WHERE s.check_out IS NULL AND s.location_id IN (SELECT id FROM {table})
        """,  # noqa: S608
        {
            "stay_id": pl.Int64,
            "person_id": pl.Int64,
            "location": pl.Int64,
            "stay_check_in": pl.Date,
            "stay_room": pl.String,
            "stay_employer_kvk": pl.String,
            "stay_expected_departure": pl.Date,
            "stored_bsn": pl.String,
            "key": pl.String,
            "stored_registration": pl.String,
            "stored_document_type": pl.String,
            "stored_document_number": pl.String,
        },
    )


def _shared_keys(cursor: CursorWrapper, stay: str, person: str, table: str) -> pl.Series:
    """The match keys of persons with an open stay at the locations that another person
    shares."""
    cursor.execute(
        f"""
        SELECT DISTINCT p.match_key FROM {person} p
        WHERE p.id IN (SELECT person_id FROM {stay}
                       WHERE check_out IS NULL AND location_id IN (SELECT id FROM {table}))
        AND EXISTS (SELECT 1 FROM {person} o WHERE o.match_key = p.match_key AND o.id <> p.id)
        """  # noqa: S608
    )
    return pl.Series([row[0] for row in cursor.fetchall()], dtype=pl.String)


def _near(cursor: CursorWrapper, stay: str, table: str, *, first: date, end: date) -> pl.Series:
    """The persons with an open stay at the locations and a closed stay near [first, end)."""
    cursor.execute(
        f"""
        SELECT DISTINCT s.person_id FROM {stay} s
        WHERE s.person_id IN (SELECT person_id FROM {stay}
                              WHERE check_out IS NULL AND location_id IN (SELECT id FROM {table}))
        AND s.check_out IS NOT NULL AND s.check_out >= %s AND s.check_in <= %s
        """,  # noqa: S608
        [first, end],
    )
    return pl.Series([row[0] for row in cursor.fetchall()], dtype=pl.Int64)
