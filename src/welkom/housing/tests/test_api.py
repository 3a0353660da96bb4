"""The locations API and the location upload page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from welkom.housing.location_files import location_template_csv
from welkom.housing.models import Location, LocationImport, Room
from welkom.housing.tests.test_views import location_post
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.organisations.services import api_token_create
from welkom.testing import PersonaTestCase

URL = "/api/v1/locations"


class LocationsApiTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _token, cls.key = api_token_create(
            organisation=cls.provider, name="planning system", created_by=cls.provider_manager
        )
        _token, cls.venlo_key = api_token_create(
            organisation=cls.venlo, name="dashboard", created_by=cls.venlo_member
        )

    def _post(self, data: bytes, key: str | None = None):
        return self.client.generic(
            "POST",
            URL,
            data,
            content_type="text/csv",
            HTTP_AUTHORIZATION=f"Token {key or self.key}",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def test_a_provider_sends_descriptions_and_the_municipality_reads_capacities(self) -> None:
        response = self._post(location_template_csv())
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["locations_created"], 1)
        self.assertEqual(Room.objects.count(), 2)
        listing = self.client.get(URL, HTTP_AUTHORIZATION=f"Token {self.venlo_key}").json()
        self.assertEqual(
            [(row["code"], row["municipality"]) for row in listing], [("P01", "Venlo")]
        )
        self.assertIsNotNone(listing[0]["effective_capacity"])

    def test_a_bad_file_is_refused_with_its_problems_and_changes_nothing(self) -> None:
        bad = location_template_csv().replace(b",14,8,2", b",0,8,2")
        response = self._post(bad)
        self.assertEqual(response.status_code, 400)
        [problem] = response.json()["problems"]
        self.assertEqual((problem["row"], problem["column"]), (2, "room_area_m2"))
        self.assertEqual(problem["message"], "The floor area must be more than 0 m².")
        self.assertFalse(Location.objects.exists())
        # Refused, and still on record: who sent what, and why it was refused.
        record = LocationImport.objects.get(pk=response.json()["id"])
        self.assertEqual((record.status, record.source), ("rejected", "api"))
        self.assertEqual(record.problems[0]["column"], "room_area_m2")
        self.assertEqual(record.raw.read(), bad)

    def test_a_municipality_token_cannot_send_descriptions(self) -> None:
        self.assertEqual(self._post(location_template_csv(), key=self.venlo_key).status_code, 403)
        self.assertEqual(self.client.get(URL).status_code, 401)


class LocationUploadPageTests(PersonaTestCase):
    def test_a_provider_uploads_the_template_and_a_bad_file(self) -> None:
        self.client.force_login(self.provider_manager)
        template = self.client.get("/en/housing/locations-template.csv")
        self.assertEqual(template.content, location_template_csv())
        response = self.client.post(
            "/en/housing/upload/", {"file": SimpleUploadedFile("l.csv", location_template_csv())}
        )
        self.assertRedirects(response, "/en/housing/")
        self.assertEqual(Location.objects.get().provider, self.provider)
        bad = location_template_csv().replace(b"5911 CB", b"1012 AB")
        response = self.client.post(
            "/en/housing/upload/", {"file": SimpleUploadedFile("l.csv", bad)}
        )
        self.assertContains(response, "outside the province of Limburg", status_code=400)
        self.assertContains(response, "Nothing changed.", status_code=400)
        self.assertEqual(Location.objects.get().postcode, "5911 CB")
        # Both files are on record, with who sent them; the page lists them.
        records = list(LocationImport.objects.order_by("pk"))
        self.assertEqual([r.status for r in records], ["applied", "rejected"])
        self.assertEqual({r.submitted_by for r in records}, {self.provider_manager})
        self.assertEqual(
            records[0].counts, {"locations": 1, "locations_created": 1, "locations_updated": 0}
        )
        self.assertContains(response, "Recent location files", status_code=400)
        # Another provider's files are not among them.
        self.client.force_login(self.other_provider_manager)
        self.assertNotContains(self.client.get("/en/housing/upload/"), "l.csv")

    def test_a_user_of_two_providers_chooses_which_one(self) -> None:
        Membership.access_control.create(
            user=self.provider_manager, organisation=self.other_provider, role=rules.MANAGER
        )
        self.client.force_login(self.provider_manager)
        missing = self.client.post(
            "/en/housing/upload/", {"file": SimpleUploadedFile("l.csv", location_template_csv())}
        )
        self.assertContains(missing, "This field is required.", status_code=400)
        self.client.post(
            "/en/housing/upload/",
            {
                "provider": self.other_provider.pk,
                "file": SimpleUploadedFile("l.csv", location_template_csv()),
            },
        )
        self.assertEqual(Location.objects.get().provider, self.other_provider)
        page = self.client.get("/en/housing/new/")
        self.assertContains(page, f"?provider={self.other_provider.pk}")
        data = location_post(code="N1")
        self.client.post(f"/en/housing/new/?provider={self.other_provider.pk}", data)
        self.assertEqual(Location.objects.get(code="N1").provider, self.other_provider)

    def test_a_municipality_cannot_upload_locations(self) -> None:
        self.client.force_login(self.venlo_member)
        self.assertEqual(self.client.get("/en/housing/upload/").status_code, 403)
