"""Writes about housing locations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from welkom.housing.models import Location
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
