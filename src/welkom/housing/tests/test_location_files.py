"""Location descriptions from a file: the template, the checks, norms_check and the import."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
from django.core.management import CommandError, call_command
from django.utils import translation

from welkom.housing.location_files import (
    COLUMNS,
    location_file_read,
    location_template_csv,
)
from welkom.housing.models import Location, MunicipalRule, Room
from welkom.testing import PersonaTestCase


def template_rows() -> list[list[str]]:
    text = location_template_csv().decode("utf-8-sig")
    return [line.split(",") for line in text.strip().splitlines()]


def as_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode()


def changed(column: str, value: str, row: int = 1) -> bytes:
    rows = template_rows()
    rows[row][rows[0].index(column)] = value
    return as_csv(rows)


class LocationFileTests(PersonaTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def test_the_template_reads_as_one_location_with_its_rooms(self) -> None:
        descriptions, problems = location_file_read(location_template_csv(), provider=self.provider)
        self.assertEqual(problems, [])
        [location] = descriptions
        self.assertEqual((location.code, location.municipality.name), ("P01", "Venlo"))
        self.assertEqual([room["name"] for room in location.rooms], ["Slaapkamer 1", "Woonkamer"])
        self.assertEqual(location.certificate["scheme"], "snf")
        self.assertEqual(location.facts().beds, 2)

    def test_semicolons_dutch_dates_and_a_workbook_read_the_same(self) -> None:
        rows = template_rows()
        column = rows[0].index("opened_on")
        rows[1][column] = rows[2][column] = "01-01-2024"
        semicolons, problems = location_file_read(as_csv(rows, ";"), provider=self.provider)
        self.assertEqual(problems, [])
        workbook = openpyxl.Workbook()
        for row in template_rows():
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        from_xlsx, problems = location_file_read(buffer.getvalue(), provider=self.provider)
        self.assertEqual(problems, [])
        self.assertEqual(semicolons[0].location["opened_on"], from_xlsx[0].location["opened_on"])

    def test_the_rent_reads_with_a_comma_and_may_be_left_out(self) -> None:
        from welkom.housing.services import locations_import

        rows = template_rows()
        rent = rows[0].index("rent_per_bed_week")
        rows[1][rent] = rows[2][rent] = "€ 85,50"
        [description], problems = location_file_read(as_csv(rows, ";"), provider=self.provider)
        self.assertEqual(problems, [])
        self.assertEqual(
            (description.location["rent_per_bed_week"], description.location["rent_deducted"]),
            (Decimal("85.50"), True),
        )
        locations_import(provider=self.provider, descriptions=[description])
        without = [
            [cell for i, cell in enumerate(row) if i not in {rent, rent + 1}] for row in rows
        ]
        [description], problems = location_file_read(as_csv(without, ";"), provider=self.provider)
        self.assertEqual(problems, [])
        locations_import(provider=self.provider, descriptions=[description])
        location = Location.objects.get(code="P01")
        self.assertEqual(
            (location.rent_per_bed_week, location.rent_deducted), (Decimal("85.50"), True)
        )
        rows[1][rent] = rows[2][rent] = "-5"
        _descriptions, problems = location_file_read(as_csv(rows, ";"), provider=self.provider)
        self.assertEqual({p.column for p in problems}, {"rent_per_bed_week"})

    def test_bad_values_are_reported_by_row_and_column(self) -> None:
        cases = {
            "zero area": (changed("room_area_m2", "0"), 2, "room_area_m2", "more than 0 m²"),
            "negative area": (changed("room_area_m2", "-3"), 2, "room_area_m2", "more than 0 m²"),
            "beds outside a bedroom": (
                changed("room_beds", "2", row=2),
                3,
                "room_beds",
                "Only a bedroom",
            ),
            "outside Limburg": (
                changed("postcode", "1012 AB"),
                2,
                "postcode",
                "outside the province",
            ),
            "not a date": (changed("opened_on", "gisteren"), 2, "opened_on", "Not a date"),
            "direction mark": (
                changed("room_name", "\u202e1 remakpaalS"),  # shows as "Slaapkamer 1"
                2,
                "room_name",
                "turn the direction",
            ),
            "not yes or no": (changed("washing", "misschien"), 2, "washing", "Write yes or no."),
            "certificate dates": (
                changed("certificate_valid_until", "2020-01-01"),
                2,
                "certificate_valid_until",
                "ends before",
            ),
        }
        for name, (data, row, column, message) in cases.items():
            with self.subTest(name):
                descriptions, problems = location_file_read(data, provider=self.provider)
                self.assertEqual(descriptions, [])
                self.assertTrue(
                    any(
                        p.row == row and p.column == column and message in p.text for p in problems
                    ),
                    problems,
                )

    def test_location_columns_must_repeat_unchanged(self) -> None:
        _descriptions, problems = location_file_read(
            changed("street", "Markt", row=2), provider=self.provider
        )
        self.assertIn("differ from the first row of location P01", problems[0].text)

    def test_missing_and_unknown_columns_and_empty_files(self) -> None:
        rows = template_rows()
        rows[0][rows[0].index("zoning")] = "bestemming"
        _d, problems = location_file_read(as_csv(rows), provider=self.provider)
        self.assertEqual(
            [p.text for p in problems],
            [
                "Required columns are missing: zoning.",
                f"Unknown columns: bestemming. The known columns are: {', '.join(COLUMNS)}.",
            ],
        )
        _d, problems = location_file_read(b"", provider=self.provider)
        self.assertEqual(problems[0].text, "The file contains no rows.")
        # Without the facilities the norms count: refused once, not four times per row.
        rows = template_rows()
        facilities = [rows[0].index(c) for c in ("toilets", "showers", "burners", "sockets")]
        rows = [[c for i, c in enumerate(row) if i not in facilities] for row in rows]
        _d, problems = location_file_read(as_csv(rows), provider=self.provider)
        self.assertEqual(
            [p.text for p in problems],
            ["Required columns are missing: toilets, showers, burners, sockets."],
        )
        _d, problems = location_file_read(b"%PDF-1.4\x00\x01", provider=self.provider)
        self.assertIn("neither a CSV file nor an Excel workbook", problems[0].text)


class CommandTests(PersonaTestCase):
    def setUp(self) -> None:
        self.path = self.tmp_path("locations.csv", location_template_csv())

    def tmp_path(self, name: str, data: bytes):
        import tempfile
        from pathlib import Path

        directory = Path(tempfile.mkdtemp())
        self.addCleanup(lambda: [p.unlink() for p in directory.iterdir()] and directory.rmdir())
        path = directory / name
        path.write_bytes(data)
        return path

    def test_norms_check_judges_without_storing(self) -> None:
        out = io.StringIO()
        with self.settings(NORMS_SNF_2025=False):
            call_command("norms_check", self.path, "--on", "2026-11-28", "--json", stdout=out)
        result = json.loads(out.getvalue())
        [location] = result["locations"]
        self.assertEqual(location["code"], "P01")
        # 54 m² in all, one bedroom of 14 m² with 2 beds: 2 by beds under SNF.
        self.assertEqual(location["norms"]["snf"]["capacity"], 2)
        self.assertEqual(location["effective_capacity"], 2)
        self.assertEqual(Location.objects.count(), 0)

    def test_the_commands_say_a_file_s_problems_in_words(self) -> None:
        path = self.tmp_path("locations.csv", b"code,name\nP01,Huis\n")
        for command in ("norms_check", "import_locations"):
            with self.subTest(command), translation.override("en"):
                err, out = io.StringIO(), io.StringIO()
                arguments = [path] if command == "norms_check" else [path, "--provider", "11111111"]
                with self.assertRaises(CommandError):
                    call_command(command, *arguments, stdout=out, stderr=err)
                said = err.getvalue() + out.getvalue()
                self.assertIn("Required columns are missing: ", said)
                self.assertNotIn("%(", said)

    def test_import_locations_keeps_a_record_whatever_the_outcome(self) -> None:
        from welkom.housing.models import LocationImport

        out = io.StringIO()
        call_command("import_locations", self.path, "--provider", "11111111", stdout=out)
        bad = self.tmp_path("bad.csv", b"code,name\nP01,Huis\n")
        with self.assertRaises(CommandError):
            call_command("import_locations", bad, "--provider", "11111111", stdout=out)
        records = list(LocationImport.objects.order_by("pk"))
        self.assertEqual(
            [(r.filename, r.status, r.source) for r in records],
            [("locations.csv", "applied", "cli"), ("bad.csv", "rejected", "cli")],
        )
        self.assertIsNone(records[0].submitted_by)

    def test_the_commands_speak_the_language_they_run_in(self) -> None:
        path = self.tmp_path("locations.csv", b"code,name\nP01,Huis\n")
        with translation.override("nl"), self.assertRaises(CommandError) as refused:
            call_command("import_locations", path, "--provider", "11111111", stdout=io.StringIO())
        self.assertEqual(
            str(refused.exception), "Het locatiebestand is geweigerd; er is niets veranderd."
        )
        with translation.override("nl"), self.assertRaises(CommandError) as missing:
            call_command("import_locations", path, "--provider", "99999999")
        self.assertEqual(str(missing.exception), "Geen huisvester met KvK-nummer 99999999.")

    def test_norms_check_applies_the_municipality_s_own_rules(self) -> None:
        MunicipalRule.objects.create(
            municipality=self.venlo.municipality,
            kind="min_area_per_person",
            value=Decimal(30),
            effective_from=date(2020, 1, 1),
        )
        out = io.StringIO()
        with self.settings(NORMS_SNF_2025=False), translation.override("en"):
            call_command("norms_check", self.path, "--on", "2026-11-28", stdout=out)
        text = out.getvalue()
        # 54 m² at 30 m² a person: 1, and the municipality's rule counts.
        self.assertIn("effective capacity 1", text)
        self.assertIn("At least 30 m² usable floor area per person (municipal rule).", text)

    def test_norms_check_refuses_a_file_with_problems(self) -> None:
        bad = self.tmp_path("bad.csv", changed("room_area_m2", "0"))
        with self.assertRaises(CommandError):
            call_command("norms_check", bad, stdout=io.StringIO(), stderr=io.StringIO())

    def test_import_locations_stores_all_or_nothing(self) -> None:
        out = io.StringIO()
        call_command("import_locations", self.path, "--provider", "11111111", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue())["locations_created"], 1)
        self.assertEqual(Room.objects.count(), 2)
        again = io.StringIO()
        call_command(
            "import_locations", self.path, "--provider", "11111111", "--json", stdout=again
        )
        self.assertEqual(json.loads(again.getvalue())["locations_updated"], 1)
        self.assertEqual(Room.objects.count(), 2)
        # A file that names only SNF leaves an AKF mark the location also holds.
        location = Location.objects.get(code="P01")
        location.certificates.create(scheme="akf", register_id="AKF-1", valid_until="2027-01-01")
        call_command("import_locations", self.path, "--provider", "11111111", stdout=io.StringIO())
        self.assertEqual(
            sorted(location.certificates.values_list("scheme", flat=True)), ["akf", "snf"]
        )
        bad = self.tmp_path("bad.csv", changed("room_area_m2", "0", row=2))
        with self.assertRaises(CommandError):
            call_command("import_locations", bad, "--provider", "11111111", stdout=io.StringIO())
        self.assertEqual(Room.objects.count(), 2)
        with self.assertRaises(CommandError):
            call_command(
                "import_locations", self.path, "--provider", "99999999", stdout=io.StringIO()
            )
