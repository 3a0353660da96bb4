"""A synthetic but plausible population of housing providers, locations and workers.

Pure and deterministic: the same seed and scale give the same data, byte for byte. The
locations lean towards Noord- and Midden-Limburg, where most international workers live;
names come from Polish, Romanian, Bulgarian and other EU locales.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# Where the workers' names and home places come from, with a weight each.
LOCALES = {
    "pl_PL": ("PL", "POL", 45),
    "ro_RO": ("RO", "ROU", 20),
    "bg_BG": ("BG", "BGR", 12),
    "hu_HU": ("HU", "HUN", 5),
    "lt_LT": ("LT", "LTU", 5),
    "sk_SK": ("SK", "SVK", 4),
    "pt_PT": ("PT", "PRT", 4),
    "lv_LV": ("LV", "LVA", 3),
    "cs_CZ": ("CZ", "CZE", 2),
}
REGION_WEIGHTS = {"Noord-Limburg": 5, "Midden-Limburg": 4, "Zuid-Limburg": 1}
# The first locations lie in the demo's two featured municipalities, Venlo and Horst aan de
# Maas, so that each featured municipality account sees housing in its own territory.
FEATURED_MUNICIPALITIES = ["GM0983", "GM1507"]
DOCUMENT_TYPES = ["identity card", "passport"]
STREETS = [
    "Industrieweg",
    "Kerkstraat",
    "Stationsweg",
    "Molenweg",
    "Venloseweg",
    "Tuinbouwweg",
    "Logistiekweg",
    "Parallelweg",
    "Hoofdstraat",
    "Dorpsstraat",
    "Maasweg",
    "Peelweg",
]


@dataclass(frozen=True)
class Scale:
    providers: int
    locations: int
    persons: int
    nights: int


class DemoExtraMissing(RuntimeError):
    """The demo extra (Faker) is not installed."""


SCALES = {
    # Five months for the small demo, so that stays pass the BRP's four months and signals show.
    "small": Scale(providers=2, locations=4, persons=60, nights=150),
    "province": Scale(providers=300, locations=3000, persons=120_000, nights=30),
}


@dataclass(frozen=True)
class DemoLocation:
    provider_index: int
    code: str
    street: str
    number: int
    postcode: str
    municipality_code: str
    capacity: int


@dataclass(frozen=True)
class DemoPerson:
    family_name: str
    given_names: str
    date_of_birth: date
    nationality: str
    home_place: str
    home_country: str
    document_type: str
    registration: str


# How the demo's workers are registered (the real shares are unknown; these make every
# kind of signal appear).
REGISTRATIONS = {"brp": 30, "rni": 40, "none": 20, "": 10}


@dataclass(frozen=True)
class DemoStay:
    person_index: int
    location_index: int
    check_in: date
    check_out: date  # exclusive


def _name_pools(rng: random.Random, size: int) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Per locale: family names, given names and home places, drawn once from Faker."""
    try:
        from faker import Faker  # the demo extra: production installs have no demo data
    except ImportError:
        raise DemoExtraMissing(
            "Demo data needs the demo extra: pip install -r requirements/demo.txt"
        ) from None
    pools = {}
    for locale in LOCALES:
        faker = Faker(locale)
        faker.seed_instance(rng.randrange(2**32))
        pools[locale] = (
            [faker.last_name() for _ in range(size)],
            [faker.first_name() for _ in range(size)],
            [faker.city() for _ in range(size // 4 or 1)],
        )
    return pools


def locations_generate(
    rng: random.Random,
    *,
    scale: Scale,
    postcodes_by_municipality: dict[str, list[str]],
    region_of: dict[str, str],
) -> list[DemoLocation]:
    municipalities = sorted(postcodes_by_municipality)
    weights = [REGION_WEIGHTS[region_of[code]] for code in municipalities]
    locations = []
    for index in range(scale.locations):
        provider_index = index % scale.providers
        if index < 2 * len(FEATURED_MUNICIPALITIES):
            municipality = FEATURED_MUNICIPALITIES[index % len(FEATURED_MUNICIPALITIES)]
        else:
            municipality = rng.choices(municipalities, weights)[0]
        pc4 = rng.choice(postcodes_by_municipality[municipality])
        letters = "".join(rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        locations.append(
            DemoLocation(
                provider_index=provider_index,
                code=f"L{index // scale.providers + 1:03d}",
                street=rng.choice(STREETS),
                number=rng.randint(1, 250),
                postcode=f"{pc4} {letters}",
                municipality_code=municipality,
                capacity=rng.choice([8, 12, 16, 24, 32, 48, 64, 96]),
            )
        )
    return locations


def persons_generate(rng: random.Random, *, scale: Scale) -> list[DemoPerson]:
    pools = _name_pools(rng, 400)
    locales = list(LOCALES)
    weights = [LOCALES[locale][2] for locale in locales]
    persons = []
    seen: set[tuple] = set()  # two people with one name, birth date and nationality would be
    # one person to the register (without a BSN), so the demo never makes such a pair
    while len(persons) < scale.persons:
        locale = rng.choices(locales, weights)[0]
        family, given, places = pools[locale]
        country, nationality, _weight = LOCALES[locale]
        identity = (
            rng.choice(family),
            rng.choice(given),
            date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45)),
            nationality,
        )
        if identity in seen:
            continue
        seen.add(identity)
        persons.append(
            DemoPerson(
                family_name=identity[0],
                given_names=identity[1],
                date_of_birth=identity[2],
                nationality=nationality,
                home_place=rng.choice(places),
                home_country=country,
                document_type=rng.choice(DOCUMENT_TYPES),
                registration=rng.choices(list(REGISTRATIONS), list(REGISTRATIONS.values()))[0],
            )
        )
    return persons


def stays_generate(
    rng: random.Random, *, scale: Scale, first_night: date, locations: list[DemoLocation]
) -> list[DemoStay]:
    """Most workers stay the whole period at one location; some arrive, leave or move."""
    end = first_night + timedelta(days=scale.nights)
    stays = []
    location_count = len(locations)
    for person_index in range(scale.persons):
        location_index = person_index % location_count
        check_in = first_night
        check_out = end
        draw = rng.random()
        if draw < 0.15:
            check_in = first_night + timedelta(days=rng.randrange(1, scale.nights))
        elif draw < 0.25:
            check_out = first_night + timedelta(days=rng.randrange(1, scale.nights))
        elif draw < 0.30 and scale.nights > 2:
            moved = first_night + timedelta(days=rng.randrange(1, scale.nights - 1))
            stays.append(DemoStay(person_index, location_index, check_in, moved))
            location_index = rng.randrange(location_count)
            check_in = moved
        stays.append(DemoStay(person_index, location_index, check_in, check_out))
    return stays


def nights_of(stay: DemoStay) -> Iterator[date]:
    night = stay.check_in
    while night < stay.check_out:
        yield night
        night += timedelta(days=1)


@dataclass(frozen=True)
class DemoDescription:
    """What a demo location is like: building, facilities, rooms and quality mark."""

    description: dict
    rooms: list[dict]
    certificates: list[dict]


def description_generate(
    rng: random.Random, location: DemoLocation, *, today: date
) -> DemoDescription:
    """Mostly decent housing for the permitted capacity, with some shortfalls to find."""
    capacity = location.capacity
    building_type, zoning = rng.choice(
        [
            ("regular_dwelling", "wonen"),
            ("hotel_pension", "logies"),
            ("building_complex_units", "wonen"),
            ("woonunits", "logies"),
            ("recreation_site", "logies"),
        ]
    )
    per_bedroom = rng.choice([1, 2, 2, 4])
    bedrooms = -(-capacity // per_bedroom)
    rooms = [
        {
            "name": f"Slaapkamer {number + 1}",
            "use": "bedroom",
            "area_m2": Decimal(per_bedroom * rng.choice([35, 40, 45])) / 10,
            "beds": per_bedroom,
        }
        for number in range(bedrooms)
    ]
    living = Decimal(capacity * rng.choice([6, 8, 10]))
    rooms.append({"name": "Woonkamer", "use": "living", "area_m2": living, "beds": 0})
    rooms.append({"name": "Keuken", "use": "kitchen", "area_m2": Decimal(capacity), "beds": 0})
    sanitary = -(-capacity // 8) + rng.choice([-1, 0, 0, 1])
    checked = today - timedelta(days=rng.randint(20, 420))
    description = {
        "building_type": building_type,
        "zoning": zoning,
        "stay_type": rng.choice(["short", "mid", "long"]),
        "toilets": max(sanitary, 1),
        "showers": max(sanitary, 1),
        "burners": capacity // 2,
        "sockets": capacity + rng.choice([-2, 4, 8]),
        "washing": rng.random() > 0.1,
        "drying_outside_bedrooms": rng.random() > 0.15,
        "lockable_storage": True,
        "under_one_roof": rng.random() > 0.05,
        "information_card": rng.random() > 0.2,
        "smoke_detectors_checked": checked,
        "co_detectors_checked": checked,
        "extinguisher_inspected": checked,
        "extinguisher_reob": True,
        "rental_contract_separate": rng.random() > 0.1,
        "rights_information_in_language": rng.random() > 0.2,
    }
    scheme = rng.choice(["snf", "snf", "akf", None])
    certificates = (
        [
            {
                "scheme": scheme,
                "register_id": f"{scheme.upper()}-{rng.randint(10000, 99999)}",
                "valid_until": today + timedelta(days=rng.randint(-20, 400)),
                "last_inspection": today - timedelta(days=rng.randint(30, 300)),
            }
        ]
        if scheme
        else []
    )
    return DemoDescription(description, rooms, certificates)
