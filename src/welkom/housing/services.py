"""Writes about housing locations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from welkom.housing.location_files import location_file_read
from welkom.housing.models import (
    ADDRESS_KEPT,
    DESCRIPTION_FIELDS,
    RENT_FIELDS,
    Certificate,
    Location,
    LocationImport,
    Room,
)
from welkom.lib.locks import serialised
from welkom.lib.problems import Problem
from welkom.organisations import rules
from welkom.places.rules import postcode_parse
from welkom.places.selectors import PostcodeLookupError, municipality_for_postcode


@transaction.atomic
def location_register(
    *,
    provider,
    code: str,
    street: str,
    number: str,
    postcode: str,
    place: str = "",
    permitted_capacity: int | None = None,
) -> Location:
    """Create or update a provider's location by its code; the municipality follows the postcode."""
    if provider.kind != rules.HOUSING_PROVIDER:
        raise ValidationError({"provider": "Only a housing provider has locations."})
    try:
        municipality = municipality_for_postcode(postcode)
    except PostcodeLookupError as error:
        raise ValidationError({"postcode": error.message}) from None
    if permitted_capacity is not None and permitted_capacity < 0:
        raise ValidationError({"permitted_capacity": "The capacity cannot be negative."})
    existing = Location.objects.filter(provider=provider, code=code.strip()).first()
    if existing and existing.history_moves_with(postcode=postcode, number=number):
        raise ValidationError({"postcode": gettext(ADDRESS_KEPT)})
    location, _created = Location.objects.update_or_create(
        provider=provider,
        code=code.strip(),
        defaults={
            "street": street.strip(),
            "number": str(number).strip(),
            "postcode": str(postcode_parse(postcode)),
            "place": place.strip(),
            "municipality": municipality,
            "permitted_capacity": permitted_capacity,
        },
    )
    return location


@transaction.atomic
def location_describe(
    location: Location, *, description: dict, rooms: list[dict], certificates: list[dict]
) -> Location:
    """Set a location's description, replace its rooms, and add or update the quality marks
    given (for imports and the demo; the page uses the same models through its forms)."""
    unknown = set(description) - {*DESCRIPTION_FIELDS, *RENT_FIELDS}
    if unknown:
        raise ValidationError(f"Not part of a location's description: {', '.join(sorted(unknown))}")
    for name, value in description.items():
        setattr(location, name, value)
    location.full_clean(exclude=["provider", "municipality"])
    location.save()
    location.rooms.all().delete()
    Room.objects.bulk_create([Room(location=location, **room) for room in rooms])
    # Quality marks are kept per scheme: a file names the marks it knows, and a mark it does
    # not name stays as it was.
    for certificate in certificates:
        Certificate.objects.update_or_create(
            location=location,
            scheme=certificate["scheme"],
            defaults={k: v for k, v in certificate.items() if k != "scheme"},
        )
    return location


@transaction.atomic
def location_file_import(
    *, provider, data: bytes, filename: str, source: str, submitted_by=None
) -> tuple[LocationImport, list[Problem]]:
    """Read, check and store a location file: all or nothing, in one transaction with its
    tracked record (the file as received, the outcome, its counts and every problem), which
    is kept whatever the outcome. A provider's files are applied one at a time (two at once
    would both create a new code); `lib.locks.Busy` when one waits too long."""
    serialised(f"housing.location-files.{provider.pk}", wait=settings.IMPORT_WAIT_SECONDS)
    descriptions, problems = location_file_read(data, provider=provider)
    problems += _addresses_kept(provider, descriptions)
    with transaction.atomic():
        counts = {"locations": len(descriptions)}
        if not problems:
            counts.update(locations_import(provider=provider, descriptions=descriptions))
        record = LocationImport(
            provider=provider,
            submitted_by=submitted_by if getattr(submitted_by, "pk", None) else None,
            source=source,
            status=LocationImport.Status.REJECTED if problems else LocationImport.Status.APPLIED,
            counts=counts,
            problems=[problem.as_json() for problem in problems],
        )
        record.file_keep(data, filename)
        record.save()
    return record, problems


def _addresses_kept(provider, descriptions) -> list[Problem]:
    """A problem for each location of the file that would move a location's history."""
    stored = {
        location.code: location
        for location in Location.objects.filter(
            provider=provider, code__in=[item.code for item in descriptions]
        )
    }
    return [
        Problem(item.first_row, "postcode", ADDRESS_KEPT, {}, item.location["postcode"])
        for item in descriptions
        if item.code in stored
        and stored[item.code].history_moves_with(
            postcode=item.location["postcode"], number=item.location["number"]
        )
    ]


def locations_import(*, provider, descriptions) -> dict:
    """Store checked location descriptions (from `location_file_read`): all or nothing."""
    created = updated = 0
    for item in descriptions:
        data = item.location
        exists = Location.objects.filter(provider=provider, code=item.code).exists()
        location = location_register(
            provider=provider,
            code=item.code,
            street=data["street"],
            number=data["number"],
            postcode=data["postcode"],
            place=data.get("place", ""),
            permitted_capacity=data.get("permitted_capacity"),
        )
        location.addition = data.get("addition", "")
        location.opened_on = data.get("opened_on")
        location.closed_on = data.get("closed_on")
        location_describe(
            location,
            # The rent only when the file has its columns: a file without them keeps what
            # the location page says.
            description={
                name: data[name] for name in (*DESCRIPTION_FIELDS, *RENT_FIELDS) if name in data
            },
            rooms=item.rooms,
            certificates=[item.certificate] if item.certificate else [],
        )
        updated += exists
        created += not exists
    return {"locations_created": created, "locations_updated": updated}
