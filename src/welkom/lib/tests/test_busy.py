"""Every import that waits too long for the one before it (`lib.locks.Busy`) says so, in
the user's language, and stores nothing: on its page, in its API and on the command line."""

from __future__ import annotations

from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from welkom.housing import services as housing_services
from welkom.housing.location_files import location_template_csv
from welkom.housing.models import LocationImport
from welkom.lib.locks import Busy
from welkom.monitor import services as monitor_services
from welkom.monitor.figures_file import figures_template_csv
from welkom.monitor.models import FiguresImport
from welkom.testing import PersonaTestCase

SAID = "Van dit bestand is niets opgeslagen"  # Dutch, the default


def busy(module):
    return mock.patch.object(module, "serialised", side_effect=Busy("held"))


class BusyTests(PersonaTestCase):
    def test_a_location_file_waiting_too_long(self) -> None:
        self.client.force_login(self.provider_manager)
        upload = SimpleUploadedFile("locaties.csv", location_template_csv(), "text/csv")
        with busy(housing_services):
            response = self.client.post("/housing/upload/", {"file": upload})
        self.assertContains(response, SAID, status_code=400)
        with busy(housing_services), self.assertRaisesMessage(CommandError, SAID):
            call_command(
                "import_locations",
                "--provider",
                self.provider.kvk_number,
                _file(location_template_csv()),
            )
        self.assertFalse(LocationImport.objects.exists())

    def test_a_figures_file_waiting_too_long(self) -> None:
        self.client.force_login(self.province_member)
        upload = SimpleUploadedFile("cijfers.csv", figures_template_csv(), "text/csv")
        with busy(monitor_services):
            response = self.client.post("/monitor/figures/", {"file": upload})
        self.assertContains(response, SAID, status_code=400)
        with busy(monitor_services), self.assertRaisesMessage(CommandError, SAID):
            call_command("import_figures", _file(figures_template_csv()))
        self.assertFalse(FiguresImport.objects.exists())


def _file(data: bytes) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as file:
        file.write(data)
    return file.name
