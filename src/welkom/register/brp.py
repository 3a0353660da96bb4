"""The seam to the BRP: where registration facts could come from besides lists and people.

Welkom has no BRP connection yet. A connection implements `BrpConnection` (for example a
client of Haal Centraal BRP Personen: `POST /personen` with `RaadpleegMetBurgerservicenummer`,
fields `burgerservicenummer`, `verblijfplaats`, `gemeenteVanInschrijving`; RNI included) and
is named in WELKOM_BRP_CONNECTION. Until then `NoBrpConnection` answers nothing, and the
registration status comes from night lists and municipality users.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class BrpFact:
    bsn: str
    registration: str  # "brp" or "rni"
    municipality_code: str  # CBS code (GMxxxx) for "brp"; "" for "rni"
    registered_on: date | None


class BrpConnection(Protocol):
    def facts_for(self, bsns: list[str]) -> list[BrpFact]:
        """What the BRP says about these persons; persons it does not know are left out."""
        ...


class NoBrpConnection:
    def facts_for(self, bsns: list[str]) -> list[BrpFact]:
        return []


def brp_connection() -> BrpConnection:
    return import_string(settings.BRP_CONNECTION)()
