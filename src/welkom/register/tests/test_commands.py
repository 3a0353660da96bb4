from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from welkom.housing.services import location_register
from welkom.register.models import Stay
from welkom.register.tests.test_views import night_list
from welkom.testing import PersonaTestCase


class ImportNightsCommandTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912AB"
        )

    def _run(self, data: bytes, *args: str) -> str:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "nights.csv"
            path.write_bytes(data)
            output = StringIO()
            call_command("import_nights", str(path), *args, stdout=output)
            return output.getvalue()

    def test_it_prints_a_summary(self) -> None:
        output = self._run(night_list(("V1", "Nowak")), "--provider", "11111111")
        self.assertIn("1 rows, 1 nights, 1 persons (1 new); stays opened 1", output)
        self.assertEqual(Stay.internal.count(), 1)

    def test_it_prints_json(self) -> None:
        output = json.loads(
            self._run(night_list(("V1", "Nowak")), "--provider", "11111111", "--json")
        )
        self.assertEqual(
            (output["status"], output["stays_opened"], output["problems"]), ("applied", 1, [])
        )

    def test_it_fails_on_a_refused_list_and_names_the_problem(self) -> None:
        with self.assertRaises(CommandError):
            self._run(night_list(("X", "Nowak")), "--provider", "11111111")
        self.assertFalse(Stay.internal.exists())

    def test_it_fails_for_an_unknown_provider(self) -> None:
        with self.assertRaises(CommandError) as raised:
            self._run(night_list(("V1", "Nowak")), "--provider", "99999999")
        self.assertIn("No housing provider", str(raised.exception))
