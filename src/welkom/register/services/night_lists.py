"""Writes of the night register: applying a night list to stays and occupancy.

Semantics: for every (location, night) in a submission, the listed persons are exactly who
slept there; nights not in the submission are untouched. So the same file twice changes
nothing (and says so), and a corrected night replaces the old one. The whole submission is
applied or none of it, and every problem is reported with row, column and value.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from welkom.housing.models import Location
from welkom.lib.locks import serialised, sqlite_busy_as_busy
from welkom.lib.problems import Problem
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write_each
from welkom.register.list_reader import LOCATION_UNKNOWN
from welkom.register.matching import persons_matched
from welkom.register.models import NightListImport
from welkom.register.services import writes
from welkom.register.services.continuing import Continuing, continuing_residents
from welkom.register.services.signals import ListedTwice, listed_twice_report, signals_refresh
from welkom.register.services.writes import PERSON_COLUMNS
from welkom.register.stays import (
    Conflict,
    Span,
    StayFacts,
    canonical,
    changes_counted,
    conflicts,
    merged,
    stays_replaced,
)
from welkom.register.submissions import Submission, submissions_read

NIGHT_REGISTER = "night-register"
ONE_DAY = timedelta(days=1)
logger = logging.getLogger(__name__)
# Lists are applied one transaction at a time, province-wide: two at once (a client retrying
# after a time-out, two providers naming one person) would each read the register before the
# other wrote it, and store persons and stays twice. Reading and checking run in parallel.
# A list waits at most `settings.IMPORT_WAIT_SECONDS` for the one before it (`lib.locks.Busy`).
APPLY_LOCK = "register.night-lists.apply"
# A database constraint refused what the checks let through (a defect, logged for the
# administrators): the list is refused, not the request.
REGISTER_CONFLICT = gettext_noop(
    "This list conflicts with what the register holds in a way Welkom's checks did not "
    "foresee, so nothing of it was stored. The error has been logged for the administrators; "
    "if sending it again gives this message again, contact them."
)
# Lists are read together up to about this many bytes at a time: fewer, larger polars
# passes, with the memory of one such pass (a few hundred MB for 32 MB of CSV).
READ_TOGETHER_BYTES = 32 * 1024 * 1024
# Above this many persons changed in one batch, the signals of everyone are refreshed.
EVERYONE_FROM = 20_000


@dataclass
class ImportSummary:
    rows: int = 0
    nights: int = 0
    persons: int = 0
    persons_created: int = 0
    persons_changed: int = 0  # known persons whose registration, BSN or document it changed
    stays_opened: int = 0
    stays_closed: int = 0
    stays_changed: int = 0
    occupancy_changed: int = 0
    signals_opened: int = 0
    signals_closed: int = 0
    person_ids: set[int] = field(default_factory=set)  # listed: read and checked
    location_ids: set[int] = field(default_factory=set)
    covered: set[tuple[int, date]] = field(default_factory=set)  # its (location, night) pairs
    # What the list changed, whose signals are refreshed now: persons whose stays, BSN or
    # registration changed (or who are new), locations whose occupancy changed.
    changed_person_ids: set[int] = field(default_factory=set)
    changed_location_ids: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    # Persons the list named while they stayed at another provider's place: the
    # municipalities hear of it when the list is refused (`listed_twice_report`).
    listed_elsewhere: list[ListedTwice] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "nights": self.nights,
            "persons": self.persons,
            "persons_created": self.persons_created,
            "persons_changed": self.persons_changed,
            "stays_opened": self.stays_opened,
            "stays_closed": self.stays_closed,
            "stays_changed": self.stays_changed,
            "occupancy_changed": self.occupancy_changed,
            "signals_opened": self.signals_opened,
            "signals_closed": self.signals_closed,
        }


def _problem(row: int | None, column: str | None, value: str, message: str, **params) -> Problem:
    return Problem(row, column, message, params, value[:100])


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

    The lists are applied together, in one transaction (ADR 0009, 0013): lists about
    different locations in one pass over the register, so that a month sent by every
    provider at once costs one write of each table, not one per file; several lists about
    one location (thirty daily files) in rounds, a pass per round, in the order they came
    (`_rounds`). When any list has a problem, each list is applied on its own, in order, so
    that every problem is reported against the list that has it, exactly as if the lists
    had come one by one.
    The signals are refreshed once at the end for the persons and locations that changed.

    The records, the register's changes and the signals are one transaction, after the lists
    are read: a crash leaves nothing of the import, and what is committed is whole. Raises
    `lib.locks.Busy` (nothing stored) when another import held the register longer than
    `settings.IMPORT_WAIT_SECONDS`.
    """
    today = today or timezone.localdate()
    parts = _parts_read(lists, source=source, submitted_by=submitted_by, today=today)
    try:
        with sqlite_busy_as_busy(), transaction.atomic():
            serialised(APPLY_LOCK, wait=settings.IMPORT_WAIT_SECONDS)
            NightListImport.objects.bulk_create([part.record for part in parts])
            _parts_apply(parts, today=today)
    except BaseException:
        for part in parts:  # the files of records that were never stored
            part.record.raw.delete(save=False)
        raise
    if after_each is not None:  # progress, for a caller that reports it
        for part in parts:
            after_each(part.record, part.summary)
    return [(part.record, part.summary) for part in parts]


def _parts_apply(parts: list[_Part], *, today: date) -> None:
    """Apply the lists that were read without problems, together or one by one; record each
    list's outcome; refresh the signals of what changed, and report persons listed where
    they cannot have been."""
    ready = [part for part in parts if not part.summary.problems]
    if not (len(ready) > 1 and _apply_together(_rounds(ready))):
        sent_with: dict[tuple[int, date], str] = {}
        for part in ready:
            _apply_alone(part, sent_with)
    for part in parts:
        part.record.status = _status(part.summary)
        part.record.counts = part.summary.as_dict()
        part.record.problems = [problem.as_json() for problem in part.summary.problems]
    writes.records_write([part.record for part in parts], ("status", "counts", "problems"))
    applied = [part for part in parts if part.record.status == NightListImport.Status.APPLIED]
    _signals_refresh(applied, today=today)
    attempts = [
        attempt
        for part in parts
        if part.record.status == NightListImport.Status.REJECTED
        for attempt in part.summary.listed_elsewhere
    ]
    if attempts:
        listed_twice_report(attempts, on=today, wait=settings.IMPORT_WAIT_SECONDS)


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
        refresh = signals_refresh(on=today, wait=settings.IMPORT_WAIT_SECONDS)
    else:
        refresh = signals_refresh(
            on=today,
            person_ids=sorted(person_ids),
            location_ids=sorted(location_ids),
            wait=settings.IMPORT_WAIT_SECONDS,
        )
    # Each signal counts for one list: the first that changed its person or location, as
    # when the lists come one by one and the later ones find it open (or closed) already.
    first_of_person: dict[int, ImportSummary] = {}
    first_of_location: dict[int, ImportSummary] = {}
    for part in applied:
        for person_id in part.summary.changed_person_ids:
            first_of_person.setdefault(person_id, part.summary)
        for location_id in part.summary.changed_location_ids:
            first_of_location.setdefault(location_id, part.summary)

    def first(person_id: int | None, location_id: int | None) -> ImportSummary | None:
        """The summary a signal of a person (or else of a location) counts for."""
        if person_id is not None:
            return first_of_person.get(person_id)
        return first_of_location.get(location_id)

    for ids in refresh.opened_for:
        if (summary := first(*ids)) is not None:
            summary.signals_opened += 1
    for ids in refresh.resolved_for:
        if (summary := first(*ids)) is not None:
            summary.signals_closed += 1
    counted = []
    for part in applied:
        if part.summary.signals_opened or part.summary.signals_closed:
            part.record.counts = part.summary.as_dict()
            counted.append(part.record)
    writes.records_write(counted, ("counts",))


def _parts_read(lists, *, source: str, submitted_by, today: date) -> list[_Part]:
    """A record (with the raw file kept, the record not yet stored) and a reading of every
    list; nothing applied yet. The lists are read a few at a time (`READ_TOGETHER_BYTES`), so that a month of every
    provider's files is never in memory at once."""
    parts = []
    chunk: list[tuple[object, bytes, str]] = []
    chunk_bytes = 0

    def chunk_read() -> None:
        nonlocal chunk_bytes
        # Each provider's location codes: a row naming another is reported by the reader,
        # with every other problem of the list, not after they are mended.
        codes: dict[int, set[str]] = defaultdict(set)
        for provider_id, code in Location.objects.filter(
            provider__in={provider.pk for provider, _data, _filename in chunk}
        ).values_list("provider_id", "code"):
            codes[provider_id].add(code)
        read = submissions_read(
            [(data, filename) for _p, data, filename in chunk],
            today=today,
            location_codes=[codes[provider.pk] for provider, _data, _filename in chunk],
        )
        for (provider, data, filename), (submission, problems) in zip(chunk, read, strict=True):
            record = NightListImport(
                provider=provider,
                submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
                source=source,
                status=NightListImport.Status.REJECTED,
            )
            record.file_keep(data, filename)
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
    return parts


def _rounds(parts: list[_Part]) -> list[list[_Part]]:
    """The lists in rounds that can each be applied in one pass: a round's lists are about
    different locations. A list goes in the first round after every earlier list about one of
    its locations, and not before an earlier list naming one of its persons (by BSN or match
    key); within a round the lists keep their order. So every two lists whose order can
    matter (one location's nights, one person's registration or match) are applied in the
    order they came, and the result is the one of applying them one by one; lists about
    different locations and persons commute. A province day is one round; thirty daily
    files of every provider are thirty."""
    locations = [
        {(part.provider.pk, code) for code in part.submission.run_frame["location_code"].unique()}
        for part in parts
    ]
    if sum(map(len, locations)) == len(set().union(*locations)):
        return [parts]  # no location twice: one round, whoever the lists name
    after_location: dict[tuple[int, str], int] = {}  # the next round a location can go in
    from_person: dict[str, int] = {}  # the last round naming a person
    rounds: list[list[_Part]] = []
    for part, part_locations in zip(parts, locations, strict=True):
        persons = part.submission.person_frame
        keys = set(persons["match_key"].unique()) | (set(persons["bsn"].unique()) - {""})
        index = max(
            [after_location.get(location, 0) for location in part_locations]
            + [from_person.get(key, 0) for key in keys]
        )
        if index == len(rounds):
            rounds.append([])
        rounds[index].append(part)
        after_location.update((location, index + 1) for location in part_locations)
        from_person.update((key, index) for key in keys)
    return rounds


def _apply_together(rounds: list[list[_Part]]) -> bool:
    """Apply the rounds' lists in one transaction, a pass per round; False (and nothing
    changed) when any of them has a problem: they are then applied one by one, so that each
    problem is reported as if the lists had come one by one."""
    try:
        with transaction.atomic():  # a savepoint in the import's transaction, under its lock
            for parts in rounds:
                _apply(parts)
                if any(part.summary.problems for part in parts):
                    raise _Rejected
    except (_Rejected, IntegrityError):
        for parts in rounds:  # counted for nothing: they are applied one by one next
            for part in parts:
                part.summary = ImportSummary(rows=part.summary.rows)
        return False
    return True


def _apply_alone(part: _Part, sent_with: dict[tuple[int, date], str]) -> None:
    """Apply one list of a batch; `sent_with` holds the (location, night) pairs of the
    batch's lists applied before it, each with its file name, and gets this list's."""
    try:
        with transaction.atomic():  # a savepoint in the import's transaction, under its lock
            _apply([part], sent_with)
            if part.summary.problems:
                raise _Rejected
        sent_with.update(dict.fromkeys(part.summary.covered, part.record.filename))
    except IntegrityError:
        # A constraint the checks did not foresee: the list is refused, not the request.
        logger.exception("night list %s refused by a database constraint", part.record.pk)
        part.summary = ImportSummary(
            rows=part.summary.rows, problems=[_problem(None, None, "", REGISTER_CONFLICT)]
        )
    except _Rejected:
        # Rolled back: it counts nothing it did not write (persons matched or created, stays),
        # only its rows and why it was refused.
        part.summary = ImportSummary(
            rows=part.summary.rows,
            problems=part.summary.problems,
            listed_elsewhere=part.summary.listed_elsewhere,
        )


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
            summary.persons_changed,
            summary.occupancy_changed,
        )
    )


class _Rejected(Exception):
    """Rolls back the submission's writes; the problems are in the summary."""


def _apply(parts: list[_Part], sent_with: dict[tuple[int, date], str] | None = None) -> None:
    """Apply the lists' submissions in one pass, within the caller's transaction. Each list's
    counts and problems go in its own summary; the caller rolls back on any problem. A
    conflict with a night in `sent_with` (written by a list of the same batch, by file name)
    is reported as one with that list."""
    location_of = _locations_resolve(parts)  # per part: location code → location id
    if any(part.summary.problems for part in parts):
        return
    # Continuing residents are set aside first, in columns (ADR 0013): what follows works
    # through the others, the persons the lists change something of.
    continuing = continuing_residents([part.submission for part in parts], location_of)
    whole, parts = parts, [_part_rest(part, continuing, index) for index, part in enumerate(parts)]
    person_ids, registration_of = _persons_resolve(parts)
    listed = _Listed.of(parts, person_ids, location_of)
    for index, part in enumerate(parts):
        aside = {pk for pk, _registration in continuing.persons[index].values()}
        part.summary.person_ids = set(person_ids[index]) | aside
        part.summary.persons = len(part.summary.person_ids)

    through_before = writes.locations_through(listed.covered)
    existing = writes.stays_near(
        set(listed.covered),
        set().union(*map(set, person_ids)),
        first=listed.first,
        last=listed.last,
        aside=continuing.stays,
    )
    _conflicts_report(
        conflicts(existing, listed.submitted, listed.covered),
        parts,
        person_ids,
        location_of,
        listed,
        sent_with or {},
    )
    if any(part.summary.problems for part in parts):
        return
    through_after = _through_after(existing, listed.covered, through_before)
    _stays_apply(parts, listed, existing, through_after)
    writes.locations_through_write(
        [
            (location_id, through_after[location_id])
            for location_id in listed.covered
            if through_after[location_id] != through_before.get(location_id)
        ]
    )
    for location_id, _night, level_changed in writes.occupancy_write(listed.occupancy):
        summary = parts[listed.part_of[location_id]].summary
        summary.occupancy_changed += 1
        if level_changed:
            summary.changed_location_ids.add(location_id)
    # The profile counts everyone on the lists, continuing residents too.
    for index, aside in enumerate(continuing.persons):
        for pk, registration in aside.values():
            registration_of[pk] = registration
        if aside:
            rest = iter(person_ids[index])
            person_ids[index] = [
                aside[person][0] if person in aside else next(rest)
                for person in range(whole[index].submission.person_frame.height)
            ]
    writes.profile_write(
        [part.submission for part in whole],
        person_ids,
        location_of,
        registration_of,
        listed.covered,
        through_before,
        through_after,
    )
    # Everyone on a list was read and checked: an entry per list, a span per person on it.
    processing_log_write_each(
        [(_processing(part), sorted(part.summary.person_ids)) for part in parts],
        subject_type="person",
        object_type="stay",
    )


@dataclass
class _Listed:
    """What the lists say: per (person, location) these nights (`submitted`, with the room,
    employer and expected departure last listed: `latest`), and per location exactly these
    nights (`covered`: whoever is not listed on a covered night was not there), with its
    count per night (`occupancy`). Every location belongs to one list (`_rounds`),
    the part (`part_of`) it is counted for."""

    submitted: dict[tuple[int, int], list[Span]]
    latest: dict[tuple[int, int], tuple[str, str, date | None]]
    covered: dict[int, list[Span]]
    occupancy: dict[tuple[int, date], int]
    part_of: dict[int, int]
    first: date
    last: date

    @classmethod
    def of(cls, parts: list[_Part], person_ids, location_of) -> _Listed:
        submitted: dict[tuple[int, int], list[Span]] = defaultdict(list)
        latest: dict[tuple[int, int], tuple[str, str, date | None]] = {}
        covered: dict[int, list[Span]] = defaultdict(list)
        occupancy: dict[tuple[int, date], int] = {}
        part_of: dict[int, int] = {}
        for index, part in enumerate(parts):
            submission, ids, locations = part.submission, person_ids[index], location_of[index]
            for run in submission.runs:
                key = (ids[run.person], locations[run.location_code])
                submitted[key].append((run.check_in, run.check_out))
                latest[key] = (run.room, run.employer_kvk, run.expected_departure)
            for (code, night), persons in submission.occupancy.items():
                covered[locations[code]].append((night, night + ONE_DAY))
                part_of[locations[code]] = index
                occupancy[(locations[code], night)] = persons
            part.summary.nights = submission.nights
            part.summary.location_ids = set(locations.values())
            part.summary.covered = {
                (locations[code], night) for code, night in submission.occupancy
            }
        return cls(
            submitted=submitted,
            latest=latest,
            covered={location_id: merged(spans) for location_id, spans in covered.items()},
            occupancy=occupancy,
            part_of=part_of,
            first=min(night for _location, night in occupancy),
            last=max(night for _location, night in occupancy),
        )


def _through_after(existing, covered, through_before) -> dict[int, date | None]:
    """Every location's last listed night after the lists: moved forward where they list
    later nights, as it was elsewhere."""
    through = {stay.location_id: stay.listed_through for stay in existing}
    for location_id, nights in covered.items():
        last_covered = nights[-1][1] - ONE_DAY
        through[location_id] = max(filter(None, (through_before.get(location_id), last_covered)))
    return through


def _stays_apply(parts: list[_Part], listed: _Listed, existing, through_after) -> None:
    """Replace the stays at the covered locations by what the lists make of them, in the
    canonical shape (ADR 0010: a continuing resident's stay is the same open row before and
    after, so a day without arrivals or departures writes no stay); count per list what
    changed, and whose."""
    touched = [stay for stay in existing if stay.location_id in listed.covered]
    new = stays_replaced(touched, listed.submitted, listed.latest, listed.covered)
    new_rows, elsewhere = canonical(new, existing, listed.covered, through_after)
    old = {stay.as_stored(): stay.pk for stay in touched}
    old_by_part: list[set[StayFacts]] = [set() for _part in parts]
    new_by_part: list[set[StayFacts]] = [set() for _part in parts]
    for interval in old:
        old_by_part[listed.part_of[interval.location_id]].add(interval)
    for interval in new_rows:
        new_by_part[listed.part_of[interval.location_id]].add(interval)
    for part, part_old, part_new in zip(parts, old_by_part, new_by_part, strict=True):
        opened, closed, changed = changes_counted(part_old, part_new)
        part.summary.stays_opened += opened
        part.summary.stays_closed += closed
        part.summary.stays_changed += changed
    for interval in set(old) ^ new_rows:  # removed or added here: the part of its location
        parts[listed.part_of[interval.location_id]].summary.changed_person_ids.add(
            interval.person_id
        )
    person_of = {stay.pk: stay.person_id for stay in existing}
    moved = {person_of[pk] for pk, _check_out in elsewhere}  # closed or reopened elsewhere
    for part in parts:
        part.summary.changed_person_ids |= part.summary.person_ids & moved
    writes.stays_write(
        elsewhere,
        [pk for interval, pk in old.items() if interval not in new_rows],
        [interval for interval in new_rows if interval not in old],
        source_of={
            location_id: parts[index].record.pk for location_id, index in listed.part_of.items()
        },
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
            # The reader has refused these already (it was given the codes); a location
            # removed since it read the list is still not written to.
            part.summary.problems.append(
                _problem(
                    row,
                    part.submission.column_named("location_code"),
                    code,
                    LOCATION_UNKNOWN,
                    code=code,
                )
            )
        resolved.append(locations)
    return resolved


def _persons_resolve(parts: list[_Part]) -> tuple[list[list[int]], dict[int, str]]:
    """Person ids, per part by index in its submission, and the registration of each after
    the lists; new persons are created, and known ones get the BSN and registration the
    lists give (`matching.persons_matched`), and their ID document. Counts per list the persons it created and
    those whose BSN, registration or ID document it changed."""
    values = set()
    for part in parts:
        for person in part.submission.persons:
            values.add(person.match_key)
            if person.bsn:
                values.add(person.bsn)
    known = writes.persons_known(values)
    matched = persons_matched([part.submission.persons for part in parts], known)
    registration_changed = {
        person.pk: matched.registration_of[person.pk]
        for person in known
        if matched.registration_of[person.pk] != person.registration
    }
    document_changed = {
        person.pk: matched.document_of[person.pk]
        for person in known
        if matched.document_of[person.pk] != (person.document_type, person.document_number)
    }
    new = []
    for index, person in enumerate(matched.new):
        columns = {name: getattr(person, name) for name in PERSON_COLUMNS if name != "created_at"}
        columns["bsn"] = matched.bsn_of_new[-index - 1]
        columns["registration"] = matched.registration_of[-index - 1]
        columns["document_type"], columns["document_number"] = matched.document_of[-index - 1]
        new.append(columns)
    created = writes.persons_store(matched.bsn_given, registration_changed, document_changed, new)

    def stored_id(pk: int) -> int:
        return created[-pk - 1] if pk < 0 else pk

    ids = [[stored_id(pk) for pk in part_ids] for part_ids in matched.ids]
    changed = {*registration_changed, *matched.bsn_given, *created}
    for part, part_ids, count, count_changed in zip(
        parts, ids, matched.created, matched.changed, strict=True
    ):
        part.summary.persons_created += count
        part.summary.persons_changed += count_changed
        part.summary.changed_person_ids = set(part_ids) & changed
    return ids, {stored_id(pk): value for pk, value in matched.registration_of.items()}


def _conflicts_report(
    found: list[Conflict], parts, person_ids, location_of, listed, sent_with
) -> None:
    """Every conflict as a problem of the list whose location it names, at the row of the
    person's night there. The other place is named by its code only to the provider it
    belongs to; any other provider learns that the person is listed elsewhere, never where
    or by whom (the municipality sees both places). A night that a list sent in the same
    batch wrote (`sent_with`) is said to be in that list: named by its file for the
    provider it belongs to."""
    code_of = {pk: code for locations in location_of for code, pk in locations.items()}
    own = dict(
        Location.objects.filter(pk__in={conflict.there_id for conflict in found}).values_list(
            "pk", "provider_id"
        )
    )
    for conflict in found:
        index = listed.part_of[conflict.location_id]
        part = parts[index]
        indices = [i for i, pk in enumerate(person_ids[index]) if pk == conflict.person_id]
        person = part.submission.persons[indices[0]]
        here = code_of[conflict.location_id]
        params = {
            "name": f"{person.given_names} {person.family_name}",
            "here": here,
            "night": conflict.night.isoformat(),
        }
        batch_file = sent_with.get((conflict.there_id, conflict.night))
        if own.get(conflict.there_id) != part.provider.pk:
            part.summary.listed_elsewhere.append(
                ListedTwice(
                    person_id=conflict.person_id,
                    name=params["name"],
                    night=conflict.night,
                    here_id=conflict.location_id,
                    there_id=conflict.there_id,
                )
            )
            message = (
                gettext_noop(
                    "%(name)s is already listed at another location on the night of %(night)s, "
                    "so cannot have slept at %(here)s. Check the name and date of birth; the "
                    "municipality can see where."
                )
                if batch_file is None
                else gettext_noop(
                    "%(name)s is listed at another location on the night of %(night)s in "
                    "another list sent with this one, so cannot have slept at %(here)s. Check "
                    "the name and date of birth; the municipality can see where."
                )
            )
        elif batch_file is not None:
            params["there"] = Location.objects.get(pk=conflict.there_id).code
            params["file"] = batch_file
            message = gettext_noop(
                "%(name)s is listed at %(there)s on the night of %(night)s in %(file)s, sent "
                "with this list, so cannot have slept at %(here)s."
            )
        else:
            params["there"] = (
                code_of.get(conflict.there_id) or Location.objects.get(pk=conflict.there_id).code
            )
            message = (
                gettext_noop(
                    "%(name)s is listed at %(here)s and at %(there)s on the night of %(night)s."
                )
                if conflict.listed
                else gettext_noop(
                    "%(name)s already stayed at %(there)s on the night of %(night)s, "
                    "so cannot have slept at %(here)s."
                )
            )
        part.summary.problems.append(
            _problem(
                part.submission.row_at(indices, conflict.night, here),
                part.submission.column_named("location_code"),
                here,
                message,
                **params,
            )
        )
