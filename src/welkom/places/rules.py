"""Pure rules about Dutch postcodes: no database, plain values in and out."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The PC4 range in which Limburg's postcodes lie; a few PC4s just outside it belong to
# Limburg too (they are in the reference table), the rest of the country lies outside.
LIMBURG_PC4_RANGE = (5800, 6499)

_POSTCODE = re.compile(r"^([1-9][0-9]{3})(?:([A-Z]{2}))?$")
_IGNORED = re.compile(r"[\s\-.]+")


class PostcodeFormatError(ValueError):
    """The text is not a Dutch postcode."""


@dataclass(frozen=True)
class Postcode:
    pc4: str
    letters: str = ""

    def __str__(self) -> str:
        return f"{self.pc4} {self.letters}".strip()


def postcode_parse(text: str) -> Postcode:
    """Read a Dutch postcode as people write it: "5912 AB", "5912ab", "5912-AB", "5912"."""
    compact = _IGNORED.sub("", text or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise PostcodeFormatError(text)
    return Postcode(pc4=match.group(1), letters=match.group(2) or "")


def pc4_in_limburg_range(pc4: str) -> bool:
    low, high = LIMBURG_PC4_RANGE
    return low <= int(pc4) <= high
