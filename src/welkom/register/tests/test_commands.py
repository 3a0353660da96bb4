from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path
from unittest.mock import patch

from django.core.management import call_command
from django.core.management.base import CommandError

from welkom.housing.services import location_register
from welkom.register.models import Stay
from welkom.register.services import night_lists as night_lists_module
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
        # In Dutch, the language commands run in, as the problems are.
        self.assertIn("1 rijen, 1 nachten, 1 personen (1 nieuw); verblijven geopend 1", output)
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
        self.assertIn("Geen huisvester met KvK-nummer", str(raised.exception))


class ImportSeveralNightListsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912AB"
        )
        location_register(
            provider=cls.other_provider, code="H1", street="B", number="2", postcode="5961AA"
        )

    def test_files_named_after_their_providers_each_count_and_refresh_once(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            ours = Path(folder) / "11111111.csv"
            theirs = Path(folder) / "22222222.csv"
            wrong = Path(folder) / "22222222-wrong.csv"
            ours.write_bytes(night_list(("V1", "Nowak")))
            theirs.write_bytes(night_list(("H1", "Popescu")))
            wrong.write_bytes(night_list(("X9", "Ivanov")))
            output = StringIO()
            with (
                self.assertRaises(CommandError) as raised,
                patch(
                    "welkom.register.services.night_lists.signals_refresh",
                    wraps=night_lists_module.signals_refresh,
                ) as refresh,
            ):
                call_command(
                    "import_nights",
                    str(ours),
                    str(theirs),
                    str(wrong),
                    "--provider",
                    "22222222",
                    stdout=output,
                )
            # --provider names one provider for every file: ours is refused for it too.
            self.assertIn("2 van 3 nachtregisters zijn geweigerd", str(raised.exception))
            self.assertEqual(refresh.call_count, 1)
            output = StringIO()
            with self.assertRaises(CommandError):
                call_command(
                    "import_nights",
                    str(ours),
                    str(theirs),
                    str(wrong),
                    "--provider-from-filename",
                    "--json",
                    stdout=output,
                )
        # "22222222-wrong" is not a KvK number: that file fails before anything is imported.
        self.assertFalse(Stay.internal.filter(location__code="V1").exists())

    def test_provider_from_filename_imports_each_file_for_its_provider(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            ours = Path(folder) / "11111111.csv"
            theirs = Path(folder) / "22222222.csv"
            ours.write_bytes(night_list(("V1", "Nowak")))
            theirs.write_bytes(night_list(("H1", "Popescu")))
            output = StringIO()
            call_command(
                "import_nights",
                str(ours),
                str(theirs),
                "--provider-from-filename",
                "--json",
                stdout=output,
            )
        files = json.loads(output.getvalue())["files"]
        self.assertEqual(
            [(f["file"], f["status"]) for f in files],
            [("11111111.csv", "applied"), ("22222222.csv", "applied")],
        )
        self.assertEqual(
            sorted(Stay.internal.values_list("location__code", flat=True)), ["H1", "V1"]
        )


class RegistrationSignalsCommandTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912AB"
        )

    def test_it_finds_the_brp_duty_from_imported_stays_and_logs_the_persons(self) -> None:
        from datetime import date, timedelta

        from welkom.processing_log.models import SubjectSpan
        from welkom.register.models import NightListImport
        from welkom.register.services import night_list_import

        first = date(2026, 1, 1)
        header = (
            "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
            "home_country,document_type,registration_status\n"
        )
        # Two persons for 130 nights (BRP duty), one unregistered person for 10 nights (RNI).
        rows = "".join(
            f"{(first + timedelta(days=d)).isoformat()},V1,Nowak,Jan,1990-01-01,POL,Opole,PL,passport,\n"
            f"{(first + timedelta(days=d)).isoformat()},V1,Popescu,Ion,1985-05-05,ROU,Iasi,RO,passport,none\n"
            for d in range(130)
        )
        short = "".join(
            f"{(first + timedelta(days=d)).isoformat()},V1,Ivanov,Petar,1980-02-02,BGR,Varna,BG,passport,none\n"
            for d in range(10)
        )
        record, _ = night_list_import(
            provider=self.provider,
            data=(header + rows + short).encode(),
            filename="n.csv",
            source=NightListImport.Source.CLI,
            today=date(2026, 6, 1),
        )
        self.assertEqual(record.status, "applied", record.problems)
        output = StringIO()
        call_command("registration_signals", "--on", "2026-05-20", "--json", stdout=output)
        findings = json.loads(output.getvalue())["findings"]
        rules = sorted(f["rule"] for f in findings)
        self.assertEqual(
            rules,
            [
                "brp-registration-required",
                "brp-registration-required",
                "registration-unknown",  # Nowak's cell is empty: nobody said
                "rni-registration-advised",
            ],
        )
        self.assertTrue(
            all(f["overdue"] for f in findings if f["rule"] == "brp-registration-required")
        )
        logged = SubjectSpan.objects.filter(entry__activity__code="brp-registration-signalling")
        # the import and the command both log; each of the three persons is among them
        self.assertEqual(logged.order_by().values("subject").distinct().count(), 3)
