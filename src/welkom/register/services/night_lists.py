"""Writes of the night register: applying a night list to stays and occupancy.

Semantics: for every (location, night) in a submission, the listed persons are exactly who
slept there; nights not in the submission are untouched. So the same file twice changes
nothing (and says so), and a corrected night replaces the old one. The whole submission is
applied or none of it, and every problem is reported with row, column and value.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from welkom.housing.models import Location
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.matching import person_match_key
from welkom.register.models import NightListImport, Occupancy, Person, Stay
from welkom.register.night_lists import NightRow, Problem, night_list_read
from welkom.register.rules import gettext_noop
from welkom.register.services.signals import signals_refresh

NIGHT_REGISTER = "night-register"
ONE_DAY = timedelta(days=1)


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

    def nights(self) -> Iterable[date]:
        night = self.check_in
        while night < self.check_out:
            yield night
            night += ONE_DAY


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


def _runs(nights: list[date]) -> list[tuple[date, date]]:
    """Sorted nights → [check_in, check_out) intervals of consecutive nights."""
    runs: list[tuple[date, date]] = []
    for night in sorted(set(nights)):
        if runs and runs[-1][1] == night:
            runs[-1] = (runs[-1][0], night + ONE_DAY)
        else:
            runs.append((night, night + ONE_DAY))
    return runs


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
    retention removes them; the stays change only when the whole list is accepted.
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
    night_list = night_list_read(data, filename=filename, today=today)
    summary = ImportSummary(rows=len(night_list.rows), problems=list(night_list.problems))
    if not summary.problems:
        try:
            with transaction.atomic():
                _apply(
                    provider=provider,
                    rows=night_list.rows,
                    summary=summary,
                    record=record,
                    submitted_by=submitted_by,
                )
                if summary.problems:
                    raise _Rejected
                # The people and places of this list get their signals now, not tomorrow.
                signals_refresh(
                    on=today,
                    person_ids=sorted(summary.person_ids),
                    location_ids=sorted(summary.location_ids),
                )
        except _Rejected:
            pass
    if summary.problems:
        record.status = NightListImport.Status.REJECTED
    elif any(
        (
            summary.stays_opened,
            summary.stays_closed,
            summary.stays_changed,
            summary.persons_created,
            summary.occupancy_changed,
        )
    ):
        record.status = NightListImport.Status.APPLIED
    else:
        record.status = NightListImport.Status.UNCHANGED
    record.counts = summary.as_dict()
    record.problems = _problems_as_json(summary.problems)
    record.save(update_fields=["status", "counts", "problems"])
    return record, summary


class _Rejected(Exception):
    """Rolls back the submission's writes; the problems are in the summary."""


def _apply(*, provider, rows: list[NightRow], summary: ImportSummary, record, submitted_by) -> None:
    locations = {loc.code: loc for loc in Location.objects.filter(provider=provider)}
    for row in rows:
        if row.location_code not in locations:
            summary.problems.append(
                _problem(
                    row.row,
                    "location_code",
                    row.location_code,
                    gettext_noop("Location code %(code)s is not one of your locations."),
                    code=row.location_code,
                )
            )
    if summary.problems:
        return

    persons = _persons_resolve(rows, provider=provider, summary=summary, submitted_by=submitted_by)
    if summary.problems:
        return

    # What the submission says: per (location, night) exactly these persons.
    submitted: dict[tuple[int, int], set[date]] = defaultdict(set)  # (person, location) → nights
    latest_row: dict[tuple[int, int], NightRow] = {}
    covered: set[tuple[int, date]] = set()  # (location, night)
    for row in rows:
        location_id = locations[row.location_code].pk
        person_id = persons[_key(row)]
        submitted[(person_id, location_id)].add(row.night)
        covered.add((location_id, row.night))
        previous = latest_row.get((person_id, location_id))
        if previous is None or previous.night <= row.night:
            latest_row[(person_id, location_id)] = row
    summary.nights = len({night for _loc, night in covered})
    summary.persons = len(set(persons.values()))
    first = min(night for _loc, night in covered)
    last = max(night for _loc, night in covered)
    location_ids = {loc for loc, _night in covered}
    person_ids = set(persons.values())

    # The stays that the submission can touch: at its locations, or of its persons, near its nights.
    existing = list(
        Stay.internal.filter(check_in__lte=last + ONE_DAY, check_out__gte=first)
        .filter(Q(location_id__in=location_ids) | Q(person_id__in=person_ids))
        .select_related("location__provider")
    )
    _conflicts_check(existing, submitted, covered, rows, locations, persons, summary)
    if summary.problems:
        return

    # Keep the nights of existing stays that the submission does not cover; add what it lists.
    kept: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    touched_old = [s for s in existing if s.location_id in location_ids]
    for stay in touched_old:
        nights = [
            n
            for n in _Interval(
                stay.person_id, stay.location_id, stay.check_in, stay.check_out
            ).nights()
            if (stay.location_id, n) not in covered
        ]
        for check_in, check_out in _runs(nights):
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
        row = latest_row.get(key)
        old_nights = [n for interval in kept.get(key, []) for n in interval.nights()]
        for check_in, check_out in _runs(old_nights + sorted(submitted.get(key, ()))):
            source_old = next(
                (i for i in kept.get(key, []) if i.check_in <= check_in < i.check_out), None
            )
            if row is not None and any(check_in <= n < check_out for n in submitted.get(key, ())):
                attributes = (row.room, row.employer_kvk, row.expected_departure)
            elif source_old is not None:
                attributes = (
                    source_old.room,
                    source_old.employer_kvk,
                    source_old.expected_departure,
                )
            else:
                attributes = ("", "", None)
            new.add(_Interval(person_id, location_id, check_in, check_out, *attributes))

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
        Stay.internal.bulk_create(
            [
                Stay(
                    person_id=i.person_id,
                    location_id=i.location_id,
                    check_in=i.check_in,
                    check_out=i.check_out,
                    room=i.room,
                    employer_kvk=i.employer_kvk,
                    expected_departure=i.expected_departure,
                    source=record,
                )
                for i in new
                if i not in old
            ],
            batch_size=5000,
        )

    summary.occupancy_changed = _occupancy_write(covered, submitted)
    summary.person_ids, summary.location_ids = person_ids, location_ids
    processing_log_write(
        processing=Processing.by(
            submitted_by, activity=NIGHT_REGISTER, action=Entry.Action.UPDATE, organisation=provider
        )
        if getattr(submitted_by, "is_authenticated", False)
        else Processing(activity=NIGHT_REGISTER, action=Entry.Action.UPDATE, organisation=provider),
        subject_type="person",
        subject_ids=sorted(person_ids),
        object_type="stay",
    )


def _key(row: NightRow) -> str:
    return row.bsn or person_match_key(
        family_name=row.family_name,
        given_names=row.given_names,
        date_of_birth=row.date_of_birth,
        nationality=row.nationality,
    )


def _persons_resolve(rows, *, provider, summary, submitted_by) -> dict[str, int]:
    """Person ids by match key: BSN when given, else normalised name, birth date, nationality."""
    latest: dict[str, NightRow] = {}  # for the registration status: the newest night counts
    first: dict[str, NightRow] = {}  # for a new person: the spelling of the first row
    for row in rows:
        key = _key(row)
        first.setdefault(key, row)
        if key not in latest or latest[key].night <= row.night:
            latest[key] = row
    by_bsn = {r.bsn for r in latest.values() if r.bsn}
    match_keys = {
        person_match_key(
            family_name=r.family_name,
            given_names=r.given_names,
            date_of_birth=r.date_of_birth,
            nationality=r.nationality,
        )
        for r in latest.values()
    }
    found: dict[str, int] = {}
    known = Person.internal.filter(Q(bsn__in=by_bsn) | Q(match_key__in=match_keys)).values_list(
        "pk", "bsn", "match_key"
    )
    by_match_key: dict[str, list[int]] = defaultdict(list)
    for pk, bsn, match_key in known:
        if bsn:
            found[bsn] = pk
        by_match_key[match_key].append(pk)
    to_create = []
    for key, row in first.items():
        if key in found:
            continue
        match_key = person_match_key(
            family_name=row.family_name,
            given_names=row.given_names,
            date_of_birth=row.date_of_birth,
            nationality=row.nationality,
        )
        candidates = by_match_key.get(match_key, [])
        if row.bsn and candidates:
            # A BSN now, for a person known by name only: the same person, who got a BSN.
            found[key] = candidates[0]
            Person.internal.filter(pk=candidates[0], bsn="").update(bsn=row.bsn)
        elif not row.bsn and candidates:
            found[key] = candidates[0]
        else:
            to_create.append(
                (
                    key,
                    Person(
                        family_name=row.family_name,
                        given_names=row.given_names,
                        date_of_birth=row.date_of_birth,
                        nationality=row.nationality,
                        home_place=row.home_place,
                        home_country=row.home_country,
                        document_type=row.document_type,
                        document_number=row.document_number,
                        bsn=row.bsn,
                        registration=latest[key].registration or "unknown",
                        match_key=match_key,
                    ),
                )
            )
    created = Person.internal.bulk_create([person for _key, person in to_create], batch_size=5000)
    if created and created[0].pk is None:  # backends that do not return ids on bulk insert
        keys = {p.match_key for p in created}
        ids = dict(Person.internal.filter(match_key__in=keys).values_list("match_key", "pk"))
        for key, person in to_create:
            found[key] = ids[person.match_key]
    else:
        for (key, _person), person in zip(to_create, created, strict=True):
            found[key] = person.pk
    summary.persons_created = len(created)
    created_keys = {key for key, _person in to_create}
    by_registration: dict[str, list[int]] = defaultdict(list)
    for key, row in latest.items():
        if row.registration and key not in created_keys:
            by_registration[row.registration].append(found[key])
    for registration, ids in by_registration.items():
        Person.internal.filter(pk__in=ids).exclude(registration=registration).update(
            registration=registration
        )
    return found


def _conflicts_check(existing, submitted, covered, rows, locations, persons, summary) -> None:
    """Nobody in two places on one night: not within the file, not against other lists."""
    code_of = {loc.pk: code for code, loc in locations.items()}
    row_of: dict[tuple[int, date], NightRow] = {}
    for row in rows:
        row_of[(persons[_key(row)], row.night)] = row
    at: dict[tuple[int, date], int] = {}
    for (person_id, location_id), nights in submitted.items():
        for night in nights:
            other = at.setdefault((person_id, night), location_id)
            if other != location_id:
                row = row_of[(person_id, night)]
                summary.problems.append(
                    _problem(
                        row.row,
                        "location_code",
                        row.location_code,
                        gettext_noop(
                            "%(name)s is listed at %(here)s and at %(there)s on the night of %(night)s."
                        ),
                        name=f"{row.given_names} {row.family_name}",
                        here=code_of[location_id],
                        there=code_of[other],
                        night=night.isoformat(),
                    )
                )
    for stay in existing:
        for night in _Interval(
            stay.person_id, stay.location_id, stay.check_in, stay.check_out
        ).nights():
            if (stay.location_id, night) in covered:
                continue  # replaced by this submission
            listed_at = at.get((stay.person_id, night))
            if listed_at is not None and listed_at != stay.location_id:
                row = row_of[(stay.person_id, night)]
                place = (
                    stay.location.code
                    if stay.location.provider_id == locations[row.location_code].provider_id
                    else f"{stay.location.street} {stay.location.number}, {stay.location.municipality}"
                )
                summary.problems.append(
                    _problem(
                        row.row,
                        "location_code",
                        row.location_code,
                        gettext_noop(
                            "%(name)s already stayed at %(there)s on the night of %(night)s, "
                            "so cannot have slept at %(here)s."
                        ),
                        name=f"{row.given_names} {row.family_name}",
                        here=row.location_code,
                        there=place,
                        night=night.isoformat(),
                    )
                )
                break


def _count_changes(old: set[_Interval], new: set[_Interval], summary: ImportSummary) -> None:
    def overlaps(a: _Interval, b: _Interval) -> bool:
        return (
            (a.person_id, a.location_id) == (b.person_id, b.location_id)
            and a.check_in < b.check_out
            and b.check_in < a.check_out
        )

    added = new - old
    removed = old - new
    removed_by_key: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    added_by_key: dict[tuple[int, int], list[_Interval]] = defaultdict(list)
    for interval in removed:
        removed_by_key[(interval.person_id, interval.location_id)].append(interval)
    for interval in added:
        added_by_key[(interval.person_id, interval.location_id)].append(interval)
    for interval in added:
        others = removed_by_key[(interval.person_id, interval.location_id)]
        if any(overlaps(interval, r) for r in others):
            summary.stays_changed += 1
        else:
            summary.stays_opened += 1
    for interval in removed:
        others = added_by_key[(interval.person_id, interval.location_id)]
        if not any(overlaps(interval, a) for a in others):
            summary.stays_closed += 1


def _occupancy_write(covered: set[tuple[int, date]], submitted) -> int:
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for (_person_id, location_id), nights in submitted.items():
        for night in nights:
            counts[(location_id, night)] += 1
    existing = {
        (o.location_id, o.night): o
        for o in Occupancy.objects.filter(
            location_id__in={loc for loc, _n in covered},
            night__gte=min(n for _l, n in covered),
            night__lte=max(n for _l, n in covered),
        )
    }
    changed, created = [], []
    for key in covered:
        if key in existing:
            if existing[key].persons != counts[key]:
                existing[key].persons = counts[key]
                changed.append(existing[key])
        else:
            created.append(Occupancy(location_id=key[0], night=key[1], persons=counts[key]))
    Occupancy.objects.bulk_update(changed, ["persons"], batch_size=5000)
    Occupancy.objects.bulk_create(created, batch_size=5000)
    return len(changed) + len(created)
