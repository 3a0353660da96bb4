"""Registration duties (BRP, RNI, address change, departure) as pure functions.

Plain values in, plain findings out; nothing here imports Django but
`gettext_noop`, which only marks text for translation. Each finding names the
rule, its legal source, the measured and the required value, the dates that follow, and
the stays that triggered it. Explanations are English msgids with parameters, translated
where they are shown (``gettext(finding.explanation) % finding.parameters``).

Sources (see docs/glossary.md and the shared domain facts, §4):
- Wet BRP art. 2.38: whoever stays more than four months within half a year must register
  in the BRP of the municipality of residence, in person, within 5 days after arrival.
- Shorter stays: registration in the RNI (Registratie Niet-Ingezetenen).
- Wet BRP art. 2.39: a move within the Netherlands is reported to the new municipality no
  later than the 5th day after the move.
- Wet BRP art. 2.43: departure abroad is declared at the last municipality.
The exact statutory wording of art. 2.38 was not retrieved; "more than four months" is
taken as more than 122 nights, "half a year" as 183 days, both parameters below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from django.utils.translation import gettext_noop

from welkom.register.stays import StayFacts


class Registration(StrEnum):
    BRP = "brp"
    RNI = "rni"
    NONE = "none"
    UNKNOWN = "unknown"


# The BSN (burgerservicenummer), which registration in the BRP or the RNI gives.
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_is_valid(text: str) -> bool:
    """The elfproef: 9 digits weighted 9..2 and -1 sum to a multiple of 11; not all zeros."""
    if len(text) != 9 or not (text.isascii() and text.isdigit()) or text == "000000000":
        return False
    return (
        sum(int(digit) * weight for digit, weight in zip(text, _BSN_WEIGHTS, strict=True)) % 11 == 0
    )


def bsn_masked(text: str) -> str:
    """A BSN is personal data: where it is shown, only its last three characters are."""
    return "*" * (len(text) - 3) + text[-3:] if len(text) > 3 else "*" * len(text)


@dataclass(frozen=True)
class RegistrationParameters:
    """The numbers the rules use; dated and configurable, not scattered constants."""

    brp_more_than_nights: int = 122  # "more than four months"
    brp_window_days: int = 183  # "within half a year"
    brp_days_after_arrival: int = 5
    address_change_days_after_move: int = 5
    departure_reminder_after_days: int = 14


DEFAULT_PARAMETERS = RegistrationParameters()


class PersonFacts(NamedTuple):
    registration: Registration
    stays: tuple[StayFacts, ...]
    expected_departure: date | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    source: str
    explanation: str
    parameters: dict = field(default_factory=dict)
    measured: int | None = None
    required: int | None = None
    since: date | None = None
    deadline: date | None = None
    overdue: bool = False
    municipality_code: str = ""
    stays: tuple[StayFacts, ...] = ()


BRP_REQUIRED = "brp-registration-required"
RNI_ADVISED = "rni-registration-advised"
REGISTRATION_UNKNOWN = "registration-unknown"
ADDRESS_CHANGE = "address-change"
DEPARTURE = "departure"


def _nights(stays: Iterable[StayFacts], last_night: date) -> list[int]:
    """The distinct nights (as ordinals) up to and including `last_night`, sorted."""
    nights: set[int] = set()
    for stay in stays:
        nights.update(stay.nights_until(last_night))
    return sorted(nights)


def brp_threshold_night(
    stays: Iterable[StayFacts], *, on: date, parameters: RegistrationParameters = DEFAULT_PARAMETERS
) -> tuple[date, date] | None:
    """The first window in which the nights exceed the limit: (first night, last night).

    Nights at different addresses and providers count together. None if no window does.
    """
    needed = parameters.brp_more_than_nights + 1
    if sum(len(stay.nights_until(on)) for stay in stays) < needed:
        return None  # too few nights in all (a cheap count, before listing the distinct nights)
    nights = _nights(stays, on)
    span = parameters.brp_window_days - 1
    for last in range(needed - 1, len(nights)):
        first = last - needed + 1
        if nights[last] - nights[first] <= span:
            return date.fromordinal(nights[first]), date.fromordinal(nights[last])
    return None


def _stays_touching(stays: Iterable[StayFacts], start: date, end: date) -> tuple[StayFacts, ...]:
    return tuple(
        s for s in stays if s.check_in <= end and (s.check_out is None or s.check_out > start)
    )


def brp_registration_required(
    person: PersonFacts, *, on: date, parameters: RegistrationParameters = DEFAULT_PARAMETERS
) -> Finding | None:
    """More than 122 nights within 183 days, or an expected stay that long, without BRP."""
    if person.registration == Registration.BRP or not person.stays:
        return None
    stays = tuple(sorted(person.stays, key=lambda s: s.check_in))
    window = brp_threshold_night(stays, on=on, parameters=parameters)
    if window is None and person.expected_departure is not None:
        arrival = _arrival(stays, on)
        expected_nights = (person.expected_departure - arrival).days
        if arrival <= on and expected_nights > parameters.brp_more_than_nights:
            window = (arrival, min(on, person.expected_departure))
    if window is None:
        return None
    arrival, crossed = window
    deadline = arrival + timedelta(days=parameters.brp_days_after_arrival)
    counted = len(_nights(stays, crossed)) - len(_nights(stays, arrival - timedelta(days=1)))
    triggering = _stays_touching(stays, arrival, crossed)
    return Finding(
        rule=BRP_REQUIRED,
        source="Wet BRP art. 2.38",
        explanation=gettext_noop(
            "Stays more than %(limit)d nights within %(window)d days (%(nights)d nights from "
            "%(arrival)s): must register in the BRP within %(days)d days after arrival."
        ),
        parameters={
            "limit": parameters.brp_more_than_nights,
            "window": parameters.brp_window_days,
            "nights": counted,
            "arrival": arrival.isoformat(),
            "days": parameters.brp_days_after_arrival,
        },
        measured=counted,
        required=parameters.brp_more_than_nights,
        since=arrival,
        deadline=deadline,
        overdue=on > deadline,
        municipality_code=triggering[-1].municipality_code if triggering else "",
        stays=triggering,
    )


def _arrival(stays: tuple[StayFacts, ...], on: date) -> date:
    """The first night of the person's current, uninterrupted presence."""
    nights = _nights(stays, on)
    if not nights:
        return stays[0].check_in
    first = nights[-1]
    index = len(nights) - 1
    while index > 0 and nights[index - 1] == nights[index] - 1:
        index -= 1
        first = nights[index]
    return date.fromordinal(first)


def _now_staying(
    rule: str, source: str, explanation: str, person: PersonFacts, on: date
) -> Finding | None:
    """A finding about the person's stays that have begun by `on`; None before the first."""
    current = [s for s in person.stays if s.check_in <= on]
    if not current:
        return None
    return Finding(
        rule=rule,
        source=source,
        explanation=explanation,
        since=min(s.check_in for s in current),
        municipality_code=max(current, key=lambda s: s.check_in).municipality_code,
        stays=tuple(current),
    )


def rni_registration_advised(person: PersonFacts, *, on: date) -> Finding | None:
    """Not known to be in the BRP or the RNI (none, or unknown): the RNI gives a BSN and is
    the right register for a short stay."""
    if person.registration not in (Registration.NONE, Registration.UNKNOWN):
        return None
    return _now_staying(
        RNI_ADVISED,
        "Wet BRP, registratie niet-ingezetenen (RNI)",
        gettext_noop("Not registered in the BRP or the RNI: registration in the RNI is advised."),
        person,
        on,
    )


def registration_unknown(person: PersonFacts, *, on: date) -> Finding | None:
    """Nobody has said whether the person is registered: the municipality and the provider
    must ask, and record BRP or RNI. A worker whose status nobody knows is the one the
    municipality must hear about; the RNI advice (or the BRP duty) comes with it."""
    if person.registration != Registration.UNKNOWN:
        return None
    return _now_staying(
        REGISTRATION_UNKNOWN,
        "Wet BRP",
        gettext_noop(
            "Registration unknown: ask the worker whether they are registered in the BRP or "
            "the RNI, and record it."
        ),
        person,
        on,
    )


def address_change(
    person: PersonFacts, *, on: date, parameters: RegistrationParameters = DEFAULT_PARAMETERS
) -> Finding | None:
    """A BRP-registered person whose latest stay is at another address than the one before."""
    if person.registration != Registration.BRP:
        return None
    stays = sorted((s for s in person.stays if s.check_in <= on), key=lambda s: s.check_in)
    if len(stays) < 2 or stays[-1].location_id == stays[-2].location_id:
        return None
    moved = stays[-1].check_in
    deadline = moved + timedelta(days=parameters.address_change_days_after_move)
    return Finding(
        rule=ADDRESS_CHANGE,
        source="Wet BRP art. 2.39",
        explanation=gettext_noop(
            "Moved to another address on %(moved)s: report the move to the municipality of "
            "the new address within %(days)d days."
        ),
        parameters={"moved": moved.isoformat(), "days": parameters.address_change_days_after_move},
        since=moved,
        deadline=deadline,
        overdue=on > deadline,
        municipality_code=stays[-1].municipality_code,
        stays=(stays[-2], stays[-1]),
    )


def departure(
    person: PersonFacts, *, on: date, parameters: RegistrationParameters = DEFAULT_PARAMETERS
) -> Finding | None:
    """A BRP-registered person whose last stay ended and who has had no stay since."""
    if person.registration != Registration.BRP or not person.stays:
        return None
    if any(s.check_out is None or s.check_out > on for s in person.stays):
        return None
    last = max(person.stays, key=lambda s: s.check_out)
    away = (on - last.check_out).days
    if away < parameters.departure_reminder_after_days:
        return None
    return Finding(
        rule=DEPARTURE,
        source="Wet BRP art. 2.43",
        explanation=gettext_noop(
            "No stay since %(left)s (%(away)d days): remind the person to declare departure "
            "to the municipality."
        ),
        parameters={"left": last.check_out.isoformat(), "away": away},
        measured=away,
        required=parameters.departure_reminder_after_days,
        since=last.check_out,
        municipality_code=last.municipality_code,
        stays=(last,),
    )


def registration_findings(
    person: PersonFacts, *, on: date, parameters: RegistrationParameters = DEFAULT_PARAMETERS
) -> list[Finding]:
    """Every registration finding for one person on a date; the BRP duty supersedes RNI advice."""
    brp = brp_registration_required(person, on=on, parameters=parameters)
    findings = [
        brp,
        None if brp else rni_registration_advised(person, on=on),
        registration_unknown(person, on=on),
        address_change(person, on=on, parameters=parameters),
        departure(person, on=on, parameters=parameters),
    ]
    return [finding for finding in findings if finding is not None]
