"""The shape of a stay (ADR 0010) and what a night list does to stays (ADR 0005): pure, no
database.

A stay is one person at one location for the nights [check_in, end). A stay whose person the
location still lists is *open*: it has no check-out, and it runs until the last night the
location has listed (`Location.listed_through`). Its end is therefore `listed_through + 1`;
a closed stay's end is its check-out. So a night on which nobody arrives or leaves moves
one date on the location and writes no stay at all.

One canonical form, so that the same register is always stored the same way: a stay is open
exactly when its end is its location's `listed_through + 1` and no later stay of the same
person is (a person has at most one open stay, which a database index holds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

ONE_DAY = timedelta(days=1)


def stay_end(check_in: date, check_out: date | None, listed_through: date | None) -> date:
    """The first night after a stay: its check-out, or for an open stay the night after its
    location's last listed night (a single night when the location has listed none)."""
    if check_out is not None:
        return check_out
    if listed_through is None or listed_through < check_in:
        return check_in + ONE_DAY
    return listed_through + ONE_DAY


def open_or_closed(
    stays: Sequence[tuple[int, date, date]], listed_through: dict[int, date | None]
) -> list[date | None]:
    """The check-out to store for each of one person's stays, given as (location id, check-in,
    end): None for the one stay that is open, the end for every other."""
    candidate = None
    for index, (location_id, check_in, end) in enumerate(stays):
        through = listed_through.get(location_id)
        is_candidate = through is not None and end == through + ONE_DAY
        if is_candidate and (candidate is None or check_in > stays[candidate][1]):
            candidate = index
    return [None if index == candidate else end for index, (_l, _i, end) in enumerate(stays)]


# What an import does to stays, in pure functions: the coordinator (services/night_lists.py)
# reads the stored stays, these work out what the register becomes, and services/writes.py
# stores it. The property test (test_services) holds them to a register of closed stays.

Span = tuple[date, date]  # nights [first, end)


class StayFacts(NamedTuple):
    """A stay as pure code sees it: the import (what is or will be stored) and the
    registration rules (what a person's nights are). The model is `register.models.Stay`;
    the person's side is `register.rules.PersonFacts`.

    A named tuple rather than a dataclass: the rules make one for every stay of every person
    each night, and the import compares sets of them; a tuple is made and hashed several
    times faster.
    """

    person_id: int
    location_id: int
    check_in: date
    check_out: date | None = None  # the end; None while open (still staying)
    room: str = ""
    employer_kvk: str = ""
    expected_departure: date | None = None
    municipality_code: str = ""  # for the rules; the import leaves it empty

    def nights_until(self, last_night: date) -> range:
        """The nights (as ordinals) of this stay up to and including `last_night`."""
        end = self.check_out or last_night + ONE_DAY
        end = min(end, last_night + ONE_DAY)
        return range(self.check_in.toordinal(), max(end.toordinal(), self.check_in.toordinal()))


class StoredStay(NamedTuple):
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

    def as_stored(self) -> StayFacts:
        """The interval this stay is stored as: no check-out when open."""
        return StayFacts(
            self.person_id,
            self.location_id,
            self.check_in,
            None if self.is_open else self.check_out,
            self.room,
            self.employer_kvk,
            self.expected_departure,
        )


class Conflict(NamedTuple):
    """A person listed at `location_id` on `night` who was elsewhere: at `there_id`, listed in
    the same batch (`listed`) or stored in the register."""

    person_id: int
    location_id: int
    night: date
    there_id: int
    listed: bool


class Changes(NamedTuple):
    opened: int
    closed: int
    changed: int


def merged(spans: list[Span]) -> list[Span]:
    """Spans → the fewest spans covering the same nights: overlapping and adjacent ones joined."""
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def minus(span: Span, holes: list[Span]) -> list[Span]:
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


def first_common_night(a: Span, b: Span) -> date | None:
    start = max(a[0], b[0])
    return start if start < min(a[1], b[1]) else None


def stays_replaced(
    stored: Iterable[StoredStay],
    submitted: dict[tuple[int, int], list[Span]],
    latest: dict[tuple[int, int], tuple[str, str, date | None]],
    covered: dict[int, list[Span]],
) -> set[StayFacts]:
    """The stays at the covered locations after the lists (ADR 0005): the nights of the
    `stored` stays there that the lists do not cover, and what the lists say, joined per
    (person, location) into the fewest stays. `submitted`: per (person, location) the listed
    spans; `latest`: the room, employer and expected departure they were last listed with;
    `covered`: per location the (merged) nights the lists cover. Ends are closed here; which
    stay is open is `canonical`'s to say."""
    kept: dict[tuple[int, int], list[StayFacts]] = defaultdict(list)
    for stay in stored:
        for check_in, check_out in minus(
            (stay.check_in, stay.check_out), covered[stay.location_id]
        ):
            kept[(stay.person_id, stay.location_id)].append(
                StayFacts(
                    stay.person_id,
                    stay.location_id,
                    check_in,
                    check_out,
                    stay.room,
                    stay.employer_kvk,
                    stay.expected_departure,
                )
            )
    new: set[StayFacts] = set()
    for key in set(kept) | set(submitted):
        person_id, location_id = key
        pieces = kept.get(key, [])
        listed = submitted.get(key, [])
        for span in merged([(i.check_in, i.check_out) for i in pieces] + listed):
            if any(first_common_night(span, run) for run in listed):
                attributes = latest[key]
            else:
                old = next(i for i in pieces if i.check_in <= span[0] < i.check_out)
                attributes = (old.room, old.employer_kvk, old.expected_departure)
            new.add(StayFacts(person_id, location_id, span[0], span[1], *attributes))
    return new


def canonical(
    new: set[StayFacts],
    existing: Iterable[StoredStay],
    covered: dict[int, list[Span]],
    listed_through: dict[int, date | None],
) -> tuple[set[StayFacts], list[tuple[int, date | None]]]:
    """The new stays at the covered locations in the canonical shape (open or closed), and
    (pk, check-out) for `existing` stays elsewhere whose shape changes with them: a person
    arriving here closes the stay still open at a location that has not sent its list yet."""
    by_person: dict[int, list] = defaultdict(list)
    for interval in new:
        by_person[interval.person_id].append(interval)
    for stay in existing:
        if stay.location_id not in covered and stay.person_id in by_person:
            by_person[stay.person_id].append(stay)
    stored: set[StayFacts] = set()
    elsewhere: list[tuple[int, date | None]] = []
    for stays in by_person.values():
        check_outs = open_or_closed(
            [(stay.location_id, stay.check_in, stay.check_out) for stay in stays], listed_through
        )
        for stay, check_out in zip(stays, check_outs, strict=True):
            if isinstance(stay, StoredStay):
                if check_out != (None if stay.is_open else stay.check_out):
                    elsewhere.append((stay.pk, check_out))
            else:
                stored.add(stay._replace(check_out=check_out))
    return stored, elsewhere


def conflicts(
    existing: Iterable[StoredStay],
    submitted: dict[tuple[int, int], list[Span]],
    covered: dict[int, list[Span]],
) -> list[Conflict]:
    """Nobody in two places on one night: persons the lists name at two locations on one
    night, then persons they name where a stored stay (outside the nights the lists cover)
    has them elsewhere; at most one conflict per stored stay."""
    spans_of: dict[int, list[tuple[Span, int]]] = defaultdict(list)  # person → (span, location)
    for (person_id, location_id), spans in submitted.items():
        for span in spans:
            spans_of[person_id].append((span, location_id))
    found = []
    for person_id, spans in spans_of.items():
        spans.sort()
        reach: tuple[Span, int] | None = None  # the span reaching furthest so far
        for span, location_id in spans:
            night = first_common_night(reach[0], span) if reach else None
            if night is not None and reach[1] != location_id:
                found.append(Conflict(person_id, location_id, night, reach[1], listed=True))
            if reach is None or span[1] > reach[0][1]:
                reach = (span, location_id)
    for stay in existing:
        pieces = minus((stay.check_in, stay.check_out), covered.get(stay.location_id, []))
        for span, location_id in spans_of.get(stay.person_id, []):
            if location_id == stay.location_id:
                continue
            night = next(
                (n for piece in pieces if (n := first_common_night(piece, span)) is not None),
                None,
            )
            if night is not None:
                found.append(
                    Conflict(stay.person_id, location_id, night, stay.location_id, listed=False)
                )
                break
    return found


def changes_counted(old: set[StayFacts], new: set[StayFacts]) -> Changes:
    """What replacing the stored stays `old` by `new` did: a new stay overlapping a removed
    one of the same person and place is a change; an open stay that is now closed from the
    same night is a departure (closed)."""

    def overlaps(a: StayFacts, b: StayFacts) -> bool:
        return a.check_in < (b.check_out or date.max) and b.check_in < (a.check_out or date.max)

    added, removed = new - old, old - new
    removed_by_key: dict[tuple[int, int], list[StayFacts]] = defaultdict(list)
    added_by_key: dict[tuple[int, int], list[StayFacts]] = defaultdict(list)
    for interval in removed:
        removed_by_key[(interval.person_id, interval.location_id)].append(interval)
    for interval in added:
        added_by_key[(interval.person_id, interval.location_id)].append(interval)
    opened = closed = changed = 0
    for interval in added:
        others = removed_by_key.get((interval.person_id, interval.location_id), ())
        if interval.check_out is not None and any(
            r.check_out is None and r.check_in == interval.check_in for r in others
        ):
            closed += 1
        elif any(overlaps(interval, r) for r in others):
            changed += 1
        else:
            opened += 1
    for interval in removed:
        others = added_by_key.get((interval.person_id, interval.location_id), ())
        if not any(overlaps(interval, a) for a in others):
            closed += 1
    return Changes(opened, closed, changed)
