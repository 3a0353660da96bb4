from __future__ import annotations

from datetime import date

from welkom.register.brp import BrpFact, NoBrpConnection, brp_connection
from welkom.register.models import Person
from welkom.register.services import registrations_update_from_brp
from welkom.testing import PersonaTestCase


class FakeBrp:
    def facts_for(self, bsns: list[str]) -> list[BrpFact]:
        return [
            BrpFact("111222333", "brp", "GM0983", date(2026, 3, 1)),
            BrpFact("999999999", "rni", "", None),
        ]


class BrpConnectionTests(PersonaTestCase):
    def test_it_has_no_connection_by_default(self) -> None:
        self.assertIsInstance(brp_connection(), NoBrpConnection)
        self.assertEqual(registrations_update_from_brp(connection=brp_connection()), 0)

    def test_it_records_what_a_connection_says(self) -> None:
        fields = {
            "family_name": "N",
            "given_names": "J",
            "date_of_birth": date(1990, 1, 1),
            "nationality": "POL",
            "home_place": "O",
            "home_country": "PL",
            "document_type": "passport",
        }
        Person.internal.create(bsn="111222333", match_key="a", **fields)
        Person.internal.create(bsn="", match_key="b", **fields)
        self.assertEqual(registrations_update_from_brp(connection=FakeBrp()), 1)
        person = Person.internal.get(bsn="111222333")
        self.assertEqual(
            (person.registration, person.registration_municipality.code), ("brp", "GM0983")
        )
