"""Housing norms as data plus pure rules: SNF, AKF, the Wet goed verhuurderschap, the
Uniform Housing Norm 2012 (optional) and a municipality's own rules.

Plain values in, plain findings out; nothing here imports Django but
`gettext_noop`, which only marks text for translation. Every rule names its
source, the dates between which it holds, what it measured, what it requires and a
translatable explanation (an English msgid with parameters). A quantitative rule also says
how many persons a location can hold under it; the norm capacity of a location is the
lowest of those, and the rule that gives it is the binding rule.

Sources: the shared domain facts §1 (SNF), §1.4 (Uniforme Huisvestingsnorm 2012), §2 (AKF)
and §3 (Wet goed verhuurderschap). Where a source is secondary or unverified, the rule says
so (`unverified`), and the UI shows it. Figures that the sources do not give are parameters
(`NormParameters`), not guesses in the rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

# Building types (SNF norm 1.2) and AKF's temporary or movable housing.
REGULAR_DWELLING = "regular_dwelling"
HOTEL_PENSION = "hotel_pension"
BUILDING_COMPLEX_UNITS = "building_complex_units"
WOONUNITS = "woonunits"
RECREATION_SITE = "recreation_site"
TEMPORARY = "temporary"
BUILDING_TYPES = (
    REGULAR_DWELLING,
    HOTEL_PENSION,
    BUILDING_COMPLEX_UNITS,
    WOONUNITS,
    RECREATION_SITE,
    TEMPORARY,
)
WONEN, LOGIES = "wonen", "logies"
SHORT, MID, LONG = "short", "mid", "long"
BEDROOM, LIVING, KITCHEN, SANITARY, OTHER = "bedroom", "living", "kitchen", "sanitary", "other"

# Norm sets.
SNF = "snf"
SNF_2025 = "snf-2025"
AKF = "akf"
WGV = "wgv"
UHN_2012 = "uhn-2012"
MUNICIPAL = "municipal"


@dataclass(frozen=True)
class NormParameters:
    """What the sources leave open: how long a check or an inspection stays valid."""

    detector_check_valid_days: int = 365  # smoke and CO detectors: checked within a year
    extinguisher_inspection_valid_days: int = 365  # REOB inspection: yearly
    snf_2025: bool = True  # the reported SNF norm of 1 July 2025 (unverified), switchable
    uhn_burners: bool = False  # the optional burner rule of the Uniform Housing Norm 2012


DEFAULT_PARAMETERS = NormParameters()


@dataclass(frozen=True)
class Room:
    use: str  # BEDROOM, LIVING, KITCHEN, SANITARY, OTHER
    area_m2: Decimal
    beds: int = 0
    walkable_m2: Decimal | None = None  # AKF: the part one can walk on


@dataclass(frozen=True)
class LocationFacts:
    """A location as the norms see it."""

    building_type: str
    zoning: str  # WONEN or LOGIES
    stay_type: str = LONG  # SHORT, MID, LONG
    new_build: bool = False  # SNF 2025: new-build projects
    rooms: tuple[Room, ...] = ()
    toilets: int = 0
    showers: int = 0
    burners: int = 0
    sockets: int = 0
    washing: bool = False  # washing machines or a laundry service
    drying_outside_bedrooms: bool = False
    lockable_storage: bool = False
    under_one_roof: bool = False
    information_card: bool = False
    smoke_detectors_checked: date | None = None
    co_detectors_checked: date | None = None
    extinguisher_inspected: date | None = None
    extinguisher_reob: bool = False
    rental_contract_separate: bool | None = None
    rights_information_in_language: bool | None = None
    marks: tuple[tuple[str, date], ...] = ()  # quality marks held: (SNF or AKF, valid until)

    @property
    def bedrooms(self) -> tuple[Room, ...]:
        return tuple(room for room in self.rooms if room.use == BEDROOM)

    @property
    def area_m2(self) -> Decimal:
        return sum((room.area_m2 for room in self.rooms), Decimal(0))

    @property
    def walkable_m2(self) -> Decimal | None:
        if any(room.walkable_m2 is None for room in self.rooms) or not self.rooms:
            return None
        return sum((room.walkable_m2 for room in self.rooms), Decimal(0))

    @property
    def beds(self) -> int:
        return sum(room.beds for room in self.bedrooms)


@dataclass(frozen=True)
class Finding:
    rule: str
    norm: str
    source: str
    passed: bool
    explanation: str  # msgid
    parameters: dict = field(default_factory=dict)
    measured: str = ""  # as shown: "9.5 m² per person"
    required: str = ""
    capacity: int | None = None  # persons this rule allows; None: no limit from this rule
    unverified: bool = False
    note: str = ""  # msgid: why the rule could not be judged, when it could not
    calculation: str = ""  # how the capacity follows, in figures: "2 × 8 = 16"


@dataclass(frozen=True)
class Rule:
    code: str
    norm: str
    source: str
    explanation: str  # msgid, with %(measured)s and %(required)s where they help
    check: Callable[[LocationFacts, int, date, NormParameters], Finding | None]
    effective_from: date | None = None
    effective_until: date | None = None  # the last day the rule holds
    unverified: bool = False

    def holds_on(self, on: date) -> bool:
        return (self.effective_from is None or self.effective_from <= on) and (
            self.effective_until is None or on <= self.effective_until
        )


# What a rule's check is: the facts, the persons, the date and the parameters in; a finding
# out, or None where the rule does not concern the location.
_Check = Callable[[LocationFacts, int, date, NormParameters], Finding | None]


def _m2(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f} m²"


def _floor(value: Decimal) -> int:
    return max(0, math.floor(value))


def _area_per_person(minimum: Decimal, *, walkable: bool = False) -> _Check:
    """The usable (or walkable) floor area of the whole location, per person."""

    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        area = facts.walkable_m2 if walkable else facts.area_m2
        if area is None:
            return _unknown(gettext_noop("The walkable floor area of the rooms is not given."))
        capacity = _floor(area / minimum)
        per_person = area / persons if persons else area
        return _quantity(
            persons <= capacity,
            measured=f"{_m2(per_person)}",
            required=f"≥ {_m2(minimum)}",
            capacity=capacity,
            parameters={"area": _m2(area), "minimum": _m2(minimum)},
            calculation=f"{_m2(area)} / {_m2(minimum)} = {capacity}",
        )

    return check


def _bedroom_area(minimum: Decimal, *, at_most: int | None = None) -> _Check:
    """Per bedroom: its floor area per person (and at most `at_most` persons)."""

    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        bedrooms = facts.bedrooms
        if not bedrooms:
            return _quantity(
                persons == 0, measured="0", required=f"≥ {_m2(minimum)}", capacity=0, parameters={}
            )
        capacity = 0
        crowded = False  # a bedroom with more beds than its floor (or the maximum) allows
        for room in bedrooms:
            fits = _floor(room.area_m2 / minimum)
            if at_most is not None:
                fits = min(fits, at_most)
            capacity += fits
            crowded = crowded or room.beds > fits
        smallest = min((room.area_m2 / room.beds for room in bedrooms if room.beds), default=None)
        per_room = " + ".join(f"{_m2(room.area_m2)} / {_m2(minimum)}" for room in bedrooms[:6]) + (
            " + …" if len(bedrooms) > 6 else ""
        )
        return _quantity(
            persons <= capacity and not crowded,
            measured=_m2(smallest) if smallest is not None else "–",
            required=f"≥ {_m2(minimum)}",
            capacity=capacity,
            parameters={"minimum": _m2(minimum)},
            calculation=f"{per_room}{f' (≤ {at_most} each)' if at_most else ''} = {capacity}",
        )

    return check


def _per_bedroom(at_most: int) -> _Check:
    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        bedrooms = facts.bedrooms
        most = max((room.beds for room in bedrooms), default=0)
        return _quantity(
            persons <= at_most * len(bedrooms) and most <= at_most,
            measured=str(most),
            required=f"≤ {at_most}",
            capacity=at_most * len(bedrooms),
            parameters={"at_most": at_most},
            calculation=f"{len(bedrooms)} × {at_most} = {at_most * len(bedrooms)}",
        )

    return check


def _per_persons(attribute: str, units: int, persons_per: int) -> _Check:
    """At least `units` of something per `persons_per` persons (e.g. 1 toilet per 8)."""

    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        have = getattr(facts, attribute)
        capacity = have * persons_per // units
        calculation = (
            f"{have} × {persons_per} = {capacity}"
            if units == 1
            else f"{have} × {persons_per} / {units} = {capacity}"
        )
        return _quantity(
            persons <= capacity,
            measured=str(have),
            required=f"≥ {math.ceil(persons * units / persons_per) if persons else 0}",
            capacity=capacity,
            parameters={"units": units, "persons_per": persons_per},
            calculation=calculation,
        )

    return check


def _beds(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
    return _quantity(
        persons <= facts.beds,
        measured=str(facts.beds),
        required=f"≥ {persons}",
        capacity=facts.beds,
        parameters={},
        calculation=str(facts.beds),
    )


def _present(attribute: str) -> _Check:
    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        value = getattr(facts, attribute)
        if value is None:
            return _unknown(gettext_noop("Not yet given for this location."))
        return Finding("", "", "", passed=bool(value), explanation="", measured=_yes_no(value))

    return check


def _checked_within(
    attribute: str, days_of: Callable[[NormParameters], int], *, reob=False
) -> _Check:
    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        checked = getattr(facts, attribute)
        days = days_of(parameters)
        valid = checked is not None and checked <= on and on - checked <= timedelta(days=days)
        if reob:
            valid = valid and facts.extinguisher_reob
        return Finding(
            "",
            "",
            "",
            passed=valid,
            explanation="",
            measured=checked.isoformat() if checked else "–",
            required=f"≤ {days} d",
            parameters={"days": days},
        )

    return check


def _yes_no(value: bool) -> str:
    return gettext_noop("yes") if value else gettext_noop("no")


def _quantity(
    passed: bool,
    *,
    measured: str,
    required: str,
    capacity: int,
    parameters: dict,
    calculation: str = "",
) -> Finding:
    return Finding(
        "",
        "",
        "",
        passed=passed,
        explanation="",
        measured=measured,
        required=required,
        capacity=capacity,
        parameters=parameters,
        calculation=calculation,
    )


def _unknown(note: str) -> Finding:
    return Finding("", "", "", passed=False, explanation="", measured="–", note=note)


def _when(predicate: Callable[[LocationFacts], bool], check) -> _Check:
    """A rule that concerns only some locations (by building type, zoning, stay type)."""

    def guarded(
        facts: LocationFacts, persons: int, on: date, parameters: NormParameters
    ) -> Finding | None:
        return check(facts, persons, on, parameters) if predicate(facts) else None

    return guarded


def _snf_twelve(facts: LocationFacts) -> bool:
    """SNF 1.3: 12 m² for regular dwellings and units in a building complex, and wherever the
    zoning is "wonen" (the norm names woonunits; SNF's resident information since 2021 says
    10 m² at logies and 12 m² at wonen locations); 10 m² elsewhere."""
    return facts.building_type in {REGULAR_DWELLING, BUILDING_COMPLEX_UNITS} or (
        facts.zoning == WONEN
    )


def _snf_2025_fifteen(facts: LocationFacts) -> bool:
    return facts.new_build or facts.building_type == HOTEL_PENSION


def _year_round(facts: LocationFacts) -> bool:
    """AKF's 2024 rules are mainly for year-round housing: mid and long stays."""
    return facts.stay_type in {MID, LONG}


SNF_SOURCE = "SNF norm"
AKF_SOURCE = "AKF certification scheme"
D = Decimal

RULES: tuple[Rule, ...] = (
    # --- SNF ------------------------------------------------------------------------------
    Rule(
        "snf-area-logies",
        SNF,
        f"{SNF_SOURCE} 1.3",
        gettext_noop("At least 10 m² usable floor area per person (logies)."),
        _when(lambda f: not _snf_twelve(f), _area_per_person(D(10))),
    ),
    Rule(
        "snf-area-wonen",
        SNF,
        f"{SNF_SOURCE} 1.3",
        gettext_noop(
            "At least 12 m² usable floor area per person in a regular dwelling, units in a "
            "building complex, or woonunits zoned for housing."
        ),
        _when(_snf_twelve, _area_per_person(D(12))),
    ),
    Rule(
        "snf-bedroom-area",
        SNF,
        f"{SNF_SOURCE} 1.4.1",
        gettext_noop("At least 3.5 m² of bedroom floor per person."),
        _when(lambda f: f.building_type != RECREATION_SITE, _bedroom_area(D("3.5"))),
    ),
    Rule(
        "snf-bedroom-area-recreation",
        SNF,
        f"{SNF_SOURCE} 1.4.1 (exception for recreation sites)",
        gettext_noop(
            "On a recreation site: at least 2.7 m² of bedroom floor per person and at most 2 "
            "persons per bedroom (exception ended on 31 December 2023)."
        ),
        _when(lambda f: f.building_type == RECREATION_SITE, _bedroom_area(D("2.7"), at_most=2)),
        effective_until=date(2023, 12, 31),
    ),
    Rule(
        "snf-bedroom-area-recreation-2024",
        SNF,
        f"{SNF_SOURCE} 1.4.1 (from 1 January 2024)",
        gettext_noop("On a recreation site too, at least 3.5 m² of bedroom floor per person."),
        _when(lambda f: f.building_type == RECREATION_SITE, _bedroom_area(D("3.5"))),
        effective_from=date(2024, 1, 1),
    ),
    Rule(
        "snf-beds",
        SNF,
        f"{SNF_SOURCE} 1.4.2",
        gettext_noop("A bed for every resident."),
        _beds,
    ),
    Rule(
        "snf-toilets",
        SNF,
        f"{SNF_SOURCE} 2.1",
        gettext_noop("At least 1 toilet per 8 persons."),
        _per_persons("toilets", 1, 8),
    ),
    Rule(
        "snf-showers",
        SNF,
        f"{SNF_SOURCE} 2.2",
        gettext_noop("At least 1 shower per 8 persons."),
        _per_persons("showers", 1, 8),
    ),
    Rule(
        "snf-sockets",
        SNF,
        f"{SNF_SOURCE}, from 1 June 2021",
        gettext_noop("At least 1 wall socket per resident."),
        _per_persons("sockets", 1, 1),
        effective_from=date(2021, 6, 1),
    ),
    Rule(
        "snf-washing",
        SNF,
        f"{SNF_SOURCE}, from 1 June 2021",
        gettext_noop("Washing machines, or a way to have laundry done."),
        _present("washing"),
        effective_from=date(2021, 6, 1),
    ),
    Rule(
        "snf-drying",
        SNF,
        f"{SNF_SOURCE}, from 1 June 2021",
        gettext_noop("A place to dry laundry outside the bedrooms."),
        _present("drying_outside_bedrooms"),
        effective_from=date(2021, 6, 1),
    ),
    Rule(
        "snf-under-one-roof",
        SNF,
        f"{SNF_SOURCE} 1.3",
        gettext_noop(
            "All facilities (sanitary, kitchen, bedroom, living room) under one roof and "
            "reachable indoors."
        ),
        _present("under_one_roof"),
    ),
    Rule(
        "snf-lockable-storage",
        SNF,
        f"{SNF_SOURCE} 1.4.3",
        gettext_noop("Lockable storage for each resident when the wardrobe is not in the bedroom."),
        _present("lockable_storage"),
    ),
    Rule(
        "snf-extinguisher",
        SNF,
        f"{SNF_SOURCE} 5.1.1",
        gettext_noop(
            "Fire extinguishers inspected by a REOB-recognised company, inspection still valid."
        ),
        _checked_within(
            "extinguisher_inspected", lambda p: p.extinguisher_inspection_valid_days, reob=True
        ),
    ),
    Rule(
        "snf-smoke-detectors",
        SNF,
        f"{SNF_SOURCE} 5.1.3",
        gettext_noop("Smoke detectors present and checked."),
        _checked_within("smoke_detectors_checked", lambda p: p.detector_check_valid_days),
    ),
    Rule(
        "snf-co-detectors",
        SNF,
        f"{SNF_SOURCE} 5.1.3",
        gettext_noop("CO detectors present and checked."),
        _checked_within("co_detectors_checked", lambda p: p.detector_check_valid_days),
    ),
    Rule(
        "snf-information-card",
        SNF,
        f"{SNF_SOURCE} 10, from 1 September 2021",
        gettext_noop("The SNF information card, with the number of beds allowed, on display."),
        _present("information_card"),
        effective_from=date(2021, 9, 1),
    ),
    # --- SNF from 1 July 2025, as reported (secondary source, unverified) ------------------
    Rule(
        "snf-2025-area",
        SNF_2025,
        "SNF norm from 1 July 2025 (reported, not verified against the norm text)",
        gettext_noop(
            "At least 15 m² usable floor area per person, bedroom included, in new-build "
            "projects and hotels or pensions."
        ),
        _when(_snf_2025_fifteen, _area_per_person(D(15))),
        effective_from=date(2025, 7, 1),
        unverified=True,
    ),
    Rule(
        "snf-2025-one-per-bedroom",
        SNF_2025,
        "SNF norm from 1 July 2025 (reported, not verified against the norm text)",
        gettext_noop(
            "A bedroom is in principle for one person (partners may share at their request)."
        ),
        _per_bedroom(1),
        effective_from=date(2025, 7, 1),
        unverified=True,
    ),
    # --- AKF --------------------------------------------------------------------------------
    Rule(
        "akf-area",
        AKF,
        f"{AKF_SOURCE} 1.1, from 1 December 2019",
        gettext_noop("At least 10 m² enclosed living space per person."),
        _when(lambda f: f.building_type != REGULAR_DWELLING, _area_per_person(D(10))),
        effective_from=date(2019, 12, 1),
    ),
    Rule(
        "akf-area-dwelling",
        AKF,
        f"{AKF_SOURCE} 1.1, from 1 December 2019",
        gettext_noop("At least 12 m² enclosed living space per person in a regular dwelling."),
        _when(lambda f: f.building_type == REGULAR_DWELLING, _area_per_person(D(12))),
        effective_from=date(2019, 12, 1),
    ),
    Rule(
        "akf-area-2024",
        AKF,
        f"{AKF_SOURCE}, from 15 August 2024 (year-round housing)",
        gettext_noop("At least 13 m² living space per person."),
        _when(_year_round, _area_per_person(D(13))),
        effective_from=date(2024, 8, 15),
        effective_until=date(2025, 12, 31),
    ),
    Rule(
        "akf-area-2026",
        AKF,
        f"{AKF_SOURCE}, from 1 January 2026 (year-round housing)",
        gettext_noop("At least 15 m² living space per person."),
        _when(_year_round, _area_per_person(D(15))),
        effective_from=date(2026, 1, 1),
    ),
    Rule(
        "akf-walkable",
        AKF,
        f"{AKF_SOURCE}, from 15 August 2024 (year-round housing)",
        gettext_noop("At least 3 m² walkable floor per person."),
        _when(_year_round, _area_per_person(D(3), walkable=True)),
        effective_from=date(2024, 8, 15),
    ),
    Rule(
        "akf-two-per-bedroom",
        AKF,
        f"{AKF_SOURCE}, from 15 August 2024 (year-round housing)",
        gettext_noop("At most 2 persons per bedroom."),
        _when(_year_round, _per_bedroom(2)),
        effective_from=date(2024, 8, 15),
    ),
    Rule(
        "akf-sanitary-under-one-roof",
        AKF,
        f"{AKF_SOURCE}, from 15 August 2024 (year-round housing)",
        gettext_noop("Sanitary facilities under the same roof as the bedrooms."),
        _when(_year_round, _present("under_one_roof")),
        effective_from=date(2024, 8, 15),
    ),
    # --- Wet goed verhuurderschap (law: applies to every location) ---------------------------
    Rule(
        "wgv-separate-contract",
        WGV,
        "Wet goed verhuurderschap, from 1 July 2023",
        gettext_noop("The rental agreement is separate from the employment contract."),
        _present("rental_contract_separate"),
        effective_from=date(2023, 7, 1),
    ),
    Rule(
        "wgv-information-in-language",
        WGV,
        "Wet goed verhuurderschap, from 1 July 2023",
        gettext_noop(
            "Written information on rights and duties in a language the tenant understands."
        ),
        _present("rights_information_in_language"),
        effective_from=date(2023, 7, 1),
    ),
    # --- Uniform Housing Norm 2012 (optional) -------------------------------------------------
    Rule(
        "uhn-burners",
        UHN_2012,
        "Uniforme Huisvestingsnorm 2012",
        gettext_noop("At least 4 cooking burners per 8 persons."),
        _per_persons("burners", 4, 8),
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
NORM_LABELS = {
    SNF: gettext_noop("SNF"),
    SNF_2025: gettext_noop("SNF from 1 July 2025 (unverified)"),
    AKF: gettext_noop("AKF"),
    WGV: gettext_noop("Wet goed verhuurderschap"),
    UHN_2012: gettext_noop("Uniform Housing Norm 2012"),
    MUNICIPAL: gettext_noop("Municipal rules"),
}


# --- a municipality's own rules ---------------------------------------------------------------

MAX_PERSONS_PER_BEDROOM = "max_persons_per_bedroom"
MIN_AREA_PER_PERSON = "min_area_per_person"
SNF_REQUIRED = "snf_required"
AKF_REQUIRED = "akf_required"
MARK_REQUIRED = "mark_required"  # SNF or AKF
MARKS_REQUIRED = {SNF_REQUIRED: (SNF,), AKF_REQUIRED: (AKF,), MARK_REQUIRED: (SNF, AKF)}


@dataclass(frozen=True)
class MunicipalRule:
    """A rule a municipality sets for locations in its territory, with its own dates."""

    municipality: str  # CBS code
    kind: str  # MAX_PERSONS_PER_BEDROOM, MIN_AREA_PER_PERSON or one of MARKS_REQUIRED
    value: Decimal  # persons or m²; not used by a required mark
    effective_from: date
    effective_until: date | None = None
    name: str = ""  # the municipality's name, for the source


def municipal_rules_as_rules(rules: Iterable[MunicipalRule]) -> tuple[Rule, ...]:
    converted = []
    for index, rule in enumerate(rules):
        if rule.kind in MARKS_REQUIRED:
            check = _mark_held(MARKS_REQUIRED[rule.kind])
            explanation = {
                SNF_REQUIRED: gettext_noop("A valid SNF certificate (municipal rule)."),
                AKF_REQUIRED: gettext_noop("A valid AKF certificate (municipal rule)."),
                MARK_REQUIRED: gettext_noop("A valid SNF or AKF certificate (municipal rule)."),
            }[rule.kind]
        elif rule.kind == MAX_PERSONS_PER_BEDROOM:
            check = _per_bedroom(int(rule.value))
            explanation = gettext_noop("At most %(value)s persons per bedroom (municipal rule).")
        else:
            check = _area_per_person(rule.value)
            explanation = gettext_noop(
                "At least %(value)s m² usable floor area per person (municipal rule)."
            )
        converted.append(
            Rule(
                f"municipal-{rule.municipality}-{rule.kind}-{index}",
                MUNICIPAL,
                f"{rule.name or rule.municipality}, from {rule.effective_from.isoformat()}",
                explanation,
                _with_value(check, rule.value),
                effective_from=rule.effective_from,
                effective_until=rule.effective_until,
            )
        )
    return tuple(converted)


def _mark_held(schemes: tuple[str, ...]) -> _Check:
    def check(facts: LocationFacts, persons: int, on: date, parameters: NormParameters) -> Finding:
        held = sorted({scheme for scheme, valid_until in facts.marks if valid_until >= on})
        return Finding(
            "",
            "",
            "",
            passed=any(scheme in schemes for scheme in held),
            explanation="",
            measured=", ".join(s.upper() for s in held) or "–",
            required=" / ".join(s.upper() for s in schemes),
        )

    return check


def municipal_marks_required(rules: Iterable[MunicipalRule], *, on: date) -> set[str]:
    """The quality marks whose norms a municipality makes apply to its locations on a date
    (a rule "SNF or AKF" makes neither apply by itself: the location's own mark decides)."""
    return {
        MARKS_REQUIRED[rule.kind][0]
        for rule in rules
        if rule.kind in {SNF_REQUIRED, AKF_REQUIRED}
        and rule.effective_from <= on
        and (rule.effective_until is None or on <= rule.effective_until)
    }


def _with_value(check, value: Decimal) -> _Check:
    def checked(facts, persons, on, parameters) -> Finding | None:
        finding = check(facts, persons, on, parameters)
        if finding is None:
            return None
        return Finding(
            **{
                **finding.__dict__,
                "parameters": {**finding.parameters, "value": f"{value.normalize():f}"},
            }
        )

    return checked


# --- evaluation ------------------------------------------------------------------------------


def norms_applicable(parameters: NormParameters = DEFAULT_PARAMETERS) -> tuple[str, ...]:
    norms = [SNF, AKF, WGV, MUNICIPAL]
    if parameters.snf_2025:
        norms.insert(1, SNF_2025)
    if parameters.uhn_burners:
        norms.append(UHN_2012)
    return tuple(norms)


def findings_for(
    facts: LocationFacts,
    *,
    persons: int,
    on: date,
    norm: str,
    municipal: Iterable[MunicipalRule] = (),
    parameters: NormParameters = DEFAULT_PARAMETERS,
) -> list[Finding]:
    """Every rule of `norm` that holds on `on` and concerns this location, for `persons`.

    SNF_2025 adds to SNF: the SNF findings on or after 1 July 2025 include it when switched on.
    """
    rules = [r for r in RULES if r.norm == norm]
    if norm == SNF and parameters.snf_2025:
        rules += [r for r in RULES if r.norm == SNF_2025]
    if norm == MUNICIPAL:
        rules = list(municipal_rules_as_rules(municipal))
    findings = []
    for rule in rules:
        if not rule.holds_on(on):
            continue
        found = rule.check(facts, persons, on, parameters)
        if found is None:
            continue
        findings.append(
            Finding(
                rule=rule.code,
                norm=rule.norm,
                source=rule.source,
                passed=found.passed,
                explanation=rule.explanation,
                parameters=found.parameters,
                measured=found.measured,
                required=found.required,
                capacity=found.capacity,
                unverified=rule.unverified,
                note=found.note,
                calculation=found.calculation,
            )
        )
    return findings


@dataclass(frozen=True)
class Capacity:
    persons: int | None  # None: no quantitative rule limits it
    binding: Finding | None  # the rule that gives the lowest capacity
    next: Finding | None  # the rule with the next higher capacity, for the explanation


def norm_capacity(findings: Iterable[Finding]) -> Capacity:
    """The largest number of persons for which every quantitative rule holds. Unverified rules
    are shown but do not limit: they are not yet known to be the norm."""
    limited = sorted(
        (f for f in findings if f.capacity is not None and not f.unverified),
        key=lambda f: (f.capacity, f.rule),
    )
    if not limited:
        return Capacity(None, None, None)
    binding = limited[0]
    following = next((f for f in limited[1:] if f.capacity > binding.capacity), None)
    return Capacity(binding.capacity, binding, following)


def effective_capacity(
    permitted: int | None, capacities: Iterable[int | None], *, beds: int | None = None
) -> int | None:
    """The lowest of the permitted capacity, every applicable norm's capacity, and the beds
    (nobody is housed without a bed, whichever norm applies)."""
    values = [v for v in [permitted, beds, *capacities] if v is not None]
    return min(values) if values else None
