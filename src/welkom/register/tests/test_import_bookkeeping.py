"""An import's record is one transaction with what it changed (issue 18, finding 6): a crash
leaves nothing of it, a constraint the checks did not foresee refuses the list rather than
the request, a register held by another import answers "busy" with nothing stored, and every
record is readable through the API, however old."""

from __future__ import annotations

from unittest import mock

from django.db import IntegrityError, OperationalError, connection

from welkom.housing.services import location_register
from welkom.lib import locks
from welkom.organisations.services import api_token_create
from welkom.register.models import NightListImport, Person, Stay
from welkom.register.services import night_lists as night_lists_module
from welkom.register.services import writes
from welkom.register.tests.test_api import URL, as_csv, row
from welkom.testing import PersonaTestCase


class ImportBookkeepingTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        _token, cls.key = api_token_create(
            organisation=cls.provider, name="PMS", created_by=cls.provider_manager
        )

    def _post(self, data: bytes):
        return self.client.post(
            URL, data=data, content_type="text/csv", HTTP_AUTHORIZATION=f"Token {self.key}"
        )

    def _files_kept(self) -> list[str]:
        storage = NightListImport._meta.get_field("raw").storage
        folder = NightListImport._meta.get_field("raw").upload_to
        return storage.listdir(folder)[1] if storage.exists(folder) else []

    def test_a_crash_while_applying_leaves_no_record_no_stays_and_no_file(self) -> None:
        files_before = self._files_kept()
        with (
            mock.patch.object(writes, "profile_write", side_effect=RuntimeError("killed")),
            self.assertRaises(RuntimeError),
        ):
            self._post(as_csv([row("Nowak"), row("Kowal")]))
        self.assertFalse(NightListImport.objects.exists())
        self.assertFalse(Stay.internal.exists() or Person.internal.exists())
        self.assertEqual(self._files_kept(), files_before)
        # Sent again after the crash: applied whole, with its record and counts.
        response = self._post(as_csv([row("Nowak"), row("Kowal")]))
        self.assertEqual((response.status_code, response.json()["counts"]["persons"]), (201, 2))

    def test_a_database_constraint_refuses_the_list_not_the_request(self) -> None:
        with mock.patch.object(writes, "stays_write", side_effect=IntegrityError("exclusion")):
            response = self._post(as_csv([row("Nowak")]))
        self.assertEqual(response.status_code, 422)
        [problem] = response.json()["problems"]
        self.assertIn("Deze lijst botst met wat het register bevat", problem["message"])
        record = NightListImport.objects.get()
        self.assertEqual((record.status, record.counts["persons"]), ("rejected", 0))
        self.assertFalse(Stay.internal.exists() or Person.internal.exists())

    def test_a_register_held_too_long_answers_busy_and_stores_nothing(self) -> None:
        files_before = self._files_kept()
        raised_by = [locks.Busy("register")]
        if connection.vendor == "sqlite":  # SQLite's way of saying it
            raised_by.append(OperationalError("database is locked"))
        for raised in raised_by:
            with (
                self.subTest(raised=type(raised).__name__),
                mock.patch.object(night_lists_module, "_parts_apply", side_effect=raised),
            ):
                response = self._post(as_csv([row("Nowak")]))
                self.assertEqual(response.status_code, 409)
                self.assertEqual(response["Retry-After"], "30")
                self.assertIn("Van dit bestand is niets opgeslagen", response.json()["detail"])
        self.assertFalse(NightListImport.objects.exists())
        self.assertEqual(self._files_kept(), files_before)

    def test_the_upload_page_says_busy_too(self) -> None:
        self.client.force_login(self.provider_manager)
        with mock.patch.object(night_lists_module, "_parts_apply", side_effect=locks.Busy("r")):
            response = self.client.post(
                "/register/upload/",
                {"file": _upload(as_csv([row("Nowak")]))},
            )
        self.assertContains(response, "Van dit bestand is niets opgeslagen", status_code=400)

    def test_a_record_without_counts_is_still_readable(self) -> None:
        response = self._post(as_csv([row("Nowak")]))
        record = NightListImport.objects.get(pk=response.json()["id"])
        NightListImport.objects.filter(pk=record.pk).update(counts={})  # as old records are
        again = self.client.get(f"{URL}/{record.pk}", HTTP_AUTHORIZATION=f"Token {self.key}")
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["counts"]["rows"], 0)


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("nights.csv", data, content_type="text/csv")
