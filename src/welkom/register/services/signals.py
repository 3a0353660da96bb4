"""Signals: the registration findings and overcrowding, kept as things people act on."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from welkom.housing.models import Location
from welkom.housing.selectors import effective_capacities
from welkom.lib.bulk import ids_table, in_table, rows_insert, rows_update
from welkom.lib.locks import serialised
from welkom.organisations.selectors import processing_by
from welkom.places.models import Municipality
from welkom.processing_log.models import Entry
from welkom.processing_log.services import Processing, processing_log_write
from welkom.register.models import Occupancy, Signal, Stay
from welkom.register.selectors import findings_by_person

SIGNALLING = "brp-registration-signalling"
OVER_CAPACITY = "over-capacity"
# A signal of something that happened (a list refused because it named someone staying
# elsewhere), not of a finding: made once when it happens, closed by people, never by a
# refresh.
LISTED_TWICE = "listed-twice"
EVENT_RULES = (LISTED_TWICE,)
OVER_CAPACITY_LOOKBACK_DAYS = 30
# One refresh (or listed-twice report) at a time: two at once would open the same signal.
REFRESH_LOCK = "register.signals.refresh"


@dataclass(slots=True)
class _Found:
    """A signal as today's findings say it should be: the columns `signals_refresh` writes
    for a new one (a `Signal` object each would cost more than the rules themselves)."""

    key: str
    rule: str
    source: str
    since: date
    explanation: str
    parameters: dict
    first_seen: date
    last_seen: date
    municipality_id: int | None
    person_id: int | None = None
    location_id: int | None = None
    employer_kvk: str = ""
    deadline: date | None = None
    overdue: bool = False
    status: str = Signal.Status.OPEN.value
    status_reason: str = ""

    def row(self) -> tuple:
        return tuple(
            json.dumps(self.parameters) if name == "parameters" else getattr(self, name)
            for name in _FOUND_COLUMNS
        )


_FOUND_COLUMNS = tuple(_Found.__dataclass_fields__)
# For the apps above the register that add findings of their own (`signal_finder_add`).
SignalFound = _Found
_Finder = Callable[[date, list[int] | None, list[int] | None], Iterable[_Found]]
_FINDERS: list[_Finder] = []


def signal_finder_add(rule: str, label, find: _Finder) -> None:
    """Let an app above the register add a kind of signal: `find(on, person_ids,
    location_ids)` gives the signals its rule finds on a date, and the refresh opens, keeps
    and closes them with the register's own. With `person_ids` given (a refresh after an
    import) it gives only the signals of those persons, and of those locations for a
    signal about a location and no person: the refresh compares exactly that scope.
    Called from the app's `ready()`; the register imports no app above it."""
    Signal.RULE_LABELS[rule] = label
    if find not in _FINDERS:
        _FINDERS.append(find)


# A stored signal as a refresh reads it: pk, status, (deadline, overdue, parameters), person
# id, location id.
_Stored = tuple[int, str, tuple[date | None, bool, dict], int | None, int | None]


@dataclass
class RefreshSummary:
    opened: int = 0
    updated: int = 0
    resolved: int = 0
    # (person id, location id) of each signal opened or resolved, so that an import can say
    # which of its persons and locations got a signal or lost one.
    opened_for: list[tuple[int | None, int | None]] = field(default_factory=list)
    resolved_for: list[tuple[int | None, int | None]] = field(default_factory=list)


@transaction.atomic
def signals_refresh(
    *,
    on: date,
    person_ids: list[int] | None = None,
    location_ids: list[int] | None = None,
    wait: float | None = None,
) -> RefreshSummary:
    """Make the open signals match today's findings; safe to run as often as wanted.

    A new finding opens a signal; a finding that no longer holds closes its open signal as
    done; a signal that people closed or dismissed stays as they left it. With `person_ids`
    and `location_ids` only those persons' and locations' signals are refreshed (after an
    import); without, everyone's (the daily run). One refresh at a time: two at once (an
    import and the daily run) would both open the same new signal; with `wait` (seconds, as
    an import gives), `lib.locks.Busy` after waiting that long for the other.
    """
    serialised(REFRESH_LOCK, wait=wait)
    found = _registration_found(on, person_ids)
    for signal in _over_capacity(on, location_ids=location_ids):
        found[signal.key] = signal
    for find in _FINDERS:
        for signal in find(on, person_ids, location_ids):
            found[signal.key] = signal

    existing = _stored_signals(person_ids, location_ids)
    summary = RefreshSummary()
    new = [signal for key, signal in found.items() if key not in existing]
    rows_insert(Signal, _FOUND_COLUMNS, [signal.row() for signal in new])
    summary.opened = len(new)
    summary.opened_for = [(signal.person_id, signal.location_id) for signal in new]
    summary.updated, changed_persons = _changed_write(existing, found, on=on)
    summary.resolved, summary.resolved_for = _gone_resolve(existing, found)
    processing_log_write(
        processing=Processing.system(activity=SIGNALLING, action=Entry.Action.UPDATE),
        subject_type="person",
        subject_ids=sorted(({s.person_id for s in new} | changed_persons) - {None}),
        object_type="signal",
    )
    return summary


def _registration_found(on: date, person_ids: list[int] | None) -> dict[str, _Found]:
    """The signals the registration findings of these persons (None: everyone) say, by key."""
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    found: dict[str, _Found] = {}
    evaluated = findings_by_person(on=on, person_ids=person_ids)
    employer_of = _latest_employer(None if person_ids is None else list(evaluated))
    for person_id, (_facts, findings) in evaluated.items():
        for finding in findings:
            key = f"{finding.rule}:P{person_id}:{finding.since.isoformat()}"
            location_id = finding.stays[-1].location_id if finding.stays else None
            found[key] = _Found(
                key=key,
                rule=finding.rule,
                source=finding.source,
                person_id=person_id,
                location_id=location_id,
                municipality_id=municipality_ids.get(finding.municipality_code),
                employer_kvk=employer_of.get(person_id, ""),
                since=finding.since,
                deadline=finding.deadline,
                overdue=finding.overdue,
                explanation=finding.explanation,
                parameters=finding.parameters,
                first_seen=on,
                last_seen=on,
            )
    return found


def _stored_signals(
    person_ids: list[int] | None, location_ids: list[int] | None
) -> dict[str, _Stored]:
    """The stored signals in the refresh's scope, by key."""
    if person_ids is None:
        scope = Signal.internal.all()
    else:
        scope = Signal.internal.filter(
            Q(person_id__in=person_ids) | Q(person__isnull=True, location_id__in=location_ids or [])
        )
    scope = scope.exclude(rule__in=EVENT_RULES)
    # Plain rows, not objects: the daily run reads every signal (a hundred thousand).
    return {
        key: (pk, status, (deadline, overdue, parameters), person_id, location_id)
        for key, pk, status, deadline, overdue, parameters, person_id, location_id in (
            scope.values_list(
                "key",
                "pk",
                "status",
                "deadline",
                "overdue",
                "parameters",
                "person_id",
                "location_id",
            ).iterator(chunk_size=10_000)
        )
    }


def _changed_write(
    existing: dict[str, _Stored], found: dict[str, _Found], *, on: date
) -> tuple[int, set[int | None]]:
    """Store the new deadline, overdue and parameters of the signals found again whose
    findings changed: how many, and their persons."""
    changed = []  # (pk, deadline, overdue, parameters, last_seen)
    changed_persons = set()
    for key, (pk, _status, current, person_id, _location_id) in existing.items():
        fresh = found.get(key)
        # An unchanged signal is not written again: a daily rewrite of every row is costly.
        if fresh is not None and current != (fresh.deadline, fresh.overdue, fresh.parameters):
            changed.append((pk, fresh.deadline, fresh.overdue, json.dumps(fresh.parameters), on))
            changed_persons.add(person_id)
    rows_update(Signal, ["deadline", "overdue", "parameters", "last_seen"], changed)
    return len(changed), changed_persons


def _gone_resolve(
    existing: dict[str, _Stored], found: dict[str, _Found]
) -> tuple[int, list[tuple[int | None, int | None]]]:
    """Close as done the open signals no longer found: how many, and (person id, location id)
    of each."""
    gone = {
        pk: (person_id, location_id)
        for key, (pk, status, _current, person_id, location_id) in existing.items()
        if status == Signal.Status.OPEN and key not in found
    }
    resolved = 0
    if gone:
        with ids_table(gone) as ids:
            resolved = Signal.internal.filter(pk__in=in_table(ids)).update(
                status=Signal.Status.DONE,
                status_reason=gettext_noop("No longer applies."),
                status_changed_at=timezone.now(),
            )
    return resolved, list(gone.values())


def _latest_employer(person_ids: list[int] | None) -> dict[int, str]:
    """The employer on each person's latest stay that names one; None: everyone's."""
    stays = (
        Stay.internal.all()
        if person_ids is None
        else Stay.internal.filter(person_id__in=person_ids)
    )
    rows = (
        stays.exclude(employer_kvk="")
        .order_by("person_id", "check_in")
        .values_list("person_id", "employer_kvk")
    )
    return dict(rows)


def _over_capacity(on: date, *, location_ids: list[int] | None = None) -> list[_Found]:
    """One signal per run of consecutive nights on which a location held more persons than its
    effective capacity: the lowest of its permit and every housing norm that applies to it."""
    start = on - timedelta(days=OVER_CAPACITY_LOOKBACK_DAYS)
    rows = Occupancy.objects.filter(night__gte=start, night__lt=on).order_by("location_id", "night")
    if location_ids is not None:
        rows = rows.filter(location_id__in=location_ids)
    rows = list(rows.values_list("location_id", "night", "persons"))
    capacities = effective_capacities(on=on, location_ids={row[0] for row in rows})
    runs: dict[int, list[list]] = defaultdict(list)
    for location_id, night, persons in rows:
        capacity = capacities.get(location_id)
        if capacity is None or persons <= capacity:
            continue
        location_runs = runs[location_id]
        if location_runs and location_runs[-1][1] == night - timedelta(days=1):
            location_runs[-1][1] = night
            location_runs[-1][2] = max(location_runs[-1][2], persons)
        else:
            location_runs.append([night, night, persons])
    municipality_of = dict(
        Location.objects.filter(pk__in=list(runs)).values_list("pk", "municipality_id")
    )
    signals = []
    for location_id, location_runs in runs.items():
        for first, last, most in location_runs:
            signals.append(
                _Found(
                    key=f"{OVER_CAPACITY}:L{location_id}:{first.isoformat()}",
                    rule=OVER_CAPACITY,
                    source="municipal permit and housing norms",
                    location_id=location_id,
                    municipality_id=municipality_of[location_id],
                    since=first,
                    explanation=gettext_noop(
                        "%(most)d persons on one night at a location that may hold %(capacity)d "
                        "under its permit and the housing norms (nights %(first)s to %(last)s)."
                    ),
                    parameters={
                        "most": most,
                        "capacity": capacities[location_id],
                        "first": first.isoformat(),
                        "last": last.isoformat(),
                    },
                    first_seen=on,
                    last_seen=on,
                )
            )
    return signals


@dataclass(frozen=True)
class ListedTwice:
    """A list refused because it named, for a night, a person already staying at another
    provider's location: who, which night, the place the list named and the other one."""

    person_id: int
    name: str
    night: date
    here_id: int
    there_id: int


@transaction.atomic
def listed_twice_report(attempts: list[ListedTwice], *, on: date, wait: float | None = None) -> int:
    """A signal for the municipality of each of the two places (once when both are in one):
    the provider was told only that the person is listed elsewhere, the municipality sees
    both places and both providers, to find out where the person slept. The same refused
    list sent again adds nothing. The number of signals opened."""
    # As a refresh: two refused lists at once would both open the same signal.
    serialised(REFRESH_LOCK, wait=wait)
    places = {
        location.pk: location
        for location in Location.objects.filter(
            pk__in={a.here_id for a in attempts} | {a.there_id for a in attempts}
        ).select_related("provider", "municipality")
    }
    opened, persons = 0, set()
    for attempt in attempts:
        here, there = places[attempt.here_id], places[attempt.there_id]
        parameters = {
            "name": attempt.name,
            "night": attempt.night.isoformat(),
            "here": here.address,
            "here_provider": here.provider.name,
            "there": there.address,
            "there_provider": there.provider.name,
        }
        for municipality_id in dict.fromkeys((there.municipality_id, here.municipality_id)):
            key = (
                f"{LISTED_TWICE}:P{attempt.person_id}:{attempt.night.isoformat()}"
                f":L{here.pk}:M{municipality_id}"
            )
            _signal, created = Signal.internal.get_or_create(
                key=key,
                defaults={
                    "rule": LISTED_TWICE,
                    "source": "night register: one bed per person per night",
                    "person_id": attempt.person_id,
                    "municipality_id": municipality_id,
                    "since": attempt.night,
                    "explanation": gettext_noop(
                        "%(name)s was listed for the night of %(night)s at %(here)s "
                        "(%(here_provider)s) while already staying at %(there)s "
                        "(%(there_provider)s). That list was refused. Find out where the "
                        "person slept; the providers were not told each other's names."
                    ),
                    "parameters": parameters,
                    "first_seen": on,
                    "last_seen": on,
                },
            )
            opened += created
            persons.add(attempt.person_id)
    processing_log_write(
        processing=Processing.system(activity=SIGNALLING, action=Entry.Action.CREATE),
        subject_type="person",
        subject_ids=sorted(persons),
        object_type="signal",
    )
    return opened


@transaction.atomic
def signal_status_change(*, signal: Signal, status: str, reason: str, user) -> Signal:
    """Close a signal as done, dismiss it with a reason, or open it again."""
    allowed = Signal.TRANSITIONS.get(signal.status, set())
    if status not in allowed:
        raise ValidationError(
            _("A signal that is %(status)s cannot become %(new)s.")
            % {"status": signal.get_status_display(), "new": Signal.Status(status).label}
        )
    if status == Signal.Status.DISMISSED and not reason.strip():
        raise ValidationError({"reason": _("Say why you dismiss this signal.")})
    signal.status = status
    signal.status_reason = reason.strip()
    signal.status_changed_by = user
    signal.status_changed_at = timezone.now()
    signal.save(update_fields=["status", "status_reason", "status_changed_by", "status_changed_at"])
    if signal.person_id:
        processing_log_write(
            processing=processing_by(user, activity=SIGNALLING, action=Entry.Action.UPDATE),
            subject_type="person",
            subject_ids=[signal.person_id],
            object_type="signal",
        )
    return signal
