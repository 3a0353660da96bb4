"""Personal pages, exports and API answers are never stored by a browser or proxy (issue 18,
finding 7); public pages are not affected."""

from __future__ import annotations

from pathlib import Path

from welkom.organisations.services import api_token_create
from welkom.testing import PersonaTestCase


class NoStoreTests(PersonaTestCase):
    def test_signed_in_pages_exports_and_the_api_are_no_store(self) -> None:
        self.client.force_login(self.venlo_member)
        for url in ("/register/", "/register/addresses.csv", "/register/addresses.xlsx", "/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn("no-store", response.get("Cache-Control", ""))
        self.client.logout()
        _token, key = api_token_create(
            organisation=self.provider, name="PMS", created_by=self.provider_manager
        )
        answer = self.client.get("/api/v1/organisation", HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("no-store", answer["Cache-Control"])

    def test_a_public_page_for_a_visitor_is_not(self) -> None:
        response = self.client.get("/loket/")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("no-store", response.get("Cache-Control", ""))


class FileModeTests(PersonaTestCase):
    def test_kept_files_and_the_var_folder_are_the_services_own(self) -> None:
        from django.conf import settings

        from welkom.housing.services import location_register
        from welkom.register.services import night_list_import

        location_register(
            provider=self.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        record, _summary = night_list_import(
            provider=self.provider,
            data=b"night,location_code,family_name,given_names,date_of_birth,nationality,"
            b"home_place,home_country,document_type\n"
            b"2026-11-01,V1,Nowak,Jan,1990-01-01,POL,Opole,PL,passport\n",
            filename="n.csv",
            source="cli",
        )
        path = Path(record.raw.path)
        self.assertEqual(path.stat().st_mode & 0o777, 0o600)
        self.assertEqual(Path(settings.VAR_DIR).stat().st_mode & 0o077, 0)
