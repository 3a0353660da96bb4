"""Reads of the lenders' registers (statuses by KvK number, the registers' dates, lookups:
public data about businesses), and an employer's or agency's workers as counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from welkom.housing.models import Certificate, Location
from welkom.housing.selectors import Judged, location_judgements
from welkom.lib.bulk import ids_table, in_table
from welkom.organisations import rules as organisation_rules
from welkom.organisations.models import Organisation
from welkom.organisations.rules import KvkNumberError, kvk_number_normalise
from welkom.organisations.selectors import organisations_where
from welkom.register.models import Stay
from welkom.register.selectors import employer_counts
from welkom.work import rules
from welkom.work.models import MinimumWage, Placement, RegisterImport, StatusRecord

LOOKUP_LIMIT = 20


@dataclass(frozen=True)
class RegisterDate:
    register: str
    as_of: date | None  # the newest export Welkom holds; None: none yet
    stale: bool


@dataclass(frozen=True)
class Lender:
    kvk_number: str
    name: str
    statuses: list[rules.Status]  # every register's history, oldest first
    sna: rules.Status | None  # today's, per register
    wtta: rules.Status | None
    duty: str  # rules.DUTIES: what hiring through it means today

    @property
    def listed(self) -> bool:
        return bool(self.statuses)


def register_dates(*, today: date | None = None) -> dict[str, RegisterDate]:
    today = today or timezone.localdate()
    newest = dict(
        RegisterImport.objects.exclude(status=RegisterImport.Status.REJECTED)
        .values_list("register")
        .annotate(newest=Max("as_of"))
    )
    return {
        register: RegisterDate(
            register,
            newest.get(register),
            rules.register_stale(
                newest.get(register), today=today, days=settings.AGENCY_REGISTER_STALE_DAYS
            ),
        )
        for register in rules.REGISTERS
    }


def lenders(
    kvk_numbers, *, names: dict[str, str] | None = None, today: date | None = None
) -> list[Lender]:
    """A `Lender` per KvK number, in the order given; `names`: the name to show for a lender
    no register lists (an agency known to Welkom)."""
    today = today or timezone.localdate()
    kvk_numbers = list(dict.fromkeys(kvk_numbers))
    history: dict[str, list[StatusRecord]] = defaultdict(list)
    for record in StatusRecord.objects.filter(kvk_number__in=kvk_numbers).order_by("as_of", "pk"):
        history[record.kvk_number].append(record)
    found = []
    for kvk in kvk_numbers:
        records = history.get(kvk, [])
        statuses = [record.as_rule() for record in records]
        found.append(
            Lender(
                kvk_number=kvk,
                name=records[-1].name if records else (names or {}).get(kvk, ""),
                statuses=statuses,
                sna=rules.status_on(statuses, rules.SNA, today),
                wtta=rules.status_on(statuses, rules.WTTA, today),
                duty=rules.lending_duty(statuses, today),
            )
        )
    return found


def lender_lookup(query: str, *, today: date | None = None) -> list[Lender]:
    """Lenders by KvK number (exactly) or by a part of the name (at least three letters), as
    the registers and Welkom's own temp agencies name them; at most `LOOKUP_LIMIT`."""
    query = query.strip()
    try:
        kvk = kvk_number_normalise(query)
    except KvkNumberError:
        kvk = None
    agencies = Organisation.objects.filter(kind=organisation_rules.TEMP_AGENCY).exclude(
        kvk_number=""
    )
    if kvk:
        numbers = [kvk]
        names = dict(agencies.filter(kvk_number=kvk).values_list("kvk_number", "name"))
        if not names and not StatusRecord.objects.filter(kvk_number=kvk).exists():
            return []
    else:
        if len(query) < 3:
            return []
        numbers = list(
            StatusRecord.objects.filter(name__icontains=query)
            .order_by("kvk_number")
            .values_list("kvk_number", flat=True)
            .distinct()[:LOOKUP_LIMIT]
        )
        names = dict(
            agencies.filter(name__icontains=query).values_list("kvk_number", "name")[:LOOKUP_LIMIT]
        )
        numbers = sorted(set(numbers) | set(names))[:LOOKUP_LIMIT]
    return sorted(lenders(numbers, names=names, today=today), key=lambda lender: lender.name)


def lender_rows(*, query: str = "", today: date | None = None) -> list[Lender]:
    """For staff: every lender a register lists or Welkom knows as a temp agency, or those
    matching `query`, by name."""
    if query:
        return lender_lookup(query, today=today)
    agencies = dict(
        Organisation.objects.filter(kind=organisation_rules.TEMP_AGENCY)
        .exclude(kvk_number="")
        .values_list("kvk_number", "name")
    )
    numbers = set(StatusRecord.objects.values_list("kvk_number", flat=True).distinct())
    return sorted(
        lenders(numbers | set(agencies), names=agencies, today=today),
        key=lambda lender: (lender.name.lower(), lender.kvk_number),
    )


def lender_of(kvk_number: str) -> Lender | None:
    found = lender_lookup(kvk_number)
    return found[0] if found else None


@dataclass(frozen=True)
class WorkerPlace:
    """A location where an organisation's workers slept on a night: counts only."""

    location: Location
    persons: int
    registrations: dict[str, int]  # Registration → persons
    judged: Judged | None  # the location's compliance today


@dataclass(frozen=True)
class HiredThrough:
    """An agency through which a hirer has workers placed on a night, with what hiring
    through it means on that night."""

    lender: Lender
    workers: int
    duty: str  # rules.DUTIES on the night


def hired_through(*, hirer_kvk: str, night: date) -> list[HiredThrough]:
    """The agencies of a hirer's placements that run on `night`: grouped counts only."""
    rows = (
        Placement.objects.filter(hirer_kvk=hirer_kvk, starts_on__lte=night)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=night))
        .exclude(agency_kvk="")
        .values("agency_kvk")
        .annotate(workers=Count("person_id", distinct=True))
        .order_by()
    )
    workers = {row["agency_kvk"]: row["workers"] for row in rows}
    agencies = dict(
        Organisation.objects.filter(kvk_number__in=workers).values_list("kvk_number", "name")
    )
    return [
        HiredThrough(lender, workers[lender.kvk_number], rules.lending_duty(lender.statuses, night))
        for lender in lenders(sorted(workers), names=agencies, today=night)
    ]


@dataclass(frozen=True)
class WorkersOf:
    """An employer's or agency's workers on a night, as its night lists' providers named
    them: where they stay, in which municipality, registered how. No names."""

    organisation: Organisation
    night: date
    places: list[WorkerPlace]
    municipalities: list[tuple[str, int]]
    registrations: dict[str, int]
    lender: Lender | None  # a temp agency's own SNA and Wtta status
    agencies: list[HiredThrough]  # an employer's agencies, from its placements

    @property
    def persons(self) -> int:
        return sum(place.persons for place in self.places)


def workers_of(*, user, night: date) -> list[WorkersOf]:
    """For each of the user's employers and agencies whose membership grants
    "work.view_own_workers": its workers on `night`, by location, municipality and
    registration; counts only, so no person is read or logged."""
    organisations = [
        organisation
        for organisation in organisations_where(user, "work.view_own_workers")
        if organisation.kind in {organisation_rules.EMPLOYER, organisation_rules.TEMP_AGENCY}
        and organisation.kvk_number
    ]
    counts = employer_counts(kvk_numbers=[o.kvk_number for o in organisations], night=night)
    locations = {
        location.pk: location
        for location in Location.objects.filter(pk__in={row[0] for row in counts})
        .select_related("municipality", "provider")
        .defer("municipality__boundary")
    }
    judged = location_judgements(
        Location.objects.filter(pk__in=list(locations)), on=timezone.localdate()
    )
    found = []
    for organisation in organisations:
        per_place: dict[int, dict[str, int]] = defaultdict(dict)
        for location_id, kvk, registration, persons in counts:
            if kvk == organisation.kvk_number and location_id in locations:
                per_place[location_id][registration] = persons
        places = sorted(
            (
                WorkerPlace(locations[pk], sum(by.values()), by, judged.get(pk))
                for pk, by in per_place.items()
            ),
            key=lambda p: (p.location.municipality.name, p.location.street, p.location.number),
        )
        municipalities: dict[str, int] = defaultdict(int)
        registrations: dict[str, int] = defaultdict(int)
        for place in places:
            municipalities[place.location.municipality.name] += place.persons
            for registration, persons in place.registrations.items():
                registrations[registration] += persons
        found.append(
            WorkersOf(
                organisation=organisation,
                night=night,
                places=places,
                municipalities=sorted(municipalities.items()),
                registrations=dict(registrations),
                lender=(
                    lenders([organisation.kvk_number])[0]
                    if organisation.kind == organisation_rules.TEMP_AGENCY
                    else None
                ),
                agencies=(
                    hired_through(hirer_kvk=organisation.kvk_number, night=night)
                    if organisation.kind == organisation_rules.EMPLOYER
                    else []
                ),
            )
        )
    return found


@dataclass(frozen=True)
class RentRow:
    location: Location
    certified: bool  # an SNF or AKF mark valid on the day
    findings: list[str]  # rules.RENT_* codes


@dataclass(frozen=True)
class RentOverview:
    on: date
    weekly_minimum_wage: MinimumWage | None  # the amount in force on the day, if recorded
    limit: Decimal | None  # the most that may be deducted per bed per week
    rows: list[RentRow]


@dataclass(frozen=True)
class RentBasis:
    """What the rent rule needs besides a location's rent, on a day."""

    certified: set[int]  # locations with an SNF or AKF mark valid on the day
    wage: MinimumWage | None  # the minimum wage in force on the day, if recorded
    limit: Decimal | None  # the most that may be deducted per bed per week

    def findings(self, location_id: int, weekly_rent: Decimal, on: date) -> list[str]:
        return rules.rent_deduction_findings(
            weekly_rent=weekly_rent,
            weekly_minimum_wage=self.wage.weekly_amount if self.wage else None,
            certified=location_id in self.certified,
            on=on,
        )


def rent_basis(location_ids, *, on: date) -> RentBasis:
    """The certificates and minimum wage the rent rule weighs these locations' rent with: one
    source for the signals (`findings.rent_deducted_found`) and the rent page."""
    certified = set(
        Certificate.objects.filter(location_id__in=list(location_ids), valid_until__gte=on)
        .values_list("location_id", flat=True)
        .distinct()
    )
    wage = MinimumWage.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
    limit = rules.rent_deduction_limit(wage.weekly_amount if wage else None, on)
    return RentBasis(certified, wage, limit)


def rent_overview(*, user, on: date) -> RentOverview:
    """The locations the user sees whose rent is declared, with what the rent rule finds on
    `on` (the same rule as the signals, `findings.rent_deducted_found`)."""
    locations = list(
        Location.objects.visible_to(user)
        .filter(rent_per_bed_week__isnull=False)
        .exclude(closed_on__lte=on)
        .select_related("municipality", "provider")
        .order_by("municipality__name", "street", "number", "code")
    )
    basis = rent_basis([location.pk for location in locations], on=on)
    rows = [
        RentRow(
            location,
            location.pk in basis.certified,
            basis.findings(location.pk, location.rent_per_bed_week, on)
            if location.rent_deducted
            else [],
        )
        for location in locations
    ]
    return RentOverview(on, basis.wage, basis.limit, rows)


@dataclass
class PlacedCounts:
    """Persons who slept in an area on a night, by how they work there: counts only.
    `agencies`: persons per agency KvK number (a person placed through two counts for
    each); the totals count each person once."""

    placed: int = 0  # with a running placement
    placed_agency: int = 0  # of them through an agency
    placed_admitted: int = 0  # through agencies that all hold a Wtta admission on the night
    placed_unadmitted: int = 0  # through at least one agency without it
    housed_by_employer: int = 0  # in housing of their employer or agency
    agencies: dict[str, int] = field(default_factory=dict)


def placed_counts(*, night: date, municipality_ids=None) -> dict[int, PlacedCounts]:
    """Per municipality (those given, or all): who slept there on `night` and works through
    whom, from the night lists' employer KvK number and the placements that run that night.
    Counts, so no person is read out or logged. "Housed by the employer": the location's
    provider has the KvK number of the employer the night list names, or of the hirer or
    agency of a running placement."""
    stays = Stay.internal.on_night(night)
    if municipality_ids is not None:
        stays = stays.filter(location__municipality_id__in=list(municipality_ids))
    stayed = {
        person_id: (municipality_id, provider_kvk, employer_kvk)
        for person_id, municipality_id, provider_kvk, employer_kvk in stays.values_list(
            "person_id",
            "location__municipality_id",
            "location__provider__kvk_number",
            "employer_kvk",
        ).iterator(chunk_size=20_000)
    }
    placed_with: dict[int, set[tuple[str, str]]] = defaultdict(set)
    if stayed:
        with ids_table(stayed) as persons:
            for person_id, hirer, agency in (
                Placement.internal.filter(person_id__in=in_table(persons), starts_on__lte=night)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=night))
                .values_list("person_id", "hirer_kvk", "agency_kvk")
            ):
                placed_with[person_id].add((hirer, agency))
    agencies = {agency for pairs in placed_with.values() for _hirer, agency in pairs if agency}
    admitted = {
        lender.kvk_number
        for lender in lenders(sorted(agencies), today=night)
        if rules.admitted_on(lender.statuses, night)
    }
    counts: dict[int, PlacedCounts] = defaultdict(PlacedCounts)
    for person_id, (municipality_id, provider_kvk, employer_kvk) in stayed.items():
        cell = counts[municipality_id]
        pairs = placed_with.get(person_id, set())
        employers = {employer_kvk} | {kvk for pair in pairs for kvk in pair}
        if provider_kvk and provider_kvk in employers:
            cell.housed_by_employer += 1
        if not pairs:
            continue
        cell.placed += 1
        through = {agency for _hirer, agency in pairs if agency}
        if through:
            cell.placed_agency += 1
            if through <= admitted:
                cell.placed_admitted += 1
            else:
                cell.placed_unadmitted += 1
            for agency in through:
                cell.agencies[agency] = cell.agencies.get(agency, 0) + 1
    return dict(counts)


@dataclass(frozen=True)
class TerritoryPlacements:
    """A municipality's view: its placements by agency, with each agency's status."""

    municipality: object
    night: date
    counts: PlacedCounts
    agencies: list[HiredThrough]  # by persons, most first


def territory_placements(*, user, night: date) -> list[TerritoryPlacements]:
    from welkom.organisations.selectors import territory_where
    from welkom.places.models import Municipality

    territory = territory_where(user, "work.view_territory_placements")
    counts = placed_counts(night=night, municipality_ids=territory)
    names = dict(
        Organisation.objects.filter(
            kind=organisation_rules.TEMP_AGENCY,
            kvk_number__in={kvk for cell in counts.values() for kvk in cell.agencies},
        ).values_list("kvk_number", "name")
    )
    found = []
    for municipality in Municipality.objects.filter(pk__in=territory).defer("boundary"):
        cell = counts.get(municipality.pk, PlacedCounts())
        agencies = [
            HiredThrough(lender, cell.agencies[lender.kvk_number], lender.duty)
            for lender in lenders(sorted(cell.agencies), names=names, today=night)
        ]
        agencies.sort(key=lambda hired: (-hired.workers, hired.lender.name))
        found.append(TerritoryPlacements(municipality, night, cell, agencies))
    return found
