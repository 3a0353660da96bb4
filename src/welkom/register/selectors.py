"""Reads of the night register, each scoped by `visible_to` and logged where it reads persons."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from django.db.models import Count, Q, Sum

from welkom.housing.models import Location, LocationQuerySet
from welkom.housing.selectors import effective_capacities
from welkom.lib.gc import gc_paused
from welkom.organisations.selectors import processing_by
from welkom.register.matching import name_normalise
from welkom.register.models import (
    NightListImport,
    NightListImportQuerySet,
    Occupancy,
    OccupancyProfile,
    OccupancyQuerySet,
    Person,
    Signal,
    Stay,
    StayQuerySet,
)
from welkom.register.rules import Finding, PersonFacts, Registration, registration_findings
from welkom.register.stays import StayFacts, stay_end

NIGHT_REGISTER = "night-register"


def locations_with_occupancy(*, user, night: date) -> LocationQuerySet:
    """The user's locations (own or in territory) with the persons counted on `night`."""
    return (
        Location.objects.visible_to(user)
        .select_related("municipality", "provider")
        .annotate(
            persons=Sum("occupancy__persons", filter=Q(occupancy__night=night)),
        )
        .order_by("municipality__name", "street", "number")
    )


def residents_on(*, user, location: Location, night: date) -> StayQuerySet:
    """Who slept at a location on a night: reading persons, so logged."""
    processing = processing_by(user, activity=NIGHT_REGISTER)
    return (
        Stay.objects.visible_to(user)
        .filter(location=location)
        .on_night(night)
        .select_related("person")
        .order_by("person__family_name", "person__given_names")
        .for_processing(processing)
    )


def registration_counts(*, user, night: date) -> dict[int, dict[str, int]]:
    """Per location: how many of that night's persons are in the BRP, the RNI, neither, unknown.

    Counts only: no person rows are fetched, so nothing personal is read."""
    rows = (
        Stay.objects.visible_to(user)
        .on_night(night)
        .values("location_id", "person__registration")
        .annotate(persons=Count("person_id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["location_id"], {})[row["person__registration"]] = row["persons"]
    return counts


def overdue_signal_counts(*, user) -> dict[int, int]:
    """Per location: open registration signals past their deadline (grouped counts only)."""
    rows = (
        Signal.objects.visible_to(user)
        .filter(status=Signal.Status.OPEN, overdue=True, location__isnull=False)
        .values("location_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["location_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class AddressRow:
    location: Location
    persons: int
    brp: int
    rni: int
    none: int
    unknown: int
    overdue: int
    capacity: int | None = None  # effective: the permit and the housing norms

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.persons > self.capacity


def address_rows(*, user, night: date) -> list[AddressRow]:
    """The addresses a user may see with a night's persons, registrations and overdue
    signals: the one read behind the overview page and its exports. Counts only."""
    counts = registration_counts(user=user, night=night)
    overdue = overdue_signal_counts(user=user)
    locations = list(locations_with_occupancy(user=user, night=night))
    capacities = effective_capacities(on=night, location_ids=[loc.pk for loc in locations])
    rows = []
    for location in locations:
        registrations = counts.get(location.pk, {})
        rows.append(
            AddressRow(
                location=location,
                persons=location.persons or 0,
                brp=registrations.get("brp", 0),
                rni=registrations.get("rni", 0),
                none=registrations.get("none", 0),
                unknown=registrations.get("unknown", 0),
                overdue=overdue.get(location.pk, 0),
                capacity=capacities.get(location.pk),
            )
        )
    return rows


def imports_of(*, user) -> NightListImportQuerySet:
    return NightListImport.objects.visible_to(user).select_related("submitted_by")


def person_facts(*, on: date, person_ids: list[int] | None = None) -> dict[int, PersonFacts]:
    """What the registration rules need per person, read set-wise: registration and stays.

    Reads personal data for the activity "brp-registration-signalling"; the caller logs the
    persons for whom it produces findings.
    """
    stays = Stay.internal.filter(check_in__lte=on)
    if person_ids is not None:
        stays = stays.filter(person_id__in=person_ids)
    # Thousands of locations, not a join per stay: the municipality code by location.
    municipality_of, listed_through = {}, {}
    for pk, code, through in Location.objects.values_list(
        "pk", "municipality__code", "listed_through"
    ).order_by():
        municipality_of[pk] = code
        listed_through[pk] = through
    grouped: dict[int, list] = {}
    expected: dict[int, date | None] = {}
    # The registration comes with every stay (a join), not in a second read of every person.
    rows = stays.order_by("person_id", "check_in").values_list(
        "person_id",
        "location_id",
        "check_in",
        "check_out",
        "expected_departure",
        "person__registration",
    )
    status_of = {status.value: status for status in Registration}
    # Hundreds of thousands of small objects that all live on: the cyclic garbage collector
    # would scan them again and again while they are made, and finds nothing to free.
    with gc_paused():
        registration: dict[int, str] = {}
        for person_id, location_id, check_in, check_out, departure, registered in rows:
            end = stay_end(check_in, check_out, listed_through[location_id])
            grouped.setdefault(person_id, []).append(
                StayFacts(
                    person_id,
                    location_id,
                    check_in,
                    end,
                    municipality_code=municipality_of[location_id],
                )
            )
            registration[person_id] = registered
            if departure is not None:
                expected[person_id] = departure
        return {
            person_id: PersonFacts(
                status_of.get(registration[person_id], Registration.UNKNOWN),
                tuple(person_stays),
                expected.get(person_id),
            )
            for person_id, person_stays in grouped.items()
        }


def findings_by_person(
    *, on: date, person_ids: list[int] | None = None
) -> dict[int, tuple[PersonFacts, list[Finding]]]:
    """Every person's facts and registration findings on a date: the rules for everyone (the
    daily signals) or for some (after an import). Reads personal data as person_facts does."""
    facts = person_facts(on=on, person_ids=person_ids)
    with gc_paused():  # the findings are small objects too, made beside all the facts
        return {
            person_id: (person, registration_findings(person, on=on))
            for person_id, person in facts.items()
        }


def possible_duplicates(*, user) -> list[tuple[Person, Person]]:
    """Pairs of persons at addresses the user may see who might be one person: the same date
    of birth and the same family name or the same given names (after normalising), yet kept
    apart by the matching. Shown for a person to decide; never merged by themselves."""
    processing = processing_by(user, activity=NIGHT_REGISTER)
    visible = Person.objects.visible_to(user)
    # Only persons who share a date of birth with another can be a pair: the database finds
    # them, so that a territory's thousands of others are neither fetched nor logged as read.
    shared = (
        visible.order_by()
        .values("date_of_birth")
        .annotate(persons=Count("pk"))
        .filter(persons__gt=1)
        .values("date_of_birth")
    )
    persons = list(
        visible.filter(date_of_birth__in=shared)
        .order_by("date_of_birth", "pk")
        .for_processing(processing)
    )
    by_birth: dict[date, list[Person]] = {}
    for person in persons:
        by_birth.setdefault(person.date_of_birth, []).append(person)
    pairs = []
    for group in by_birth.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                same_family = name_normalise(first.family_name) == name_normalise(
                    second.family_name
                )
                same_given = name_normalise(first.given_names) == name_normalise(second.given_names)
                if same_family or same_given:
                    pairs.append((first, second))
    return pairs


def employer_counts(*, kvk_numbers: list[str], night: date) -> list[tuple[int, str, str, int]]:
    """(location id, employer KvK, registration, persons) of a night's stays whose night
    list names one of these employers or agencies: grouped counts only, no person is read
    (for the work pages of those employers and agencies)."""
    if not kvk_numbers:
        return []
    rows = (
        Stay.internal.on_night(night)
        .filter(employer_kvk__in=kvk_numbers)
        .values_list("location_id", "employer_kvk", "person__registration")
        .annotate(persons=Count("person_id"))
        .order_by()
    )
    return list(rows)


# --- Aggregates for the monitor: counts only, never a person --------------------------------


def occupancy_rows(*, first: date, last: date) -> OccupancyQuerySet:
    """(location id, night, persons) for every location and night in [first, last]."""
    return Occupancy.objects.filter(night__gte=first, night__lte=last).values_list(
        "location_id", "night", "persons"
    )


def profile_rows(*, first: date, last: date) -> Iterator[tuple[int, date, str, str, int]]:
    """(municipality id, night, registration, nationality group, persons), summed over the
    locations of each municipality, for the nights in [first, last] that have persons.

    The profile is kept as spans of nights; here they are summed per municipality and group
    with a running total over the nights where a span begins or ends."""
    spans = (
        OccupancyProfile.objects.with_end()
        .filter(first_night__lte=last, end__gt=first)
        .values_list(
            "location__municipality_id",
            "registration",
            "nationality_group",
            "first_night",
            "end",
        )
        .annotate(total=Sum("persons"))
        .order_by()
    )
    end = last + timedelta(days=1)
    changes: dict[tuple[int, str, str], dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for municipality_id, registration, group, first_night, end_night, persons in spans:
        change = changes[(municipality_id, registration, group)]
        change[max(first_night, first)] += persons
        change[min(end_night, end)] -= persons
    for (municipality_id, registration, group), change in changes.items():
        running = 0
        days = sorted(change)
        for day, next_day in pairwise(days):
            running += change[day]
            if running:
                for offset in range((next_day - day).days):
                    night = day + timedelta(days=offset)
                    yield municipality_id, night, registration, group, running


def open_signal_counts() -> dict[int, tuple[int, int]]:
    """Municipality id → (open signals, of which overdue), over every rule."""
    rows = (
        Signal.internal.filter(status=Signal.Status.OPEN, municipality__isnull=False)
        .values("municipality_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(overdue=True)))
        .order_by()
    )
    return {row["municipality_id"]: (row["open"], row["overdue"]) for row in rows}


def open_signal_counts_by_rule(rules: list[str]) -> dict[tuple[int, str], int]:
    """(municipality id, rule) → open signals of those rules."""
    rows = (
        Signal.internal.filter(
            status=Signal.Status.OPEN, municipality__isnull=False, rule__in=rules
        )
        .values("municipality_id", "rule")
        .annotate(open=Count("pk"))
        .order_by()
    )
    return {(row["municipality_id"], row["rule"]): row["open"] for row in rows}
