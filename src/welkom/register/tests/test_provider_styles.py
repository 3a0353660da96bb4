"""Night lists as providers make them elsewhere (issue 14): a fixture per style, each with the
outcome and the problems it must give, through the whole import (on both engines in CI).

The files in `fixtures/provider_styles` were written once by hand and by openpyxl (the
workbook); each name says its style."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.utils import translation

from welkom.lib.files import DATE_NO_SUCH_DAY, DATE_NO_SUCH_MONTH
from welkom.register import list_reader
from welkom.register.models import NightListImport, Person, Stay
from welkom.register.tests.test_services import _ThreeLocations

STYLES = Path(__file__).parent / "fixtures" / "provider_styles"

# File → (status, persons, problems as (row, column as the file names it, message id)).
EXPECTED: dict[str, tuple[str, int, list[tuple[int | None, str | None, str]]]] = {
    "01_dutch_excel_windows_1252.csv": ("applied", 2, []),
    "02_capitals_and_spellings.csv": ("applied", 1, []),
    "03_totals_row.csv": ("rejected", 0, [(5, None, list_reader.TOTALS_ROW)]),
    "04_template_unedited.csv": ("rejected", 0, [(2, "location_code", list_reader.EXAMPLE_ROW)]),
    "05_wrong_dates.csv": (
        "rejected",
        0,
        [
            (2, "nacht", DATE_NO_SUCH_DAY),
            (3, "geboortedatum", DATE_NO_SUCH_DAY),
            (4, "nacht", DATE_NO_SUCH_MONTH),
        ],
    ),
    "06_unknown_location_among_errors.csv": (
        "rejected",
        0,
        [
            (2, "nationaliteit", list_reader.UNKNOWN_COUNTRY),
            (3, "locatiecode", list_reader.LOCATION_UNKNOWN),  # once, at its first row
        ],
    ),
    "07_misspelt_header.csv": (
        "rejected",
        0,
        [(None, "geboortedatun", list_reader.COLUMN_DID_YOU_MEAN)],
    ),
    "08_excel_date_cells.xlsx": ("applied", 1, []),
    "09_unicode_text_tabs.txt": ("applied", 1, []),
    "10_person_twice_one_night.csv": ("rejected", 0, [(3, None, list_reader.PERSON_TWICE)]),
    "11_unknown_words.csv": (
        "rejected",
        0,
        [
            (2, "soort id", list_reader.UNKNOWN_DOCUMENT_TYPE),
            (2, "inschrijving", list_reader.UNKNOWN_REGISTRATION),
        ],
    ),
    "12_spreadsheet_leftovers.csv": ("applied", 1, []),
}


class ProviderStylesTests(_ThreeLocations):
    def test_the_set_holds_every_style_the_issue_names(self) -> None:
        self.assertEqual(sorted(p.name for p in STYLES.iterdir()), sorted(EXPECTED))
        self.assertGreaterEqual(len(EXPECTED), 10)

    def test_each_style_gives_its_outcome_and_problems(self) -> None:
        for name, (status, persons, problems) in EXPECTED.items():
            with self.subTest(file=name):
                record, summary = self._import((STYLES / name).read_bytes())
                found = [(p.row, p.column, p.message) for p in summary.problems]
                self.assertEqual((record.status, found), (status, problems))
                self.assertEqual(summary.persons, persons)
                if status == "rejected":
                    self.assertEqual(record.counts["persons"], 0)

    def test_a_dutch_office_list_is_stored_as_it_means(self) -> None:
        self._import((STYLES / "01_dutch_excel_windows_1252.csv").read_bytes())
        mueller = Person.internal.get(family_name="Müller")
        self.assertEqual(
            (mueller.given_names, mueller.home_place, mueller.document_type, mueller.registration),
            ("José", "Köln", "passport", "none"),
        )
        self.assertEqual(Person.internal.get(family_name="Nowak").registration, "unknown")
        stay = Stay.internal.with_end().get(person=mueller)
        self.assertEqual(
            (stay.check_in, stay.end, stay.room), (date(2026, 11, 1), date(2026, 11, 3), "1a")
        )

    def test_the_workbook_keeps_its_dates_and_the_bsn_excel_shortened(self) -> None:
        self._import((STYLES / "08_excel_date_cells.xlsx").read_bytes())
        elena = Person.internal.get(family_name="Dumitru")
        self.assertEqual((elena.date_of_birth, elena.bsn), (date(1993, 4, 9), "012345672"))
        stay = Stay.internal.with_end().get(person=elena)
        self.assertEqual(
            (stay.check_in, stay.expected_departure), (date(2026, 11, 8), date(2027, 3, 31))
        )

    def test_the_refusals_say_what_to_do_in_the_providers_language(self) -> None:
        _record, summary = self._import((STYLES / "05_wrong_dates.csv").read_bytes())
        with translation.override("nl"):
            texts = [problem.text for problem in summary.problems]
        self.assertIn("31", texts[0])
        self.assertIn("28", texts[0])
        self.assertIn("13", texts[2])
        self.assertNotIn("%(", " ".join(texts))
        _record, summary = self._import((STYLES / "11_unknown_words.csv").read_bytes())
        with translation.override("pl"):
            self.assertIn("paspoort / passport", summary.problems[0].text)

    def test_nothing_is_written_by_a_refused_style(self) -> None:
        for name, (status, _persons, _problems) in EXPECTED.items():
            if status == "rejected":
                self._import((STYLES / name).read_bytes())
        self.assertEqual((Person.internal.count(), Stay.internal.count()), (0, 0))
        self.assertEqual(
            NightListImport.objects.filter(status="rejected").count(),
            sum(1 for status, *_ in EXPECTED.values() if status == "rejected"),
        )
