"""Creates the demo organisations and accounts, and writes the demo night lists."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from welkom.demo.population import (
    FEATURED_MUNICIPALITIES,
    SCALES,
    description_generate,
    locations_generate,
    nights_of,
    persons_generate,
    stays_generate,
)
from welkom.housing.models import Location, MunicipalRule
from welkom.housing.services import location_describe, location_register
from welkom.loket.models import Activity, ActivityKind, MunicipalContact
from welkom.loket.services import contact_save
from welkom.organisations import rules
from welkom.organisations.models import Membership, Organisation
from welkom.places.models import Municipality
from welkom.register.list_reader import NIGHT_LIST_COLUMNS
from welkom.register.models import NightListImport
from welkom.register.services import night_list_import

DEMO_PASSWORD = "welkom-demo-2026"
DEMO_DOMAIN = "demo.welkom.test"
LOCATION_COLUMNS = [
    "provider_kvk",
    "location_code",
    "street",
    "number",
    "postcode",
    "municipality_code",
    "permitted_capacity",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organisation: str
    role: str
    superuser: bool = False


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    accounts: list[DemoAccount]
    locations: int
    persons: int
    person_nights: int
    files: Path


# The two featured providers and municipalities let a visitor see the separation.
FEATURED = [
    ("Huisvesting Noord-Limburg B.V.", rules.HOUSING_PROVIDER, None, "huisvester-a", rules.MANAGER),
    ("Flexwonen Maasdal B.V.", rules.HOUSING_PROVIDER, None, "huisvester-b", rules.MANAGER),
    ("Tuinbouw Venlo B.V.", rules.EMPLOYER, None, "werkgever", rules.MANAGER),
    ("Uitzendbureau Limes B.V.", rules.TEMP_AGENCY, None, "uitzendbureau", rules.MANAGER),
    ("Gemeente Venlo", rules.MUNICIPALITY, "GM0983", "gemeente-venlo", rules.MEMBER),
    ("Gemeente Horst aan de Maas", rules.MUNICIPALITY, "GM1507", "gemeente-horst", rules.MEMBER),
    ("Provincie Limburg", rules.PROVINCE, None, "provincie", rules.MEMBER),
    ("Nederlandse Arbeidsinspectie", rules.ENFORCEMENT_PARTNER, None, "inspectie", rules.MEMBER),
]
EXTRA_ACCOUNTS = [
    ("huisvester-a-medewerker", "Huisvesting Noord-Limburg B.V.", rules.MEMBER),
    ("privacy", "Provincie Limburg", rules.PRIVACY_OFFICER),
]


# Lenders of the demo registers besides the featured agency: one of each status, and one
# agency Welkom knows that no register lists (the "unknown" of the agency check).
DEMO_LENDERS = [
    ("90000011", "Grensland Uitzendgroep B.V.", "toegelaten", "gecertificeerd"),
    ("90000012", "Flexwerk Zuid B.V.", "geschorst", "gecertificeerd"),
    ("90000013", "Maas Personeel B.V.", "ingetrokken", "ingetrokken"),
]
DEMO_UNLISTED_AGENCY = ("90000014", "Uitzendbureau Peelland B.V.")


def _lender_registers_demo(organisations: dict[str, Organisation], folder: Path) -> None:
    """An SNA and a Wtta export as the registers publish them (Dutch headers and statuses),
    imported as `welkom import_agency_register` does."""
    from django.utils import timezone

    from welkom.work.models import RegisterImport
    from welkom.work.services import register_import

    Organisation.objects.get_or_create(
        kvk_number=DEMO_UNLISTED_AGENCY[0],
        defaults={"name": DEMO_UNLISTED_AGENCY[1], "kind": rules.TEMP_AGENCY},
    )
    featured = organisations[FEATURED[3][0]]
    as_of = timezone.localdate() - timedelta(days=3)
    lenders = [(featured.kvk_number, featured.name, "toegelaten", "gecertificeerd"), *DEMO_LENDERS]
    folder.mkdir(parents=True, exist_ok=True)
    for register, header, column in (
        ("wtta", "KvK-nummer;Naam;Status;Datum toelating;Einddatum", 2),
        ("sna", "KvK-nummer;Handelsnaam;Certificering;Ingangsdatum;Geldig tot", 3),
    ):
        rows = [header] + [
            f"{lender[0]};{lender[1]};{lender[column]};01-12-2026;" for lender in lenders
        ]
        data = ("\n".join(rows) + "\n").encode()
        (folder / f"{register}.csv").write_bytes(data)
        register_import(
            register=register,
            data=data,
            filename=f"{register}.csv",
            source=RegisterImport.Source.CLI,
            as_of=as_of,
        )


def _placements_demo(organisations: dict[str, Organisation], out_dir: Path, *, first_night) -> None:
    """The featured agency's placement list: each worker its night lists name with the
    agency's KvK number works for the featured employer through it, as
    `welkom import_placements` reads it."""
    from welkom.register.models import Stay
    from welkom.work.models import PlacementImport
    from welkom.work.services import placements_import

    employer, agency = organisations[FEATURED[2][0]], organisations[FEATURED[3][0]]
    workers = (
        Stay.internal.filter(employer_kvk=agency.kvk_number)
        .values_list(
            "person__family_name",
            "person__given_names",
            "person__date_of_birth",
            "person__nationality",
        )
        .distinct()
        .order_by("person__family_name", "person__given_names")
    )
    rows = [
        "family_name;given_names;date_of_birth;nationality;hirer_kvk;agency_kvk;job_start;job_end"
    ]
    rows += [
        f"{family};{given};{born.isoformat()};{nationality};{employer.kvk_number};"
        f"{agency.kvk_number};{first_night.isoformat()};"
        for family, given, born, nationality in workers
    ]
    if len(rows) == 1:
        return
    data = ("\n".join(rows) + "\n").encode()
    (out_dir / "placements.csv").write_bytes(data)
    placements_import(
        sender=agency, data=data, filename="placements.csv", source=PlacementImport.Source.CLI
    )


def _kvk_numbers(rng: random.Random, count: int) -> list[str]:
    numbers: list[str] = []
    seen: set[str] = set()
    while len(numbers) < count:
        number = f"{rng.randrange(10_000_000, 100_000_000)}"
        if number not in seen:
            seen.add(number)
            numbers.append(number)
    return numbers


def _account(
    username: str, organisation: Organisation, role: str, *, superuser: bool = False
) -> DemoAccount:
    User = get_user_model()
    email = f"{username}@{DEMO_DOMAIN}"
    user, created = User.objects.get_or_create(
        username=email,
        defaults={
            "email": email,
            "first_name": username.split("-")[0].capitalize(),
            "last_name": "Demo",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
    if organisation is not None:
        Membership.access_control.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
    return DemoAccount(email, organisation.name if organisation else "—", role, superuser)


@transaction.atomic
def demo_create(
    *, scale: str, seed: int, first_night: date, out_dir: Path, load_nights: bool = True
) -> DemoSummary:
    """Organisations and accounts in the database; locations and night lists as files.

    Locations and night lists are written in the import layouts, so that the housing and
    night-register imports (and their benchmarks) read them as a provider would send them.
    """
    size = SCALES[scale]
    rng = random.Random(seed)
    municipalities = {m.code: m for m in Municipality.objects.select_related("region")}
    organisations, providers = _organisations_create(rng, size.providers, municipalities)
    accounts = _accounts_create(organisations)

    postcodes: dict[str, list[str]] = {}
    for municipality in municipalities.values():
        postcodes[municipality.code] = list(municipality.postcodes.values_list("pc4", flat=True))
    region_of = {code: m.region.name for code, m in municipalities.items()}
    locations = locations_generate(
        rng, scale=size, postcodes_by_municipality=postcodes, region_of=region_of
    )
    persons = persons_generate(rng, scale=size)
    stays = stays_generate(rng, scale=size, first_night=first_night, locations=locations)
    # A quarter of the workers work for the featured employer, a quarter through the featured
    # agency: their night lists name them, so the work pages have someone to count.
    employers = [organisations[FEATURED[2][0]].kvk_number, organisations[FEATURED[3][0]].kvk_number]
    person_nights = _files_write(out_dir, providers, locations, persons, stays, employers)
    today = first_night + timedelta(days=size.nights)
    # Descriptions draw from their own generator, so the night lists stay as they were.
    _locations_register(random.Random(seed + 1), providers, locations, today=today)
    # Venlo keeps a rule of its own, so that municipal rules show in the demo.
    MunicipalRule.objects.get_or_create(
        municipality=municipalities[FEATURED_MUNICIPALITIES[0]],
        kind=MunicipalRule.Kind.MIN_AREA_PER_PERSON,
        defaults={"value": 12, "effective_from": date(2025, 1, 1)},
    )
    _loket_demo(municipalities)
    _lender_registers_demo(organisations, out_dir / "agency-registers")
    if load_nights:
        _night_lists_load(out_dir / "night-lists", providers, today=today)
        _placements_demo(organisations, out_dir, first_night=first_night)
    return DemoSummary(
        organisations=Organisation.objects.count(),
        accounts=accounts,
        locations=len(locations),
        persons=len(persons),
        person_nights=person_nights,
        files=out_dir,
    )


def _organisations_create(
    rng: random.Random, provider_count: int, municipalities: dict[str, Municipality]
) -> tuple[dict[str, Organisation], list[Organisation]]:
    """The featured organisations by name, a municipality organisation for each municipality,
    and `provider_count` housing providers, the two featured ones first."""
    organisations: dict[str, Organisation] = {}
    kvk = iter(_kvk_numbers(rng, provider_count + 10))
    for name, kind, municipality_code, _username, _role in FEATURED:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name,
            kind=kind,
            defaults={
                "kvk_number": next(kvk)
                if kind in {rules.HOUSING_PROVIDER, rules.EMPLOYER, rules.TEMP_AGENCY}
                else "",
                "municipality": municipalities.get(municipality_code),
            },
        )
    for municipality in municipalities.values():
        Organisation.objects.get_or_create(
            kind=rules.MUNICIPALITY,
            municipality=municipality,
            defaults={"name": f"Gemeente {municipality.name}"},
        )
    providers = [organisations[FEATURED[0][0]], organisations[FEATURED[1][0]]]
    for index in range(2, provider_count):
        provider, _ = Organisation.objects.get_or_create(
            name=f"Demo Huisvesting {index + 1:03d} B.V.",
            kind=rules.HOUSING_PROVIDER,
            defaults={"kvk_number": next(kvk)},
        )
        providers.append(provider)
    return organisations, providers


def _accounts_create(organisations: dict[str, Organisation]) -> list[DemoAccount]:
    accounts = [
        _account(username, organisations[name], role) for name, _k, _m, username, role in FEATURED
    ]
    accounts += [
        _account(username, organisations[name], role) for username, name, role in EXTRA_ACCOUNTS
    ]
    accounts.append(_account("beheer", None, "", superuser=True))
    return accounts


def _locations_register(
    describing: random.Random, providers: list[Organisation], locations, *, today: date
) -> None:
    """The generated locations in the database, each with a generated description."""
    for location in locations:
        provider = providers[location.provider_index]
        earlier = Location.objects.filter(provider=provider, code=location.code).first()
        if earlier and earlier.history_moves_with(
            postcode=location.postcode, number=str(location.number)
        ):
            registered = earlier  # a run over an earlier one: its nights keep their address
        else:
            registered = location_register(
                provider=provider,
                code=location.code,
                street=location.street,
                number=str(location.number),
                postcode=location.postcode,
                permitted_capacity=location.capacity,
            )
        generated = description_generate(describing, location, today=today)
        location_describe(
            registered,
            description=generated.description,
            rooms=generated.rooms,
            certificates=generated.certificates,
        )


def _night_lists_load(nights_dir: Path, providers: list[Organisation], *, today: date) -> None:
    """The written night lists through the night-register import, as each provider's own."""
    for path in sorted(nights_dir.glob("*.csv")):
        provider = next(p for p in providers if p.kvk_number == path.stem)
        record, _summary = night_list_import(
            provider=provider,
            data=path.read_bytes(),
            filename=path.name,
            source=NightListImport.Source.CLI,
            today=today,
        )
        if record.status == NightListImport.Status.REJECTED:
            raise ValueError(f"Demo night list {path.name} was refused: {record.problems[:3]}")


def _files_write(out_dir: Path, providers, locations, persons, stays, employers) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "locations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LOCATION_COLUMNS)
        for location in locations:
            writer.writerow(
                [
                    providers[location.provider_index].kvk_number,
                    location.code,
                    location.street,
                    location.number,
                    location.postcode,
                    location.municipality_code,
                    location.capacity,
                ]
            )
    nights_dir = out_dir / "night-lists"
    nights_dir.mkdir(exist_ok=True)
    handles = {}
    writers = {}
    count = 0
    try:
        for stay in sorted(stays, key=lambda s: (s.location_index, s.check_in, s.person_index)):
            location = locations[stay.location_index]
            kvk = providers[location.provider_index].kvk_number
            if kvk not in writers:
                handles[kvk] = (nights_dir / f"{kvk}.csv").open("w", encoding="utf-8", newline="")
                writers[kvk] = csv.writer(handles[kvk])
                writers[kvk].writerow(NIGHT_LIST_COLUMNS)
            person = persons[stay.person_index]
            fixed = [
                location.code,
                person.family_name,
                person.given_names,
                person.date_of_birth.isoformat(),
                person.nationality,
                person.home_place,
                person.home_country,
                person.document_type,
                "",  # document_number
                "",  # bsn
                "",  # room
                person.registration,
                "",  # expected_departure
                employers[stay.person_index % 4] if stay.person_index % 4 < len(employers) else "",
            ]
            for night in nights_of(stay):
                writers[kvk].writerow([night.isoformat(), *fixed])
                count += 1
    finally:
        for handle in handles.values():
            handle.close()
    return count


def _loket_demo(municipalities: dict[str, Municipality]) -> None:
    """Venlo and Horst aan de Maas name a (made-up) contact and list a few (made-up) courses
    and clubs; the other 29 municipalities show their general contact, as in real life at first.
    """
    venlo, horst = (municipalities[code] for code in FEATURED_MUNICIPALITIES[:2])
    contacts = [
        (venlo, "Team Internationale Werknemers (demo)", ["nl", "en", "pl", "de"],
         "Maandag tot en met donderdag 9:00–12:00"),
        (horst, "Loket Arbeidsmigratie (demo)", ["nl", "en", "pl", "ro"],
         "Dinsdag en donderdag 13:00–16:00"),
    ]  # fmt: skip
    for municipality, name, languages, hours in contacts:
        if MunicipalContact.objects.filter(municipality=municipality).exists():
            continue
        contact_save(
            MunicipalContact(
                municipality=municipality,
                name=name,
                email=f"loket-{municipality.code.lower()}@{DEMO_DOMAIN}",
                languages=languages,
                opening_hours=hours,
            ),
            user=None,
        )
    activities = [
        (horst, ActivityKind.LANGUAGE_COURSE, "Nederlands voor beginners (demo)",
         "Twee avonden per week Nederlands leren in een kleine groep.", ["nl", "en", "pl"],
         "Horst", "Dinsdag en donderdag 19:00–21:00", "Gratis"),
        (horst, ActivityKind.SPORTS, "Voetbal op zondag (demo)",
         "Een open voetbaltraining; iedereen kan meedoen.", ["nl", "pl", "ro"],
         "America", "Zondag 10:00", "Gratis"),
        (venlo, ActivityKind.LANGUAGE_COURSE, "Taalcafé Venlo (demo)",
         "Praat Nederlands met vrijwilligers, bij een kop koffie.", ["nl", "en"],
         "Venlo", "Woensdag 14:00–16:00", "Gratis"),
        (venlo, ActivityKind.INTEGRATION, "Welkom in Venlo (demo)",
         "Vier bijeenkomsten over wonen, werken, zorg en de stad.", ["pl", "ro", "bg", "en"],
         "Venlo", "Elke eerste maandag van de maand", "Gratis"),
        (venlo, ActivityKind.CLUB, "Poolse vereniging (demo)",
         "Samen koken, feesten en elkaar helpen.", ["pl", "nl"],
         "Blerick", "", ""),
    ]  # fmt: skip
    for municipality, kind, name, description, languages, place, schedule, cost in activities:
        Activity.objects.get_or_create(
            municipality=municipality,
            kind=kind,
            name=name,
            defaults={
                "description": description,
                "languages": languages,
                "place": place,
                "schedule": schedule,
                "cost": cost,
            },
        )
