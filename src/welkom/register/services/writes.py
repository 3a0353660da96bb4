"""Every SQL statement a night-list import runs: the set-based reads of what the lists can
touch and the writes of what they changed (persons, stays, `listed_through`, occupancy and
its profile), each in as few statements as the engines allow.

The coordinator (`night_lists.py`) decides what to write; the pure stay logic
(`register/stays.py`) works it out; this module only reads and stores it. Rows go in and out
through `core.bulk` (COPY on PostgreSQL, executemany on SQLite): the one engine branch left
here is how new persons' ids come back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl
from django.db import connection
from django.db.models import JSONField, Q
from django.utils import timezone

from welkom.housing.models import Location
from welkom.lib.bulk import (
    ids_table,
    in_table,
    rows_delete,
    rows_insert,
    rows_update,
    temporary_table,
)
from welkom.register.countries import nationality_group
from welkom.register.matching import Known
from welkom.register.models import NightListImport, Occupancy, OccupancyProfile, Person, Stay
from welkom.register.stays import Span, StayFacts, StoredStay, minus, stay_end

if TYPE_CHECKING:
    from welkom.register.submissions import Submission

ONE_DAY = timedelta(days=1)
STAY_COLUMNS = (
    "person",
    "location",
    "check_in",
    "check_out",
    "room",
    "employer_kvk",
    "expected_departure",
    "source",
)
PERSON_COLUMNS = (
    "family_name",
    "given_names",
    "date_of_birth",
    "nationality",
    "home_place",
    "home_country",
    "document_type",
    "document_number",
    "bsn",
    "registration",
    "match_key",
    "created_at",
)
# An occupancy profile span's (location, registration, nationality group); its row: that,
# then first night, persons and end night (None: open); and that row as read, after its pk.
_ProfileKey = tuple[int, str, str]
_ProfileRow = tuple[int, str, str, date, int, date | None]
_StoredProfile = tuple[int, int, str, str, date, int, date | None]


def records_write(records: list[NightListImport], fields: tuple[str, ...]) -> None:
    """Store these fields of the lists' import records, in one UPDATE from a temporary table
    (`bulk_update` sends a CASE with a parameter per record and field: a tenth of a second
    for a province day's 300 lists)."""
    json_fields = {
        name for name in fields if isinstance(NightListImport._meta.get_field(name), JSONField)
    }
    rows_update(
        NightListImport,
        fields,
        [
            (
                record.pk,
                *(
                    json.dumps(getattr(record, name))
                    if name in json_fields
                    else getattr(record, name)
                    for name in fields
                ),
            )
            for record in records
        ],
    )


def persons_known(values: Iterable[str]) -> list[Known]:
    """The persons with one of these BSNs or match keys, in the order of their ids."""
    with temporary_table([("value", "text")], ((value,) for value in values)) as table:
        # By BSN and by match key in two queries, each on its own index (an OR of the two
        # reads every person), in the order of the primary key (not the model's by name).
        columns = ("pk", "bsn", "match_key", "registration", "document_type", "document_number")
        by_bsn = Person.internal.filter(bsn__in=in_table(table, "value")).exclude(bsn="")
        by_key = Person.internal.filter(match_key__in=in_table(table, "value"))
        return [
            Known(*row)
            for row in sorted(
                {*by_bsn.order_by().values_list(*columns), *by_key.order_by().values_list(*columns)}
            )
        ]


def persons_store(
    bsn_given: dict[int, str],
    registration_changed: dict[int, str],
    document_changed: dict[int, tuple[str, str]],
    new: list[dict],
) -> list[int]:
    """Known persons' new BSNs, registrations and ID documents (type, number), then the new
    persons (columns as `PERSON_COLUMNS` but the creation time); the new persons' ids, in
    order."""
    for pk, bsn in bsn_given.items():
        Person.internal.filter(pk=pk, bsn="").update(bsn=bsn)
    by_registration: dict[str, list[int]] = defaultdict(list)
    for pk, registration in registration_changed.items():
        by_registration[registration].append(pk)
    for registration, pks in by_registration.items():
        with ids_table(pks) as table:
            Person.internal.filter(pk__in=in_table(table)).update(registration=registration)
    # Rare (a new passport): a statement per person.
    for pk, (document_type, document_number) in document_changed.items():
        Person.internal.filter(pk=pk).update(
            document_type=document_type, document_number=document_number
        )
    return _persons_create(new)


def _persons_create(persons: list[dict]) -> list[int]:
    """Insert new persons; their ids, in order."""
    if connection.vendor == "postgresql":
        now = timezone.now()
        return rows_insert(
            Person,
            PERSON_COLUMNS,
            [
                tuple(now if name == "created_at" else p[name] for name in PERSON_COLUMNS)
                for p in persons
            ],
            returning="id",
        )
    # SQLite returns the new ids from bulk_create.
    return [
        p.pk for p in Person.internal.bulk_create([Person(**p) for p in persons], batch_size=2000)
    ]


def stays_near(
    location_ids: set[int], person_ids: set[int], *, first: date, last: date, aside: set[int]
) -> list[StoredStay]:
    """The stays the lists can touch: at their locations, near their nights or open; of
    their persons and of the persons of those stays, near their nights, and their open stays
    anywhere (a person has one open stay). Not the stays set `aside` (of continuing
    residents)."""
    columns = (
        "pk",
        "person_id",
        "location_id",
        "check_in",
        "check_out",
        "room",
        "employer_kvk",
        "expected_departure",
        "location__listed_through",
    )
    with ids_table(location_ids) as locations, ids_table(aside) as set_aside:
        # Two queries, each on its own index (an OR of locations and persons reads every
        # stay): at the locations, the stays near the nights and every open one (a list
        # after nights without one closes, at its last listed night, the open stay of whoever
        # it no longer names); then the stays near the nights or open anywhere of the listed
        # persons and of everyone with a stay found at the locations (whether a stay kept
        # there is open depends on the person's stays elsewhere). A stay found by both is
        # one stay.
        rows = {
            row[0]: row
            for row in Stay.internal.filter(
                location_id__in=in_table(locations), check_in__lte=last + ONE_DAY
            )
            .filter(Q(check_out__gte=first) | Q(check_out__isnull=True))
            .exclude(pk__in=in_table(set_aside))
            .order_by()
            .values_list(*columns)
        }
    with ids_table(person_ids | {row[1] for row in rows.values()}) as persons:
        of_persons = (
            Stay.internal.filter(person_id__in=in_table(persons))
            .filter(
                Q(check_out__isnull=True) | Q(check_in__lte=last + ONE_DAY, check_out__gte=first)
            )
            .order_by()
            .values_list(*columns)
        )
        rows.update((row[0], row) for row in of_persons)
        return [
            StoredStay(
                pk,
                person_id,
                location_id,
                check_in,
                stay_end(check_in, check_out, through),
                room,
                employer_kvk,
                departure,
                check_out is None,
                through,
            )
            for pk, person_id, location_id, check_in, check_out, room, employer_kvk, departure, through in sorted(
                rows.values(),
                key=lambda row: (row[3], row[0]),  # by check-in, as stays are
            )
        ]


def locations_through(location_ids: Iterable[int]) -> dict[int, date | None]:
    """Each location's last listed night."""
    return dict(
        Location.objects.filter(pk__in=list(location_ids)).values_list("pk", "listed_through")
    )


def stays_write(
    elsewhere: list[tuple[int, date | None]],
    removed: Iterable[int],
    added: Iterable[StayFacts],
    *,
    source_of: dict[int, int],
) -> None:
    """Store what the lists did to stays: `elsewhere` (pk, check-out) for stays at other
    locations whose shape changed, the stays `removed` (pks) and those `added`, each with
    the import (`source_of` its location) it came from. In this order, so that a person
    never has two open stays between two statements (the database's index would refuse)."""
    rows_update(Stay, ["check_out"], [row for row in elsewhere if row[1] is not None])
    rows_delete(Stay, removed)
    rows_insert(
        Stay,
        STAY_COLUMNS,
        [
            (
                i.person_id,
                i.location_id,
                i.check_in,
                i.check_out,
                i.room,
                i.employer_kvk,
                i.expected_departure,
                source_of[i.location_id],
            )
            for i in added
        ],
    )
    rows_update(Stay, ["check_out"], [row for row in elsewhere if row[1] is None])


def locations_through_write(rows: list[tuple[int, date | None]]) -> None:
    """(location id, listed_through) for the locations whose last listed night moved."""
    rows_update(Location, ["listed_through"], rows)


def occupancy_write(counts: dict[tuple[int, date], int]) -> list[tuple[int, date, bool]]:
    """Persons per (location, night) for the nights the lists cover: (location, night, level
    changed) for every pair written. A night not stored before whose count equals the night
    before it is written, but its level did not change: the location's signals need no
    refresh for it (the nightly run extends a running over-capacity signal)."""
    nights = [night for _location, night in counts]
    with ids_table({location for location, _night in counts}) as locations:
        existing = {
            (location, night): (pk, persons)
            for pk, location, night, persons in Occupancy.objects.filter(
                location_id__in=in_table(locations),
                night__gte=min(nights) - ONE_DAY,
                night__lte=max(nights),
            ).values_list("pk", "location_id", "night", "persons")
        }
    changed = [
        key for key, persons in counts.items() if existing.get(key, (None, None))[1] != persons
    ]
    rows_delete(Occupancy, [existing[key][0] for key in changed if key in existing])
    rows_insert(
        Occupancy, ("location", "night", "persons"), [(*key, counts[key]) for key in changed]
    )

    def before(location: int, night: date) -> int | None:
        previous = (location, night - ONE_DAY)
        return counts.get(previous, existing.get(previous, (None, None))[1])

    return [(*key, key in existing or before(*key) != counts[key]) for key in changed]


def profile_write(
    submissions,
    person_ids: list[list[int]],
    location_of: list[dict[str, int]],
    registration_of: dict[int, str],
    covered: dict[int, list[Span]],
    through_before: dict[int, date | None],
    through_after: dict[int, date | None],
) -> None:
    """Replace the occupancy profile of every (location, night) the lists cover: persons by
    registration (as stored, after this import) and nationality group, kept as spans of
    nights with the same count. Counted in columns: a month is millions of person-nights."""
    counts = _profile_counts(submissions, person_ids, location_of, registration_of)
    spans = _profile_spans(counts)
    # A location whose open spans hold its counts on the nights right after them needs no
    # new span: the new listed_through extends them (most locations on most days).
    unchanged = _profile_unchanged(counts, covered, through_before)
    if unchanged:
        covered = {
            location: nights for location, nights in covered.items() if location not in unchanged
        }
        if not covered:
            return
        spans = spans.filter(~pl.col("location").is_in(list(unchanged)))
    pieces: dict[_ProfileKey, list[tuple[date, date, int]]] = defaultdict(list)
    for _span, location, kind, first, end, persons in spans.iter_rows():
        pieces[(location, *kind.split("|"))].append((first, end, persons))

    # What was there: kept outside the covered nights, joined with new spans next to it. An
    # open span ran through its location's last listed night before this import.
    existing = _profile_existing(covered)
    for _pk, location, registration, group, first_night, persons, end_night in existing:
        span_end = stay_end(first_night, end_night, through_before.get(location))
        for piece in minus((first_night, span_end), covered[location]):
            pieces[(location, registration, group)].append((*piece, persons))
    _profile_store(existing, _profile_joined(pieces, through_after))


def _profile_counts(
    submissions: list[Submission],
    person_ids: list[list[int]],
    location_of: list[dict[str, int]],
    registration_of: dict[int, str],
) -> pl.DataFrame:
    """Persons per location, kind ("registration|nationality group") and night, sorted so;
    the count in `len`."""
    frames = []
    for index, submission in enumerate(submissions):
        # Per person of the list (by index): the kind, as "registration|nationality group".
        nationality = submission.person_frame["nationality"]
        distinct = nationality.unique().to_list()
        groups = nationality.replace_strict(
            distinct, [nationality_group(n) for n in distinct], return_dtype=pl.String
        )
        registration = pl.Series([registration_of[pk] for pk in person_ids[index]], dtype=pl.String)
        kind = registration + "|" + groups
        codes = list(location_of[index])
        frame = submission.frame
        frames.append(
            pl.DataFrame(
                {
                    "location": frame["location"].replace_strict(
                        codes, [location_of[index][c] for c in codes], return_dtype=pl.Int64
                    ),
                    "kind": kind.gather(frame["person"]),
                    "night": frame["night"],
                }
            )
        )
    return (
        pl.concat(frames)
        .group_by("location", "kind", "night")
        .len()
        .sort("location", "kind", "night")
    )


def _profile_spans(counts: pl.DataFrame) -> pl.DataFrame:
    """The runs of consecutive nights with one count per location and kind: span, location,
    kind, first, end (the night after the last), persons."""
    same = ("location", "kind", "len")
    return (
        counts.with_columns(
            start=(
                (pl.col("night") - pl.col("night").shift(1) != pl.duration(days=1))
                | pl.any_horizontal(pl.col(c) != pl.col(c).shift(1) for c in same)
            ).fill_null(True)
        )
        .with_columns(span=pl.col("start").cum_sum())
        .group_by("span")
        .agg(
            pl.col("location").first(),
            pl.col("kind").first(),
            first=pl.col("night").min(),
            end=pl.col("night").max() + pl.duration(days=1),
            persons=pl.col("len").first(),
        )
    )


def _profile_existing(covered: dict[int, list[Span]]) -> list[_StoredProfile]:
    """The stored spans at the covered locations that reach their covered nights."""
    first = min(nights[0][0] for nights in covered.values())
    end = max(nights[-1][1] for nights in covered.values())
    with ids_table(covered) as locations:
        return [
            (pk, location, registration, group, first_night, persons, end_night)
            for pk, location, registration, group, first_night, end_night, persons in (
                OccupancyProfile.objects.filter(
                    location_id__in=in_table(locations), first_night__lte=end
                )
                .filter(Q(end_night__gte=first) | Q(end_night__isnull=True))
                .values_list(
                    "pk",
                    "location_id",
                    "registration",
                    "nationality_group",
                    "first_night",
                    "end_night",
                    "persons",
                )
            )
        ]


def _profile_joined(
    pieces: dict[_ProfileKey, list[tuple[date, date, int]]],
    through_after: dict[int, date | None],
) -> set[_ProfileRow]:
    """Each key's pieces as rows to store, those that meet with the same count joined."""
    # Stored as (location, registration, group, first night, persons, end night or None for
    # the span that runs through the location's new last listed night).
    new = set()
    for key, spans_of_key in pieces.items():
        joined: list[tuple[date, date, int]] = []
        for span in sorted(spans_of_key):
            if joined and joined[-1][1] == span[0] and joined[-1][2] == span[2]:
                joined[-1] = (joined[-1][0], span[1], span[2])
            else:
                joined.append(span)
        through = through_after[key[0]]
        new.update(
            (*key, span_first, persons, None if span_end == through + ONE_DAY else span_end)
            for span_first, span_end, persons in joined
        )
    return new


def _profile_store(existing: list[_StoredProfile], new: set[_ProfileRow]) -> None:
    """Make the stored spans (`existing`) the `new` rows."""
    old = {row[1:]: row[0] for row in existing}
    # A span whose end alone changes (it was open and now closes, or the reverse) keeps its
    # row and gets the new end, rather than a delete and an insert. An open span whose
    # count stays the same, the most of them on most days, is not written at all.
    removed = {row[:5]: pk for row, pk in old.items() if row not in new}
    new_end, inserted = [], []
    for row in new:
        if row in old:
            continue
        pk = removed.pop(row[:5], None)
        if pk is None:
            inserted.append(row)
        else:
            new_end.append((pk, row[5]))
    rows_update(OccupancyProfile, ["end_night"], new_end)
    rows_delete(OccupancyProfile, removed.values())
    rows_insert(
        OccupancyProfile,
        ("location", "registration", "nationality_group", "first_night", "persons", "end_night"),
        inserted,
    )


def _profile_unchanged(counts: pl.DataFrame, covered, through_before) -> set[int]:
    """The locations whose lists cover only nights right after their listed_through, with
    on each of them the counts (by kind) of the location's open spans, no more, no fewer.
    counts: location, kind ("registration|group"), night, len (persons)."""
    forward = {
        location: nights[0]
        for location, nights in covered.items()
        if len(nights) == 1
        and through_before.get(location) is not None
        and nights[0][0] == through_before[location] + ONE_DAY
    }
    if not forward:
        return set()
    with ids_table(forward) as locations:
        open_spans = list(
            OccupancyProfile.objects.filter(
                location_id__in=in_table(locations), end_night__isnull=True
            ).values_list("location_id", "registration", "nationality_group", "persons")
        )
    expected = pl.DataFrame(
        [
            (location, f"{registration}|{group}", persons)
            for location, registration, group, persons in open_spans
        ],
        schema={"location": pl.Int64, "kind": pl.String, "persons": pl.Int64},
        orient="row",
    ).join(
        pl.DataFrame(
            [
                (location, first + timedelta(days=offset))
                for location, (first, end) in forward.items()
                for offset in range((end - first).days)
            ],
            schema={"location": pl.Int64, "night": pl.Date},
            orient="row",
        ),
        on="location",
    )
    listed = counts.filter(pl.col("location").is_in(list(forward)))
    compared = expected.join(listed, on=["location", "kind", "night"], how="full", coalesce=True)
    changed = compared.filter(~pl.col("persons").eq_missing(pl.col("len").cast(pl.Int64)))
    return set(forward) - set(changed["location"].to_list())
