"""Writes of the night register: applying a night list to stays and occupancy.

Semantics: for every (location, night) in a submission, the listed persons are exactly who
slept there; nights not in the submission are untouched. So the same file twice changes
nothing (and says so), and a corrected night replaces the old one. The whole submission is
applied or none of it, and every problem is reported with row, column and value.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from welkom.core.bulk import rows_insert
from welkom.housing.models import Location
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.countries import nationality_group
from welkom.register.models import NightListImport, Occupancy, OccupancyProfile, Person, Stay
from welkom.register.night_lists import Problem
from welkom.register.rules import gettext_noop
from welkom.register.services.signals import signals_refresh
from welkom.register.submissions import Submission, submission_read

NIGHT_REGISTER = "night-register"
ONE_DAY = timedelta(days=1)
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
    person_ids: set[int] = field(default_factory=set)
    location_ids: set[int] = field(default_factory=set)
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
        }


@dataclass(frozen=True)
class _Interval:
    person_id: int
    location_id: int
    check_in: date
    check_out: date
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


def night_list_import(
    *,
    provider,
    data: bytes,
    filename: str,
    source: str,
    submitted_by=None,
    today: date | None = None,
    refresh_signals: bool = True,
) -> tuple[NightListImport, ImportSummary]:
    """Read, check and apply a provider's night list; one transaction, one tracked import.

    The import record and the raw file are kept whatever the outcome, for audit, until
    retention removes them; the stays change only when the whole list is accepted. The
    signals of the list's persons and locations are refreshed at once, unless the caller
    refreshes them itself (`night_lists_import`, for several lists).
    """
    today = today or timezone.localdate()
    record = NightListImport(
        provider=provider,
        submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
        source=source,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        status=NightListImport.Status.REJECTED,
    )
    record.raw.save(
        f"{record.sha256[:16]}-{filename.rsplit('/', 1)[-1][-80:]}", ContentFile(data), save=False
    )
    record.save()
    submission, problems = submission_read(data, filename=filename, today=today)
    summary = ImportSummary(rows=submission.rows if submission else 0, problems=problems)
    if submission is not None:
        try:
            with transaction.atomic():
                _apply(
                    provider=provider,
                    submission=submission,
                    summary=summary,
                    record=record,
                    submitted_by=submitted_by,
                )
                if summary.problems:
                    raise _Rejected
                # The people and places of this list get their signals now, not tomorrow.
                if refresh_signals and _changed(summary):
                    signals_refresh(
                        on=today,
                        person_ids=sorted(summary.person_ids),
                        location_ids=sorted(summary.location_ids),
                    )
        except _Rejected:
            pass
    if summary.problems:
        record.status = NightListImport.Status.REJECTED
    elif _changed(summary):
        record.status = NightListImport.Status.APPLIED
    else:
        record.status = NightListImport.Status.UNCHANGED
    record.counts = summary.as_dict()
    record.problems = _problems_as_json(summary.problems)
    record.save(update_fields=["status", "counts", "problems"])
    return record, summary


def night_lists_import(
    lists: Iterable[tuple[object, bytes, str]],
    *,
    source: str,
    submitted_by=None,
    today: date | None = None,
    after_each: Callable[[NightListImport, ImportSummary], None] | None = None,
) -> list[tuple[NightListImport, ImportSummary]]:
    """Several night lists, each (provider, data, filename) its own submission as in
    `night_list_import`, with the signals refreshed once at the end for all the persons and
    locations that changed: a month sent as daily files, or many providers' files at once."""
    today = today or timezone.localdate()
    results = []
    person_ids: set[int] = set()
    location_ids: set[int] = set()
    for provider, data, filename in lists:
        record, summary = night_list_import(
            provider=provider,
            data=data,
            filename=filename,
            source=source,
            submitted_by=submitted_by,
            today=today,
            refresh_signals=False,
        )
        if record.status == NightListImport.Status.APPLIED:
            person_ids |= summary.person_ids
            location_ids |= summary.location_ids
        results.append((record, summary))
        if after_each is not None:  # progress for a long batch
            after_each(record, summary)
    if len(person_ids) > EVERYONE_FROM:
        # Most of the register changed: refreshing everyone's signals reads the same rows
        # without lists of a hundred thousand ids in every query.
        signals_refresh(on=today)
    elif person_ids or location_ids:
        signals_refresh(on=today, person_ids=sorted(person_ids), location_ids=sorted(location_ids))
    return results


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


def _apply(*, provider, submission: Submission, summary: ImportSummary, record, submitted_by):
    locations = {loc.code: loc for loc in Location.objects.filter(provider=provider)}
    unknown: dict[str, int] = {}
    for run in submission.runs:
        if run.location_code not in locations:
            unknown[run.location_code] = min(run.row, unknown.get(run.location_code, run.row))
    for code, row in sorted(unknown.items(), key=lambda item: item[1]):
        summary.problems.append(
            _problem(
                row,
                "location_code",
                code,
                gettext_noop("Location code %(code)s is not one of your locations."),
                code=code,
            )
        )
    if summary.problems:
        return

    person_ids = _persons_resolve(submission, summary=summary)
    if summary.problems:
        return

    # What the submission says: per (person, location) these nights, and per location
    # exactly these nights covered (whoever is not listed on a covered night was not there).
    submitted: dict[tuple[int, int], list[Span]] = defaultdict(list)
    latest: dict[tuple[int, int], tuple[str, str, date | None]] = {}
    for run in submission.runs:
        key = (person_ids[run.person], locations[run.location_code].pk)
        submitted[key].append((run.check_in, run.check_out))
        latest[key] = (run.room, run.employer_kvk, run.expected_departure)
    covered_nights: dict[int, list[Span]] = defaultdict(list)
    for code, night in submission.occupancy:
        covered_nights[locations[code].pk].append((night, night + ONE_DAY))
    covered = {location_id: _merged(spans) for location_id, spans in covered_nights.items()}
    summary.nights = submission.nights
    summary.persons = len(set(person_ids))
    first = min(night for _code, night in submission.occupancy)
    last = max(night for _code, night in submission.occupancy)
    location_ids = set(covered)
    persons_listed = set(person_ids)

    # The stays that the submission can touch: at its locations, or of its persons, near its nights.
    existing = list(
        Stay.internal.filter(check_in__lte=last + ONE_DAY, check_out__gte=first)
        .filter(Q(location_id__in=location_ids) | Q(person_id__in=persons_listed))
        .select_related("location__provider")
    )
    _conflicts_check(existing, submitted, covered, submission, person_ids, locations, summary)
    if summary.problems:
        return

    # Keep the nights of existing stays that the submission does not cover; add what it lists.
    touched_old = [s for s in existing if s.location_id in location_ids]
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

    old = {
        _Interval(
            s.person_id,
            s.location_id,
            s.check_in,
            s.check_out,
            s.room,
            s.employer_kvk,
            s.expected_departure,
        ): s.pk
        for s in touched_old
    }
    _count_changes(set(old), new, summary)
    if set(old) != new:
        Stay.internal.filter(
            pk__in=[pk for interval, pk in old.items() if interval not in new]
        ).delete()
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
                    record.pk,
                )
                for i in new
                if i not in old
            ],
        )

    summary.occupancy_changed = _occupancy_write(
        {
            (locations[code].pk, night): count
            for (code, night), count in submission.occupancy.items()
        }
    )
    _profile_write(submission, person_ids, locations)
    summary.person_ids, summary.location_ids = persons_listed, location_ids
    processing_log_write(
        processing=Processing.by(
            submitted_by, activity=NIGHT_REGISTER, action=Entry.Action.UPDATE, organisation=provider
        )
        if getattr(submitted_by, "is_authenticated", False)
        else Processing(activity=NIGHT_REGISTER, action=Entry.Action.UPDATE, organisation=provider),
        subject_type="person",
        subject_ids=sorted(persons_listed),
        object_type="stay",
    )


def _persons_resolve(submission: Submission, *, summary: ImportSummary) -> list[int]:
    """Person ids, by index in the submission: found by BSN when the list gives one, else by
    normalised name, birth date and nationality; created when not found."""
    listed = submission.persons
    by_bsn = {p.bsn for p in listed if p.bsn}
    match_keys = {p.match_key for p in listed}
    known = Person.internal.filter(Q(bsn__in=by_bsn) | Q(match_key__in=match_keys)).values_list(
        "pk", "bsn", "match_key", "registration"
    )
    found_by_bsn: dict[str, int] = {}
    by_match_key: dict[str, list[int]] = defaultdict(list)
    registration_of: dict[int, str] = {}
    for pk, bsn, match_key, registration in known:
        if bsn:
            found_by_bsn[bsn] = pk
        by_match_key[match_key].append(pk)
        registration_of[pk] = registration
    ids: list[int | None] = [None] * len(listed)
    to_create: list[tuple[int, Person]] = []
    for index, person in enumerate(listed):
        if person.bsn and person.bsn in found_by_bsn:
            ids[index] = found_by_bsn[person.bsn]
            continue
        candidates = by_match_key.get(person.match_key, [])
        if person.bsn and candidates:
            # A BSN now, for a person known by name only: the same person, who got a BSN.
            ids[index] = candidates[0]
            Person.internal.filter(pk=candidates[0], bsn="").update(bsn=person.bsn)
        elif not person.bsn and candidates:
            ids[index] = candidates[0]
        else:
            to_create.append(
                (
                    index,
                    Person(
                        family_name=person.family_name,
                        given_names=person.given_names,
                        date_of_birth=person.date_of_birth,
                        nationality=person.nationality,
                        home_place=person.home_place,
                        home_country=person.home_country,
                        document_type=person.document_type,
                        document_number=person.document_number,
                        bsn=person.bsn,
                        registration=person.registration or "unknown",
                        match_key=person.match_key,
                    ),
                )
            )
    _persons_create(to_create, ids)
    summary.persons_created = len(to_create)
    by_registration: dict[str, list[int]] = defaultdict(list)
    for index, person in enumerate(listed):
        pk = ids[index]
        if (
            person.registration
            and pk in registration_of
            and registration_of[pk] != person.registration
        ):
            by_registration[person.registration].append(pk)
    for registration, pks in by_registration.items():
        Person.internal.filter(pk__in=pks).update(registration=registration)
    return ids


def _persons_create(to_create: list[tuple[int, Person]], ids: list[int | None]) -> None:
    if connection.vendor == "postgresql":
        now = timezone.now()
        pks = rows_insert(
            Person,
            PERSON_COLUMNS,
            [
                tuple(now if name == "created_at" else getattr(p, name) for name in PERSON_COLUMNS)
                for _index, p in to_create
            ],
            returning="id",
        )
    else:  # SQLite returns the new ids from bulk_create
        pks = [
            p.pk for p in Person.internal.bulk_create([p for _i, p in to_create], batch_size=2000)
        ]
    for (index, _person), pk in zip(to_create, pks, strict=True):
        ids[index] = pk


def _conflicts_check(existing, submitted, covered, submission, person_ids, locations, summary):
    """Nobody in two places on one night: not within the list, not against other lists."""
    code_of = {loc.pk: code for code, loc in locations.items()}
    indices_of: dict[int, list[int]] = defaultdict(list)  # two listed persons may be one person
    for index, pk in enumerate(person_ids):
        indices_of[pk].append(index)
    listed = submission.persons
    spans_of: dict[int, list[tuple[Span, int]]] = defaultdict(list)  # person → (span, location)
    for (person_id, location_id), spans in submitted.items():
        for span in spans:
            spans_of[person_id].append((span, location_id))
    for person_id, spans in spans_of.items():
        spans.sort()
        reach: tuple[Span, int] | None = None  # the span reaching furthest so far
        for span, location_id in spans:
            night = _first_common_night(reach[0], span) if reach else None
            if night is not None and reach[1] != location_id:
                person = listed[indices_of[person_id][0]]
                here = code_of[location_id]
                summary.problems.append(
                    _problem(
                        submission.row_at(indices_of[person_id], night, here),
                        "location_code",
                        here,
                        gettext_noop(
                            "%(name)s is listed at %(here)s and at %(there)s on the night of %(night)s."
                        ),
                        name=f"{person.given_names} {person.family_name}",
                        here=here,
                        there=code_of[reach[1]],
                        night=night.isoformat(),
                    )
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
            person = listed[indices_of[stay.person_id][0]]
            here = code_of[location_id]
            place = (
                stay.location.code
                if stay.location.provider_id == locations[here].provider_id
                else f"{stay.location.street} {stay.location.number}, {stay.location.municipality}"
            )
            summary.problems.append(
                _problem(
                    submission.row_at(indices_of[stay.person_id], night, here),
                    "location_code",
                    here,
                    gettext_noop(
                        "%(name)s already stayed at %(there)s on the night of %(night)s, "
                        "so cannot have slept at %(here)s."
                    ),
                    name=f"{person.given_names} {person.family_name}",
                    here=here,
                    there=place,
                    night=night.isoformat(),
                )
            )
            break


def _count_changes(old: set[_Interval], new: set[_Interval], summary: ImportSummary) -> None:
    """A new stay overlapping a removed one of the same person and place is a change."""

    def overlaps(a: _Interval, b: _Interval) -> bool:
        return a.check_in < b.check_out and b.check_in < a.check_out

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
        if any(overlaps(interval, r) for r in others):
            summary.stays_changed += 1
        else:
            summary.stays_opened += 1
    for interval in removed:
        others = added_by_key.get((interval.person_id, interval.location_id), ())
        if not any(overlaps(interval, a) for a in others):
            summary.stays_closed += 1


def _profile_write(submission: Submission, person_ids: list[int], locations: dict) -> None:
    """Replace the occupancy profile of every (location, night) the list covers: persons by
    registration (as stored, after this import) and nationality group."""
    registration = dict(
        Person.internal.filter(pk__in=set(person_ids)).values_list("pk", "registration")
    )
    group = [nationality_group(p.nationality) for p in submission.persons]
    counts: Counter[tuple[int, date, str, str]] = Counter()
    for run in submission.runs:
        location_id = locations[run.location_code].pk
        kind = (registration[person_ids[run.person]], group[run.person])
        for ordinal in range(run.check_in.toordinal(), run.check_out.toordinal()):
            counts[(location_id, date.fromordinal(ordinal), *kind)] += 1
    nights_by_location: dict[int, list[date]] = defaultdict(list)
    for code, night in submission.occupancy:
        nights_by_location[locations[code].pk].append(night)
    for location_id, nights in nights_by_location.items():
        OccupancyProfile.objects.filter(location_id=location_id, night__in=nights).delete()
    rows_insert(
        OccupancyProfile,
        ("location", "night", "registration", "nationality_group", "persons"),
        [(*key, persons) for key, persons in counts.items()],
    )


def _occupancy_write(counts: dict[tuple[int, date], int]) -> int:
    """Persons per (location, night) for the nights the list covers; returns rows changed."""
    nights = [night for _location, night in counts]
    existing = {
        (o.location_id, o.night): o
        for o in Occupancy.objects.filter(
            location_id__in={location for location, _night in counts},
            night__gte=min(nights),
            night__lte=max(nights),
        )
    }
    changed, created = [], []
    for key, persons in counts.items():
        occupancy = existing.get(key)
        if occupancy is None:
            created.append((key[0], key[1], persons))
        elif occupancy.persons != persons:
            occupancy.persons = persons
            changed.append(occupancy)
    Occupancy.objects.bulk_update(changed, ["persons"], batch_size=5000)
    rows_insert(Occupancy, ("location", "night", "persons"), created)
    return len(changed) + len(created)
