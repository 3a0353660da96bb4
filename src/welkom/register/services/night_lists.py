"""Writes of the night register: applying a night list to stays and occupancy.

Semantics: for every (location, night) in a submission, the listed persons are exactly who
slept there; nights not in the submission are untouched. So the same file twice changes
nothing (and says so), and a corrected night replaces the old one. The whole submission is
applied or none of it, and every problem is reported with row, column and value.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import polars as pl
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from welkom.core.bulk import (
    ids_table,
    in_table,
    rows_delete,
    rows_insert,
    rows_update,
    temporary_table,
)
from welkom.core.locks import serialised
from welkom.housing.models import Location
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write_each
from welkom.register.countries import nationality_group
from welkom.register.models import NightListImport, Occupancy, OccupancyProfile, Person, Stay
from welkom.register.night_lists import Problem
from welkom.register.rules import gettext_noop
from welkom.register.services.continuing import Continuing, continuing_residents
from welkom.register.services.signals import signals_refresh
from welkom.register.stays import open_or_closed, stay_end
from welkom.register.submissions import Submission, submissions_read

NIGHT_REGISTER = "night-register"
ONE_DAY = timedelta(days=1)
# Lists are applied one transaction at a time, province-wide: two at once (a client retrying
# after a time-out, two providers naming one person) would each read the register before the
# other wrote it, and store persons and stays twice. Reading and checking run in parallel.
APPLY_LOCK = "register.night-lists.apply"
# Lists are read together up to about this many bytes at a time: fewer, larger polars
# passes, with the memory of one such pass (a few hundred MB for 32 MB of CSV).
READ_TOGETHER_BYTES = 32 * 1024 * 1024
# Above this many persons changed in one batch, the signals of everyone are refreshed.
EVERYONE_FROM = 20_000
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


@dataclass
class ImportSummary:
    rows: int = 0
    nights: int = 0
    persons: int = 0
    persons_created: int = 0
    stays_opened: int = 0
    stays_closed: int = 0
    stays_changed: int = 0
    occupancy_changed: int = 0
    signals_opened: int = 0
    signals_closed: int = 0
    person_ids: set[int] = field(default_factory=set)  # listed: read and checked
    location_ids: set[int] = field(default_factory=set)
    # What the list changed, whose signals are refreshed now: persons whose stays, BSN or
    # registration changed (or who are new), locations whose occupancy changed.
    changed_person_ids: set[int] = field(default_factory=set)
    changed_location_ids: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "nights": self.nights,
            "persons": self.persons,
            "persons_created": self.persons_created,
            "stays_opened": self.stays_opened,
            "stays_closed": self.stays_closed,
            "stays_changed": self.stays_changed,
            "occupancy_changed": self.occupancy_changed,
            "signals_opened": self.signals_opened,
            "signals_closed": self.signals_closed,
        }


class _Interval(NamedTuple):
    person_id: int
    location_id: int
    check_in: date
    check_out: date | None  # the end; None only once stored as open
    room: str = ""
    employer_kvk: str = ""
    expected_departure: date | None = None


def _problem(row: int | None, column: str | None, value: str, message: str, **params) -> Problem:
    return Problem(row=row, column=column, value=value[:100], message=message, params=params)


def _problems_as_json(problems: list[Problem]) -> list[dict]:
    return [
        {
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "message": p.message,
            "params": p.params,
        }
        for p in problems
    ]


Span = tuple[date, date]  # nights [first, end)


def _merged(spans: list[Span]) -> list[Span]:
    """Spans → the fewest spans covering the same nights: overlapping and adjacent ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _minus(span: Span, holes: list[Span]) -> list[Span]:
    """The nights of `span` outside the (merged, sorted) `holes`, as spans."""
    pieces, start, end = [], span[0], span[1]
    for hole_start, hole_end in holes:
        if hole_end <= start or hole_start >= end:
            continue
        if hole_start > start:
            pieces.append((start, hole_start))
        start = max(start, hole_end)
    if start < end:
        pieces.append((start, end))
    return pieces


def _first_common_night(a: Span, b: Span) -> date | None:
    start = max(a[0], b[0])
    return start if start < min(a[1], b[1]) else None


@dataclass
class _Part:
    """One night list of an import: who sent it, its record, what it says, what it did."""

    provider: object
    record: NightListImport
    submission: Submission | None
    summary: ImportSummary
    submitted_by: object = None


def night_list_import(
    *,
    provider,
    data: bytes,
    filename: str,
    source: str,
    submitted_by=None,
    today: date | None = None,
) -> tuple[NightListImport, ImportSummary]:
    """Read, check and apply a provider's night list; one transaction, one tracked import.

    The import record and the raw file are kept whatever the outcome, for audit, until
    retention removes them; the stays change only when the whole list is accepted. The
    signals of the list's persons and locations are refreshed at once.
    """
    return night_lists_import(
        [(provider, data, filename)], source=source, submitted_by=submitted_by, today=today
    )[0]


def night_lists_import(
    lists: Iterable[tuple[object, bytes, str]],
    *,
    source: str,
    submitted_by=None,
    today: date | None = None,
    after_each: Callable[[NightListImport, ImportSummary], None] | None = None,
) -> list[tuple[NightListImport, ImportSummary]]:
    """Several night lists, each (provider, data, filename) its own submission: accepted or
    refused as a whole, with its own record, counts and problems (ADR 0005).

    Lists about different locations are applied together, in one transaction and one pass
    over the register (ADR 0009): a month sent by every provider at once costs one write of
    each table, not one per file. When they cannot be (two lists about one location, or any
    problem at all), each list is applied on its own, in order, so that every problem is
    reported against the list that has it, exactly as if the lists had come one by one.
    The signals are refreshed once at the end for the persons and locations that changed.
    """
    today = today or timezone.localdate()
    parts = _parts_read(lists, source=source, submitted_by=submitted_by, today=today)
    ready = [part for part in parts if not part.summary.problems]
    if not (len(ready) > 1 and _apply_together(ready)):
        for part in ready:
            _apply_alone(part)
    for part in parts:
        part.record.status = _status(part.summary)
        part.record.counts = part.summary.as_dict()
        part.record.problems = _problems_as_json(part.summary.problems)
    NightListImport.objects.bulk_update(
        [part.record for part in parts], ["status", "counts", "problems"], batch_size=500
    )
    if after_each is not None:  # progress, for a caller that reports it
        for part in parts:
            after_each(part.record, part.summary)
    applied = [part for part in parts if part.record.status == NightListImport.Status.APPLIED]
    _signals_refresh(applied, today=today)
    return [(part.record, part.summary) for part in parts]


def _signals_refresh(applied: list[_Part], *, today: date) -> None:
    """Refresh the signals of what the lists changed, now rather than tomorrow, and count per
    list the signals that opened or closed for its persons and locations. Duties that arise
    because time passes (the 123rd night, a deadline) are the nightly run's."""
    person_ids = set().union(*(part.summary.changed_person_ids for part in applied))
    location_ids = set().union(*(part.summary.changed_location_ids for part in applied))
    if not (person_ids or location_ids):
        return
    if len(person_ids) > EVERYONE_FROM:
        # Most of the register changed: refreshing everyone's signals reads the same rows
        # without lists of a hundred thousand ids in every query.
        refresh = signals_refresh(on=today)
    else:
        refresh = signals_refresh(
            on=today, person_ids=sorted(person_ids), location_ids=sorted(location_ids)
        )
    counted = []
    for part in applied:
        summary = part.summary
        summary.signals_opened = sum(_concerns(summary, *ids) for ids in refresh.opened_for)
        summary.signals_closed = sum(_concerns(summary, *ids) for ids in refresh.resolved_for)
        if summary.signals_opened or summary.signals_closed:
            part.record.counts = summary.as_dict()
            counted.append(part.record)
    NightListImport.objects.bulk_update(counted, ["counts"], batch_size=500)


def _concerns(summary: ImportSummary, person_id: int | None, location_id: int | None) -> bool:
    """Whether a signal (of a person, or else of a location) is about what the list changed."""
    if person_id is not None:
        return person_id in summary.changed_person_ids
    return location_id in summary.changed_location_ids


def _parts_read(lists, *, source: str, submitted_by, today: date) -> list[_Part]:
    """A record (with the raw file) and a reading of every list; nothing applied yet. The
    lists are read a few at a time (`READ_TOGETHER_BYTES`), so that a month of every
    provider's files is never in memory at once."""
    parts = []
    chunk: list[tuple[object, bytes, str]] = []
    chunk_bytes = 0

    def chunk_read() -> None:
        nonlocal chunk_bytes
        read = submissions_read([(data, filename) for _p, data, filename in chunk], today=today)
        for (provider, data, filename), (submission, problems) in zip(chunk, read, strict=True):
            record = NightListImport(
                provider=provider,
                submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
                source=source,
                filename=filename[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                status=NightListImport.Status.REJECTED,
            )
            record.raw.save(
                f"{record.sha256[:16]}-{filename.rsplit('/', 1)[-1][-80:]}",
                ContentFile(data),
                save=False,
            )
            summary = ImportSummary(rows=submission.rows if submission else 0, problems=problems)
            parts.append(_Part(provider, record, submission, summary, submitted_by))
        chunk.clear()
        chunk_bytes = 0

    for item in lists:
        chunk.append(item)
        chunk_bytes += len(item[1])
        if chunk_bytes >= READ_TOGETHER_BYTES:
            chunk_read()
    if chunk:
        chunk_read()
    NightListImport.objects.bulk_create([part.record for part in parts])
    return parts


def _apply_together(parts: list[_Part]) -> bool:
    """Apply lists about different locations in one transaction; False (and nothing changed)
    when they share a location or any of them has a problem."""
    codes = [
        {(part.provider.pk, code) for code in part.submission.run_frame["location_code"].unique()}
        for part in parts
    ]
    if sum(len(c) for c in codes) != len(set().union(*codes)):
        return False
    try:
        with transaction.atomic():
            serialised(APPLY_LOCK)
            _apply(parts)
            if any(part.summary.problems for part in parts):
                raise _Rejected
    except (_Rejected, IntegrityError):
        for part in parts:  # counted for nothing: they are applied one by one next
            part.summary = ImportSummary(rows=part.summary.rows)
        return False
    return True


def _apply_alone(part: _Part) -> None:
    try:
        with transaction.atomic():
            serialised(APPLY_LOCK)
            _apply([part])
            if part.summary.problems:
                raise _Rejected
    except _Rejected:
        pass


def _status(summary: ImportSummary) -> str:
    if summary.problems:
        return NightListImport.Status.REJECTED
    if _changed(summary):
        return NightListImport.Status.APPLIED
    return NightListImport.Status.UNCHANGED


def _changed(summary: ImportSummary) -> bool:
    return any(
        (
            summary.stays_opened,
            summary.stays_closed,
            summary.stays_changed,
            summary.persons_created,
            summary.occupancy_changed,
        )
    )


class _Rejected(Exception):
    """Rolls back the submission's writes; the problems are in the summary."""


def _apply(parts: list[_Part]) -> None:
    """Apply the lists' submissions in one pass, within the caller's transaction. Each list's
    counts and problems go in its own summary; the caller rolls back on any problem."""
    location_of = _locations_resolve(parts)  # per part: location code → location id
    if any(part.summary.problems for part in parts):
        return
    # Continuing residents are set aside first, in columns (ADR 0013): what follows works
    # through the others, the persons the lists change something of.
    continuing = continuing_residents([part.submission for part in parts], location_of)
    whole, parts = parts, [_part_rest(part, continuing, index) for index, part in enumerate(parts)]
    person_ids, registration_of, persons_changed = _persons_resolve(parts)

    # What the lists say: per (person, location) these nights, and per location exactly these
    # nights covered (whoever is not listed on a covered night was not there). Every
    # location belongs to one list (`_apply_together`), which is the part it is counted for.
    submitted: dict[tuple[int, int], list[Span]] = defaultdict(list)
    latest: dict[tuple[int, int], tuple[str, str, date | None]] = {}
    covered_nights: dict[int, list[Span]] = defaultdict(list)
    part_of: dict[int, int] = {}  # location id → index of its part
    occupancy: dict[tuple[int, date], int] = {}
    for index, part in enumerate(parts):
        submission, ids, locations = part.submission, person_ids[index], location_of[index]
        for run in submission.runs:
            key = (ids[run.person], locations[run.location_code])
            submitted[key].append((run.check_in, run.check_out))
            latest[key] = (run.room, run.employer_kvk, run.expected_departure)
        for (code, night), persons in submission.occupancy.items():
            covered_nights[locations[code]].append((night, night + ONE_DAY))
            part_of[locations[code]] = index
            occupancy[(locations[code], night)] = persons
        part.summary.nights = submission.nights
        part.summary.person_ids = set(ids) | {pk for pk, _r in continuing.persons[index].values()}
        part.summary.persons = len(part.summary.person_ids)
        part.summary.location_ids = set(locations.values())
        part.summary.changed_person_ids = set(ids) & persons_changed
    covered = {location_id: _merged(spans) for location_id, spans in covered_nights.items()}
    first = min(night for _location, night in occupancy)
    last = max(night for _location, night in occupancy)
    persons_listed = set().union(*(set(ids) for ids in person_ids))

    location_through = dict(
        Location.objects.filter(pk__in=list(covered)).values_list("pk", "listed_through")
    )
    existing = _stays_near(
        set(covered), persons_listed, first=first, last=last, aside=continuing.stays
    )
    _conflicts_check(existing, submitted, covered, parts, person_ids, location_of, part_of)
    if any(part.summary.problems for part in parts):
        return

    # Keep the nights of existing stays that the lists do not cover; add what they list.
    touched_old = [s for s in existing if s.location_id in covered]
    kept: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    for stay in touched_old:
        for check_in, check_out in _minus(
            (stay.check_in, stay.check_out), covered[stay.location_id]
        ):
            kept[(stay.person_id, stay.location_id)].append(
                _Interval(
                    stay.person_id,
                    stay.location_id,
                    check_in,
                    check_out,
                    stay.room,
                    stay.employer_kvk,
                    stay.expected_departure,
                )
            )
    new: set[_Interval] = set()
    for key in set(kept) | set(submitted):
        person_id, location_id = key
        pieces = kept.get(key, [])
        listed = submitted.get(key, [])
        for span in _merged([(i.check_in, i.check_out) for i in pieces] + listed):
            if any(_first_common_night(span, run) for run in listed):
                attributes = latest[key]
            else:
                source_old = next(i for i in pieces if i.check_in <= span[0] < i.check_out)
                attributes = (
                    source_old.room,
                    source_old.employer_kvk,
                    source_old.expected_departure,
                )
            new.add(_Interval(person_id, location_id, span[0], span[1], *attributes))

    # Stored in the canonical shape (ADR 0010): a continuing resident's stay is open before
    # and after, the same row, so a day without arrivals or departures writes no stay.
    listed_through = {stay.location_id: stay.listed_through for stay in existing}
    for location_id, nights in covered.items():
        last_covered = nights[-1][1] - ONE_DAY
        listed_through[location_id] = max(
            filter(None, (location_through.get(location_id), last_covered))
        )
    new_rows, elsewhere = _stays_stored(new, existing, covered, listed_through)
    old = {_stored(stay): stay.pk for stay in touched_old}
    old_by_part: list[set[_Interval]] = [set() for _part in parts]
    new_by_part: list[set[_Interval]] = [set() for _part in parts]
    for interval in old:
        old_by_part[part_of[interval.location_id]].add(interval)
    for interval in new_rows:
        new_by_part[part_of[interval.location_id]].add(interval)
    for part, part_old, part_new in zip(parts, old_by_part, new_by_part, strict=True):
        _count_changes(part_old, part_new, part.summary)
    record_of = [part.record.pk for part in parts]
    for interval in set(old) ^ new_rows:  # removed or added here: the part of its location
        parts[part_of[interval.location_id]].summary.changed_person_ids.add(interval.person_id)
    person_of = {stay.pk: stay.person_id for stay in existing}
    moved = {person_of[pk] for pk, _check_out in elsewhere}  # closed or reopened elsewhere
    for part in parts:
        part.summary.changed_person_ids |= part.summary.person_ids & moved
    # In this order, so that a person never has two open stays between two statements.
    rows_update(Stay, ["check_out"], [row for row in elsewhere if row[1] is not None])
    rows_delete(Stay, [pk for interval, pk in old.items() if interval not in new_rows])
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
                record_of[part_of[i.location_id]],
            )
            for i in new_rows
            if i not in old
        ],
    )
    rows_update(Stay, ["check_out"], [row for row in elsewhere if row[1] is None])
    rows_update(
        Location,
        ["listed_through"],
        [
            (location_id, listed_through[location_id])
            for location_id in covered
            if listed_through[location_id] != location_through.get(location_id)
        ],
    )

    for location_id, _night, level_changed in _occupancy_write(occupancy):
        parts[part_of[location_id]].summary.occupancy_changed += 1
        if level_changed:
            parts[part_of[location_id]].summary.changed_location_ids.add(location_id)
    for index, aside in enumerate(continuing.persons):  # every person of the whole lists
        for pk, registration in aside.values():
            registration_of[pk] = registration
        if aside:
            rest = iter(person_ids[index])
            person_ids[index] = [
                aside[person][0] if person in aside else next(rest)
                for person in range(whole[index].submission.person_frame.height)
            ]
    _profile_write(
        whole, person_ids, location_of, registration_of, covered, location_through, listed_through
    )
    # Everyone on a list was read and checked: one log entry per person and list.
    processing_log_write_each(
        [(_processing(part), sorted(part.summary.person_ids)) for part in parts],
        subject_type="person",
        object_type="stay",
    )


def _processing(part: _Part) -> Processing:
    """Who processes a list's persons: the person who sent it, else its provider (a token
    or the command line)."""
    if getattr(part.submitted_by, "is_authenticated", False):
        return Processing.by(
            part.submitted_by,
            activity=NIGHT_REGISTER,
            action=Entry.Action.UPDATE,
            organisation=part.provider,
        )
    return Processing(
        activity=NIGHT_REGISTER, action=Entry.Action.UPDATE, organisation=part.provider
    )


def _part_rest(part: _Part, continuing: Continuing, index: int) -> _Part:
    """The part as it speaks of the persons that are not continuing residents."""
    if not continuing.persons[index]:
        return part
    persons = continuing.rest(index, part.submission.person_frame.height)
    return _Part(
        part.provider,
        part.record,
        part.submission.of_persons(persons),
        part.summary,
        part.submitted_by,
    )


def _locations_resolve(parts: list[_Part]) -> list[dict[str, int]]:
    """Per part, its location codes' ids; a code that is not the provider's is a problem."""
    ids = {
        (provider_id, code): pk
        for pk, provider_id, code in Location.objects.filter(
            provider__in={part.provider.pk for part in parts}
        ).values_list("pk", "provider_id", "code")
    }
    resolved = []
    for part in parts:
        locations, unknown = {}, {}
        first_rows = part.submission.run_frame.group_by("location_code").agg(pl.col("row").min())
        for code, row in first_rows.iter_rows():
            pk = ids.get((part.provider.pk, code))
            if pk is not None:
                locations[code] = pk
            else:
                unknown[code] = row
        for code, row in sorted(unknown.items(), key=lambda item: item[1]):
            part.summary.problems.append(
                _problem(
                    row,
                    "location_code",
                    code,
                    gettext_noop("Location code %(code)s is not one of your locations."),
                    code=code,
                )
            )
        resolved.append(locations)
    return resolved


class _Stay(NamedTuple):
    """A stored stay, with its end worked out (`check_out` here is the end, never None)."""

    pk: int
    person_id: int
    location_id: int
    check_in: date
    check_out: date
    room: str
    employer_kvk: str
    expected_departure: date | None
    is_open: bool
    listed_through: date | None


def _stays_near(
    location_ids: set[int], person_ids: set[int], *, first: date, last: date, aside: set[int]
):
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
            _Stay(
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


def _stored(stay: _Stay) -> _Interval:
    """A stored stay as the interval it is stored as: no check-out when open."""
    return _Interval(
        stay.person_id,
        stay.location_id,
        stay.check_in,
        None if stay.is_open else stay.check_out,
        stay.room,
        stay.employer_kvk,
        stay.expected_departure,
    )


def _stays_stored(
    new: set[_Interval], existing: list[_Stay], covered, listed_through: dict[int, date]
) -> tuple[set[_Interval], list[tuple[int, date | None]]]:
    """The new stays at the covered locations as they are to be stored (open or closed), and
    (pk, check-out) for stays elsewhere whose shape changes with them: a person arriving
    here closes the stay still open at a location that has not sent its list yet."""
    by_person: dict[int, list] = defaultdict(list)
    for interval in new:
        by_person[interval.person_id].append(interval)
    for stay in existing:
        if stay.location_id not in covered and stay.person_id in by_person:
            by_person[stay.person_id].append(stay)
    stored: set[_Interval] = set()
    elsewhere: list[tuple[int, date | None]] = []
    for stays in by_person.values():
        check_outs = open_or_closed(
            [(stay.location_id, stay.check_in, stay.check_out) for stay in stays], listed_through
        )
        for stay, check_out in zip(stays, check_outs, strict=True):
            if isinstance(stay, _Stay):
                if check_out != (None if stay.is_open else stay.check_out):
                    elsewhere.append((stay.pk, check_out))
            else:
                stored.add(stay._replace(check_out=check_out))
    return stored, elsewhere


def _persons_resolve(parts: list[_Part]) -> tuple[list[list[int]], dict[int, str], set[int]]:
    """Person ids, per part by index in its submission, the registration of each, and the
    persons who are new or whose BSN or registration changed.

    Found by BSN when the list gives one, else by normalised name, birth date and
    nationality; created when not found. The lists are read in order, as if they came one
    by one: a person new in the first list is found, not created again, in the second."""
    values = set()
    for part in parts:
        for person in part.submission.persons:
            values.add(person.match_key)
            if person.bsn:
                values.add(person.bsn)
    with temporary_table([("value", "text")], ((value,) for value in values)) as table:
        # By BSN and by match key in two queries, each on its own index (an OR of the two
        # reads every person), in the order of the primary key (not the model's by name).
        columns = ("pk", "bsn", "match_key", "registration")
        by_bsn = Person.internal.filter(bsn__in=in_table(table, "value")).exclude(bsn="")
        by_key = Person.internal.filter(match_key__in=in_table(table, "value"))
        known = sorted(
            {*by_bsn.order_by().values_list(*columns), *by_key.order_by().values_list(*columns)}
        )
        found_by_bsn: dict[str, int] = {}
        by_match_key: dict[str, list[int]] = defaultdict(list)
        bsn_of: dict[int, str] = {}
        registration_of: dict[int, str] = {}
        for pk, bsn, match_key, registration in known:
            if bsn:
                found_by_bsn[bsn] = pk
            by_match_key[match_key].append(pk)
            bsn_of[pk] = bsn
            registration_of[pk] = registration
    stored = dict(registration_of)  # as the register has it now
    to_create: list[dict] = []  # a new person's id is -(its index + 1) until inserted
    bsn_given: dict[int, str] = {}  # known persons who now have a BSN
    ids: list[list[int]] = []
    for part in parts:
        part_ids = []
        for person in part.submission.persons:
            if person.bsn and person.bsn in found_by_bsn:
                pk = found_by_bsn[person.bsn]
            else:
                candidates = by_match_key.get(person.match_key, [])
                if person.bsn:
                    # A BSN now, for a person known by name only: the same person, who got
                    # a BSN. A namesake with another BSN is someone else.
                    candidates = [c for c in candidates if not bsn_of[c]]
                if candidates:
                    pk = candidates[0]
                    if person.bsn:
                        bsn_of[pk] = found_by_bsn[person.bsn] = person.bsn
                        if pk in stored:
                            bsn_given[pk] = person.bsn
                        else:
                            to_create[-pk - 1]["bsn"] = person.bsn
                else:
                    to_create.append(_person_new(person))
                    pk = -len(to_create)
                    part.summary.persons_created += 1
                    by_match_key[person.match_key].append(pk)
                    bsn_of[pk] = person.bsn
                    if person.bsn:
                        found_by_bsn[person.bsn] = pk
                    registration_of[pk] = to_create[-1]["registration"]
            if person.registration and registration_of[pk] != person.registration:
                registration_of[pk] = person.registration
                if pk < 0:
                    to_create[-pk - 1]["registration"] = person.registration
            part_ids.append(pk)
        ids.append(part_ids)

    for pk, bsn in bsn_given.items():
        Person.internal.filter(pk=pk, bsn="").update(bsn=bsn)
    changed: dict[str, list[int]] = defaultdict(list)
    for pk, registration in stored.items():
        if registration_of[pk] != registration:
            changed[registration_of[pk]].append(pk)
    for registration, pks in changed.items():
        with ids_table(pks) as table:
            Person.internal.filter(pk__in=in_table(table)).update(registration=registration)
    created = _persons_create(to_create)
    ids = [[created[-pk - 1] if pk < 0 else pk for pk in part_ids] for part_ids in ids]
    registration_of = {
        (created[-pk - 1] if pk < 0 else pk): value for pk, value in registration_of.items()
    }
    changed_pks = {pk for pks in changed.values() for pk in pks} | set(bsn_given) | set(created)
    return ids, registration_of, changed_pks


def _count_changes(old: set[_Interval], new: set[_Interval], summary: ImportSummary) -> None:
    """A new stay overlapping a removed one of the same person and place is a change; an
    open stay that is now closed from the same night is a departure (closed)."""

    def overlaps(a: _Interval, b: _Interval) -> bool:
        return a.check_in < (b.check_out or date.max) and b.check_in < (a.check_out or date.max)

    added = new - old
    removed = old - new
    removed_by_key: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    added_by_key: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    for interval in removed:
        removed_by_key[(interval.person_id, interval.location_id)].append(interval)
    for interval in added:
        added_by_key[(interval.person_id, interval.location_id)].append(interval)
    for interval in added:
        others = removed_by_key.get((interval.person_id, interval.location_id), ())
        if interval.check_out is not None and any(
            r.check_out is None and r.check_in == interval.check_in for r in others
        ):
            summary.stays_closed += 1
        elif any(overlaps(interval, r) for r in others):
            summary.stays_changed += 1
        else:
            summary.stays_opened += 1
    for interval in removed:
        others = added_by_key.get((interval.person_id, interval.location_id), ())
        if not any(overlaps(interval, a) for a in others):
            summary.stays_closed += 1


def _person_new(person) -> dict:
    """A new person's columns (`PERSON_COLUMNS` but the creation time), from its listing."""
    columns = {name: getattr(person, name) for name in PERSON_COLUMNS if name != "created_at"}
    columns["registration"] = person.registration or "unknown"
    return columns


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


def _conflicts_check(existing, submitted, covered, parts, person_ids, location_of, part_of):
    """Nobody in two places on one night: not within the lists, not against other lists.
    A problem is the list's whose location it names."""
    code_of = {pk: code for locations in location_of for code, pk in locations.items()}
    spans_of: dict[int, list[tuple[Span, int]]] = defaultdict(list)  # person → (span, location)
    for (person_id, location_id), spans in submitted.items():
        for span in spans:
            spans_of[person_id].append((span, location_id))

    def report(person_id: int, location_id: int, night: date, message: str, **params) -> None:
        index = part_of[location_id]
        part = parts[index]
        indices = [i for i, pk in enumerate(person_ids[index]) if pk == person_id]
        person = part.submission.persons[indices[0]]
        here = code_of[location_id]
        part.summary.problems.append(
            _problem(
                part.submission.row_at(indices, night, here),
                "location_code",
                here,
                message,
                name=f"{person.given_names} {person.family_name}",
                here=here,
                night=night.isoformat(),
                **params,
            )
        )

    for person_id, spans in spans_of.items():
        spans.sort()
        reach: tuple[Span, int] | None = None  # the span reaching furthest so far
        for span, location_id in spans:
            night = _first_common_night(reach[0], span) if reach else None
            if night is not None and reach[1] != location_id:
                report(
                    person_id,
                    location_id,
                    night,
                    gettext_noop(
                        "%(name)s is listed at %(here)s and at %(there)s on the night of %(night)s."
                    ),
                    there=code_of[reach[1]],
                )
            if reach is None or span[1] > reach[0][1]:
                reach = (span, location_id)
    for stay in existing:
        pieces = _minus((stay.check_in, stay.check_out), covered.get(stay.location_id, []))
        for span, location_id in spans_of.get(stay.person_id, []):
            if location_id == stay.location_id:
                continue
            night = next(
                (n for piece in pieces if (n := _first_common_night(piece, span)) is not None),
                None,
            )
            if night is None:
                continue
            there = Location.objects.select_related("municipality").get(pk=stay.location_id)
            provider_id = parts[part_of[location_id]].provider.pk
            report(
                stay.person_id,
                location_id,
                night,
                gettext_noop(
                    "%(name)s already stayed at %(there)s on the night of %(night)s, "
                    "so cannot have slept at %(here)s."
                ),
                there=there.code
                if there.provider_id == provider_id
                else f"{there.street} {there.number}, {there.municipality}",
            )
            break


def _profile_write(
    parts, person_ids, location_of, registration_of, covered, through_before, through_after
) -> None:
    """Replace the occupancy profile of every (location, night) the lists cover: persons by
    registration (as stored, after this import) and nationality group, kept as spans of
    nights with the same count. Counted in columns: a month is millions of person-nights."""
    frames = []
    for index, part in enumerate(parts):
        # Per person of the list (by index): the kind, as "registration|nationality group".
        nationality = part.submission.person_frame["nationality"]
        distinct = nationality.unique().to_list()
        groups = nationality.replace_strict(
            distinct, [nationality_group(n) for n in distinct], return_dtype=pl.String
        )
        registration = pl.Series([registration_of[pk] for pk in person_ids[index]], dtype=pl.String)
        kind = registration + "|" + groups
        codes = list(location_of[index])
        frame = part.submission.frame
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
    # Persons per location, kind and night; then runs of consecutive nights with one count.
    counts = (
        pl.concat(frames)
        .group_by("location", "kind", "night")
        .len()
        .sort("location", "kind", "night")
    )
    same = ("location", "kind", "len")
    spans = (
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
    pieces: dict[tuple[int, str, str], list[tuple[date, date, int]]] = defaultdict(list)
    for _span, location, kind, first, end, persons in spans.iter_rows():
        pieces[(location, *kind.split("|"))].append((first, end, persons))

    # What was there: kept outside the covered nights, joined with new spans next to it. An
    # open span ran through its location's last listed night before this import.
    first = min(nights[0][0] for nights in covered.values())
    end = max(nights[-1][1] for nights in covered.values())
    with ids_table(covered) as locations:
        existing = [
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
    for _pk, location, registration, group, first_night, persons, end_night in existing:
        span_end = stay_end(first_night, end_night, through_before.get(location))
        for piece in _minus((first_night, span_end), covered[location]):
            pieces[(location, registration, group)].append((*piece, persons))
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


def _occupancy_write(counts: dict[tuple[int, date], int]) -> list[tuple[int, date, bool]]:
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
