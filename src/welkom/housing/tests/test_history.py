"""History stays where it happened (issue 18, finding 4): a location with listed nights keeps
its postcode and house number on every way of changing it (the page, the location file, the
service), so its past stays never move to another municipality."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from welkom.housing.location_files import location_template_csv
from welkom.housing.models import Location
from welkom.housing.services import location_file_import, location_register
from welkom.housing.tests.test_views import location_post
from welkom.register.models import Occupancy
from welkom.testing import PersonaTestCase


class AddressKeptTests(PersonaTestCase):
    def _with_a_night(self, location: Location) -> Location:
        Occupancy.objects.create(location=location, night=date(2026, 11, 1), persons=3)
        return location

    def test_the_edit_page_refuses_another_address_for_a_location_with_nights(self) -> None:
        self.client.force_login(self.provider_manager)
        self.client.post("/en/housing/new/", location_post())
        location = self._with_a_night(Location.objects.get(code="V9"))
        response = self.client.post(
            f"/en/housing/{location.pk}/edit/", location_post(postcode="5961 AA", place="Horst")
        )
        self.assertContains(
            response, "its postcode and house number cannot change", status_code=400
        )
        # The page was posted as if opened before its SNF mark was stored (a second tab):
        # the mark again is a form error too, not the database's refusal.
        self.assertContains(response, "This location already has this mark", status_code=400)
        location.refresh_from_db()
        self.assertEqual((location.postcode, location.municipality.name), ("5911 CB", "Venlo"))
        # Its street name may be mended; the place where its nights happened stays.
        unchanged_marks = {"certificates-TOTAL_FORMS": "0"}
        response = self.client.post(
            f"/en/housing/{location.pk}/edit/",
            location_post(street="Parade (hoek)", **unchanged_marks),
        )
        location.refresh_from_db()
        self.assertEqual(location.street, "Parade (hoek)")

    def test_a_location_without_nights_may_still_move(self) -> None:
        location = location_register(
            provider=self.provider, code="V1", street="A", number="1", postcode="5912 AB"
        )
        moved = location_register(
            provider=self.provider, code="V1", street="B", number="2", postcode="5961 AA"
        )
        self.assertEqual((moved.pk, moved.municipality.name), (location.pk, "Horst aan de Maas"))

    def test_the_service_and_the_location_file_refuse_it_too(self) -> None:
        location = self._with_a_night(
            location_register(
                provider=self.provider, code="P01", street="A", number="7", postcode="5911 CB"
            )
        )
        with self.assertRaises(ValidationError):
            location_register(
                provider=self.provider, code="P01", street="A", number="8", postcode="5911 CB"
            )
        moved = location_template_csv().replace(b"5911 CB", b"5961 AA")
        record, problems = location_file_import(
            provider=self.provider, data=moved, filename="l.csv", source="cli"
        )
        self.assertEqual(record.status, "rejected")
        self.assertEqual([(p.row, p.column) for p in problems], [(2, "postcode")])
        location.refresh_from_db()
        self.assertEqual(location.municipality.name, "Venlo")
