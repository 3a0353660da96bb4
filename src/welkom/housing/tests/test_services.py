from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

from welkom.housing.models import Location
from welkom.housing.services import location_register
from welkom.testing import PersonaTestCase


class LocationRegisterTests(PersonaTestCase):
    def test_it_derives_the_municipality_from_the_postcode(self) -> None:
        location = location_register(
            provider=self.provider, code="L1", street="Kerkstraat", number="1", postcode="5961aa"
        )
        self.assertEqual(
            (location.municipality.name, location.postcode), ("Horst aan de Maas", "5961 AA")
        )

    def test_it_updates_a_location_by_its_code(self) -> None:
        location_register(
            provider=self.provider, code="L1", street="A", number="1", postcode="5912AB"
        )
        location_register(
            provider=self.provider, code="L1", street="B", number="2", postcode="5912AB"
        )
        self.assertEqual(list(Location.objects.values_list("street", flat=True)), ["B"])

    def test_it_refuses_a_postcode_outside_limburg(self) -> None:
        with translation.override("en"), self.assertRaises(ValidationError) as raised:
            location_register(
                provider=self.provider, code="L1", street="A", number="1", postcode="1012AB"
            )
        self.assertIn(
            "outside the province of Limburg", str(raised.exception.message_dict["postcode"])
        )
        self.assertFalse(Location.objects.exists())

    def test_it_refuses_a_location_for_an_organisation_that_houses_no_one(self) -> None:
        with self.assertRaises(ValidationError):
            location_register(
                provider=self.employer, code="L1", street="A", number="1", postcode="5912AB"
            )


class LocationScopingTests(PersonaTestCase):
    def test_it_shows_providers_their_own_and_municipalities_their_territory(self) -> None:
        venlo = location_register(
            provider=self.provider, code="V", street="A", number="1", postcode="5912AB"
        )
        horst = location_register(
            provider=self.other_provider, code="H", street="B", number="2", postcode="5961AA"
        )
        self.assertEqual(list(Location.objects.visible_to(self.provider_member)), [venlo])
        self.assertEqual(list(Location.objects.visible_to(self.venlo_member)), [venlo])
        self.assertEqual(list(Location.objects.visible_to(self.horst_member)), [horst])
        for user in [
            self.province_member,
            self.partner_member,
            self.employer_manager,
            self.outsider,
        ]:
            self.assertEqual(list(Location.objects.visible_to(user)), [])
