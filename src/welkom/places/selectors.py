from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from welkom.places.geometry import contains
from welkom.places.models import Municipality, PostcodeArea
from welkom.places.rules import PostcodeFormatError, pc4_in_limburg_range, postcode_parse


class PostcodeLookupError(ValueError):
    """A postcode that leads to no Limburg municipality; `message` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


class InvalidPostcode(PostcodeLookupError):
    pass


class PostcodeOutsideLimburg(PostcodeLookupError):
    pass


class UnknownPostcode(PostcodeLookupError):
    pass


def not_a_postcode(value: str) -> InvalidPostcode:
    return InvalidPostcode(
        _(
            "“%(value)s” is not a Dutch postcode. Write four digits and two letters, "
            "for example 5912 AB."
        )
        % {"value": value}
    )


def municipality_for_postcode(postcode: str) -> Municipality:
    """The Limburg municipality of a postcode, or an error that says what is wrong."""
    try:
        parsed = postcode_parse(postcode)
    except PostcodeFormatError:
        raise not_a_postcode(postcode) from None
    area = PostcodeArea.objects.select_related("municipality__region").filter(pc4=parsed.pc4)
    found = area.first()
    if found is not None:
        return found.municipality
    if pc4_in_limburg_range(parsed.pc4):
        raise UnknownPostcode(
            _(
                "Postcode %(postcode)s has no known addresses in Limburg. Check the postcode, "
                "or choose the municipality yourself."
            )
            % {"postcode": parsed}
        )
    raise PostcodeOutsideLimburg(
        _(
            "Postcode %(postcode)s is outside the province of Limburg. Welkom covers the 31 "
            "municipalities of Limburg only."
        )
        % {"postcode": parsed}
    )


def municipality_at(latitude: float, longitude: float) -> Municipality | None:
    """The Limburg municipality whose boundary holds the point, or None outside Limburg."""
    for municipality in Municipality.objects.select_related("region"):
        if contains(municipality.boundary, longitude, latitude):
            return municipality
    return None
