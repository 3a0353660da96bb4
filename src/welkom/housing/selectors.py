"""Reads about housing: a location as the norms see it, its compliance, its capacity.

No personal data here: locations, rooms and facilities describe buildings.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from welkom.housing import rules as norms
from welkom.housing.models import (
    Certificate,
    Judgement,
    Location,
    MunicipalRule,
    Room,
    StayType,
)
from welkom.lib.bulk import ids_table, in_table

logger = logging.getLogger(__name__)


def norm_parameters() -> norms.NormParameters:
    return norms.NormParameters(
        snf_2025=settings.NORMS_SNF_2025, uhn_burners=settings.NORMS_UHN_BURNERS
    )


def location_facts(
    location: Location,
    *,
    rooms: tuple[norms.Room, ...] | None = None,
    marks: tuple[tuple[str, date], ...] | None = None,
) -> norms.LocationFacts:
    """The location as the norms see it; `rooms` and `marks`, when given, instead of the
    location's own (read in bulk for many locations, see `effective_capacities`)."""
    if rooms is None:
        rooms = tuple(
            norms.Room(room.use, room.area_m2, room.beds, room.walkable_m2)
            for room in location.rooms.all()
        )
    if marks is None:
        marks = tuple((c.scheme, c.valid_until) for c in location.certificates.all())
    return norms.LocationFacts(
        building_type=location.building_type,
        zoning=location.zoning,
        stay_type=location.stay_type or norms.LONG,
        new_build=location.new_build,
        rooms=rooms,
        toilets=location.toilets,
        showers=location.showers,
        burners=location.burners,
        sockets=location.sockets,
        washing=location.washing,
        drying_outside_bedrooms=location.drying_outside_bedrooms,
        lockable_storage=location.lockable_storage,
        under_one_roof=location.under_one_roof,
        information_card=location.information_card,
        smoke_detectors_checked=location.smoke_detectors_checked,
        co_detectors_checked=location.co_detectors_checked,
        extinguisher_inspected=location.extinguisher_inspected,
        extinguisher_reob=location.extinguisher_reob,
        rental_contract_separate=location.rental_contract_separate,
        rights_information_in_language=location.rights_information_in_language,
        marks=marks,
    )


def municipal_rules(municipality_id: int) -> list[norms.MunicipalRule]:
    return [
        norms.MunicipalRule(
            municipality=rule.municipality.code,
            kind=rule.kind,
            value=rule.value,
            effective_from=rule.effective_from,
            effective_until=rule.effective_until,
            name=rule.municipality.name,
        )
        for rule in MunicipalRule.objects.filter(municipality_id=municipality_id).select_related(
            "municipality"
        )
    ]


@dataclass(frozen=True)
class NormOutcome:
    norm: str
    label: str  # msgid
    applies: bool  # counts for the effective capacity
    why: str  # msgid: why it applies or not
    findings: list[norms.Finding]
    capacity: norms.Capacity

    @property
    def passed(self) -> bool:
        """Every rule met; an unverified rule is shown, but does not decide."""
        return all(finding.passed for finding in self.findings if not finding.unverified)


@dataclass(frozen=True)
class Compliance:
    location: Location | None  # None for a description that is not stored
    on: date
    persons: int  # the number of persons the findings were judged for
    outcomes: list[NormOutcome]
    effective_capacity: int | None
    described: bool  # kind of building, zoning and at least one bedroom given

    @property
    def compliant(self) -> bool:
        """Described, and every norm that applies to it is met."""
        return self.described and all(o.passed for o in self.outcomes if o.applies)


def location_compliance(
    location: Location,
    *,
    on: date,
    persons: int | None = None,
    rules: list[norms.MunicipalRule] | None = None,
    facts: norms.LocationFacts | None = None,
) -> Compliance:
    """Every norm's findings for a location on a date, and the capacity that follows."""
    if rules is None:
        rules = municipal_rules(location.municipality_id)
    return facts_compliance(
        facts or location_facts(location),
        on=on,
        permitted_capacity=location.permitted_capacity,
        rules=rules,
        persons=persons,
        location=location,
    )


def facts_compliance(
    facts: norms.LocationFacts,
    *,
    on: date,
    permitted_capacity: int | None,
    rules: list[norms.MunicipalRule],
    persons: int | None = None,
    location: Location | None = None,
) -> Compliance:
    """The same for a description that is not stored (a file being checked).

    SNF and AKF apply to a location with that quality mark, or whose municipality requires
    it; both are always shown, so that a provider sees what a location could hold under
    each. The law (Wet goed verhuurderschap) and the municipality's own rules always apply.
    An expired mark still says which norm the location is meant to meet; its expiry is shown
    on its own.
    """
    parameters = norm_parameters()
    schemes = {scheme for scheme, _valid_until in facts.marks}
    if persons is None:
        persons = facts.beds
    required = norms.municipal_marks_required(rules, on=on)
    outcomes = []
    for norm in norms.norms_applicable(parameters):
        if norm == norms.SNF_2025:
            continue  # judged with SNF (findings_for adds it when switched on)
        if norm in {norms.SNF, norms.AKF}:
            applies = norm in schemes or norm in required
            if norm in schemes:
                why = norms.gettext_noop("The location holds this quality mark.")
            elif applies:
                why = norms.gettext_noop("The municipality requires this quality mark.")
            else:
                why = norms.gettext_noop(
                    "Shown for information: the location does not hold this mark."
                )
        elif norm == norms.MUNICIPAL:
            applies = bool(rules)
            why = norms.gettext_noop("Rules of the municipality where the location is.")
        else:
            applies = True
            why = norms.gettext_noop("The law applies to every location.")
        findings = norms.findings_for(
            facts, persons=persons, on=on, norm=norm, municipal=rules, parameters=parameters
        )
        if norm == norms.MUNICIPAL and not findings:
            continue
        outcomes.append(
            NormOutcome(
                norm=norm,
                label=norms.NORM_LABELS[norm],
                applies=applies,
                why=why,
                findings=findings,
                capacity=norms.norm_capacity(findings),
            )
        )
    described = bool(facts.building_type and facts.zoning and facts.bedrooms)
    # Norms judge a described location only: an empty description would allow nobody.
    effective = norms.effective_capacity(
        permitted_capacity,
        [o.capacity.persons for o in outcomes if o.applies] if described else [],
        beds=facts.beds if described else None,
    )
    return Compliance(
        location=location,
        on=on,
        persons=persons,
        outcomes=outcomes,
        effective_capacity=effective,
        described=described,
    )


def _judged(locations, *, on: date, parts=None) -> Iterator[tuple[Location, Compliance]]:
    """Each location with its compliance on a date; a municipality's own rules are read once.
    `parts`: rooms and marks per location id from `_rooms_and_marks`, instead of each location's
    own (prefetched) rooms and certificates."""
    rules_of: dict[int, list[norms.MunicipalRule]] = {}
    for location in locations:
        if location.municipality_id not in rules_of:
            rules_of[location.municipality_id] = municipal_rules(location.municipality_id)
        facts = None
        if parts is not None:
            rooms, marks = parts
            facts = location_facts(
                location,
                rooms=tuple(rooms.get(location.pk, ())),
                marks=tuple(marks.get(location.pk, ())),
            )
        yield (
            location,
            location_compliance(
                location, on=on, rules=rules_of[location.municipality_id], facts=facts
            ),
        )


def _rooms_and_marks(locations) -> tuple[dict[int, list[norms.Room]], dict[int, list[tuple]]]:
    """The rooms and quality marks of `locations` (a queryset), as plain rows per location
    id: thousands of locations without a model object per room."""
    rooms: dict[int, list[norms.Room]] = defaultdict(list)
    for location_id, use, area, beds, walkable in (
        Room.objects.filter(location__in=locations)
        .order_by("location", "pk")
        .values_list("location_id", "use", "area_m2", "beds", "walkable_m2")
    ):
        rooms[location_id].append(norms.Room(use, area, beds, walkable))
    marks: dict[int, list[tuple]] = defaultdict(list)
    for location_id, scheme, valid_until in (
        Certificate.objects.filter(location__in=locations)
        .order_by("location", "scheme")
        .values_list("location_id", "scheme", "valid_until")
    ):
        marks[location_id].append((scheme, valid_until))
    return rooms, marks


# Judgements are kept for dates near today only: lists and signals ask about today and the
# last nights; a night long past is judged afresh each time it is asked about.
JUDGEMENTS_KEPT_DAYS = 7


@dataclass(frozen=True)
class Judged:
    """What a list shows of a location's compliance on a day (see `Compliance`)."""

    effective_capacity: int | None
    described: bool
    compliant: bool
    failing: frozenset[str]  # the norms with a rule not met, applying or not

    @classmethod
    def of(cls, compliance: Compliance) -> Judged:
        return cls(
            effective_capacity=compliance.effective_capacity,
            described=compliance.described,
            compliant=compliance.compliant,
            failing=frozenset(o.norm for o in compliance.outcomes if not o.passed),
        )


def location_judgements(locations, *, on: date) -> dict[int, Judged]:
    """Each location's judgement on a date, by id, for a queryset of locations.

    Judging every norm costs about a third of a millisecond a location, which for the
    province's 3,000 locations is a second on every page and after every import. So a
    judgement is kept (`Judgement`) with the location's `facts_version` and the norm
    switches it was made with, and used while both are the same; every change of what the
    norms judge raises the version (`housing.receivers`). The versions are read before the
    facts: a judgement made from facts that changed meanwhile is kept under the old version,
    so it is judged again next time, never shown as current.
    """
    versions = dict(locations.order_by().values_list("pk", "facts_version"))
    if not versions:
        return {}
    switches = _switches()
    kept_here = abs((on - timezone.localdate()).days) <= JUDGEMENTS_KEPT_DAYS
    found: dict[int, Judged] = {}
    if kept_here:
        # By the ids already read, from a table with a primary key: a subquery of `locations`
        # was planned as a scan of it per kept judgement while the table had no statistics.
        with ids_table(versions) as ids:
            kept = list(
                Judgement.objects.filter(
                    location_id__in=in_table(ids), on=on, parameters=switches
                ).values_list(
                    "location_id",
                    "facts_version",
                    "effective_capacity",
                    "described",
                    "compliant",
                    "failing",
                )
            )
        for location_id, version, capacity, described, compliant, failing in kept:
            if versions[location_id] == version:
                found[location_id] = Judged(capacity, described, compliant, frozenset(failing))
    missing = [pk for pk in versions if pk not in found]
    if not missing:
        return found
    judged_now = Location.objects.filter(pk__in=missing).select_related(None)
    for location, compliance in _judged(judged_now, on=on, parts=_rooms_and_marks(judged_now)):
        found[location.pk] = Judged.of(compliance)
    if kept_here:
        _judgements_keep({pk: found[pk] for pk in missing}, versions, on=on, switches=switches)
    return found


def _switches() -> str:
    parameters = norm_parameters()
    return f"snf2025={int(parameters.snf_2025)},uhn={int(parameters.uhn_burners)}"


def _judgements_keep(
    judged: dict[int, Judged], versions: dict[int, int], *, on: date, switches: str
) -> None:
    """Keep fresh judgements in place of older ones, at best: a page must not wait for an
    import that keeps the same locations' judgements in its own transaction, so a lock not
    had within a moment (or a deadlock, or SQLite's one writer busy) leaves them unkept, to
    be judged again next time. A judgement another request kept at the same moment is as
    good as this one, so a conflict is ignored. Rows go in id order, so that two requests
    keeping the same locations wait for each other instead of deadlocking."""
    ids = sorted(judged)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT current_setting('lock_timeout')")
                before = cursor.fetchone()[0]
                cursor.execute("SET LOCAL lock_timeout = '200ms'")
            Judgement.objects.filter(location_id__in=ids, on=on).delete()
            Judgement.objects.filter(
                on__lt=timezone.localdate() - timedelta(JUDGEMENTS_KEPT_DAYS)
            ).delete()
            Judgement.objects.bulk_create(
                [
                    Judgement(
                        location_id=pk,
                        on=on,
                        facts_version=versions[pk],
                        parameters=switches,
                        described=judged[pk].described,
                        compliant=judged[pk].compliant,
                        effective_capacity=judged[pk].effective_capacity,
                        failing=sorted(judged[pk].failing),
                    )
                    for pk in ids
                ],
                ignore_conflicts=True,
            )
            if connection.vendor == "postgresql":  # the caller's transaction goes on
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [before])
    except OperationalError as error:  # lock timeout, deadlock, SQLite busy
        logger.info("housing judgements not kept this time: %s", error)


def effective_capacities(*, on: date, location_ids=None) -> dict[int, int | None]:
    """The most persons each location may hold on a date: the lowest of its permit and every
    norm that applies to it. The register's overcrowding signal and overview read this, for
    thousands of locations after every import."""
    locations = Location.objects.all()
    if location_ids is not None:
        locations = locations.filter(pk__in=location_ids)
    return {
        pk: judged.effective_capacity
        for pk, judged in location_judgements(locations, on=on).items()
    }


@dataclass(frozen=True)
class LocationFigures:
    """What the monitor counts of one location: no address, no provider."""

    location_id: int
    municipality_id: int
    stay_type: str
    opened_on: date | None
    closed_on: date | None
    capacity: int | None  # effective capacity today, else the permit; None: not known
    certified_until: date | None  # the last day any SNF/AKF certificate is valid
    compliant: bool  # described, and every norm that applies is met today

    def open_on(self, night: date) -> bool:
        return (self.opened_on is None or self.opened_on <= night) and (
            self.closed_on is None or self.closed_on >= night
        )


def location_figures(*, on: date) -> list[LocationFigures]:
    """Every location's countable facts, judged against the norms of `on` (norms change
    rarely; a past night is counted with today's judgement, as the overcrowding signal does)."""
    locations = Location.objects.all()
    judged = location_judgements(locations, on=on)
    certified: dict[int, date] = {}
    for location_id, valid_until in Certificate.objects.values_list("location_id", "valid_until"):
        certified[location_id] = max(valid_until, certified.get(location_id, valid_until))
    return [
        LocationFigures(
            location_id=location.pk,
            municipality_id=location.municipality_id,
            stay_type=location.stay_type,
            opened_on=location.opened_on,
            closed_on=location.closed_on,
            capacity=(
                judged[location.pk].effective_capacity
                if judged[location.pk].effective_capacity is not None
                else location.permitted_capacity
            ),
            certified_until=certified.get(location.pk),
            compliant=judged[location.pk].compliant,
        )
        for location in locations.only(
            "pk", "municipality_id", "stay_type", "opened_on", "closed_on", "permitted_capacity"
        )
        if location.pk in judged
    ]


EXPIRING_WITHIN_DAYS = 30


@dataclass(frozen=True)
class LocationRow:
    location: Location
    judged: Judged
    marks: list[Certificate]
    expiring: list[Certificate]  # expired, or expiring within 30 days

    @property
    def compliant(self) -> bool:
        return self.judged.compliant


def location_rows(*, user, on: date, filters: dict | None = None) -> list[LocationRow]:
    """The user's locations (own, or in the territory) with capacity, marks and compliance."""
    filters = filters or {}
    locations = (
        Location.objects.visible_to(user)
        .select_related("municipality", "provider")
        .defer("municipality__boundary")  # a municipality's outline is a large JSON text
        .prefetch_related("certificates")
        .order_by("municipality__name", "street", "number", "code")
    )
    if filters.get("stay_type"):
        locations = locations.filter(stay_type=filters["stay_type"])
    if filters.get("building_type"):
        locations = locations.filter(building_type=filters["building_type"])
    if filters.get("mark") == "none":
        locations = locations.filter(certificates__isnull=True)
    elif filters.get("mark"):
        locations = locations.filter(certificates__scheme=filters["mark"])
    rows = []
    soon = on + timedelta(days=EXPIRING_WITHIN_DAYS)
    listed = list(locations.distinct())
    judged = location_judgements(Location.objects.filter(pk__in=[x.pk for x in listed]), on=on)
    for location in listed:
        if location.pk not in judged:  # deleted meanwhile
            continue
        marks = list(location.certificates.all())
        row = LocationRow(
            location=location,
            judged=judged[location.pk],
            marks=marks,
            expiring=[c for c in marks if c.valid_until <= soon],
        )
        if filters.get("non_compliant") and row.compliant:
            continue
        failing = filters.get("failing")
        if failing and failing not in row.judged.failing:
            continue
        if filters.get("expiring") and not row.expiring:
            continue
        rows.append(row)
    return rows


@dataclass(frozen=True)
class CountRow:
    municipality: str
    stay_type: str
    locations: int
    permitted_capacity: int
    certified: int
    compliant: int
    effective_capacity: int  # locations without any capacity count as 0

    @property
    def compliant_percent(self) -> int:
        return round(100 * self.compliant / self.locations) if self.locations else 0

    @property
    def stay_type_label(self) -> str:
        return StayType(self.stay_type).label if self.stay_type else ""


def housing_counts(*, on: date) -> list[CountRow]:
    """Locations open on a date, their permitted and effective capacity, quality marks and
    compliance, per municipality and kind of stay: counts only, for the province."""
    locations = (
        Location.objects.select_related("municipality")
        .only(
            "pk", "stay_type", "permitted_capacity", "opened_on", "closed_on", "municipality__name"
        )
        .order_by("municipality__name", "stay_type")
    )
    judged = location_judgements(Location.objects.all(), on=on)
    marked = set(Certificate.objects.values_list("location_id", flat=True))
    groups: dict[tuple[str, str], list[int]] = {}
    for location in locations:
        if location.pk not in judged:  # added since the judgements were read
            continue
        if (location.opened_on and location.opened_on > on) or (
            location.closed_on and location.closed_on < on
        ):
            continue
        counts = groups.setdefault(
            (location.municipality.name, location.stay_type), [0, 0, 0, 0, 0]
        )
        counts[0] += 1
        counts[1] += location.permitted_capacity or 0
        counts[2] += location.pk in marked
        counts[3] += judged[location.pk].compliant
        counts[4] += judged[location.pk].effective_capacity or 0
    return [
        CountRow(municipality, stay_type, *counts)
        for (municipality, stay_type), counts in sorted(groups.items())
    ]
