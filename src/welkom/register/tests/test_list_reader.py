from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from django.test import SimpleTestCase

from welkom.lib import files
from welkom.lib.files import DATE_NO_SUCH_DAY, DATE_NO_SUCH_MONTH
from welkom.register import list_reader
from welkom.register.list_reader import (
    NIGHT_LIST_COLUMNS,
    REQUIRED_COLUMNS,
    NightList,
    NightRow,
    night_list_read,
    night_list_template_csv,
)

FIXTURES = Path(__file__).parent / "fixtures" / "night_lists"
TODAY = date(2026, 11, 28)
HEADER = NIGHT_LIST_COLUMNS[:9]
ROW = ["2026-11-01", "V1", "Nowak", "Jan", "1990-01-01", "POL", "Opole", "PL", "passport"]


def read(name: str, today: date = TODAY) -> NightList:
    return night_list_read((FIXTURES / name).read_bytes(), filename=name, today=today)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def found(night_list: NightList) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in night_list.problems]


def row(number: int, **changes) -> NightRow:
    """The fixtures' usual person on 1 November, with `changes`."""
    values = {
        "row": number,
        "night": date(2026, 11, 1),
        "location_code": "V1",
        "family_name": "Nowak",
        "given_names": "Jan",
        "date_of_birth": date(1990, 1, 1),
        "nationality": "POL",
        "home_place": "Opole",
        "home_country": "PL",
        "document_type": "passport",
        "document_number": "",
        "bsn": "",
        "room": "",
        "registration": "",
        "expected_departure": None,
        "employer_kvk": "",
    }
    return NightRow(**(values | changes))


def xlsx(*rows: list, build=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append(cells)
    if build is not None:
        build(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class AcceptedCsvTests(SimpleTestCase):
    def test_it_reads_every_column_from_a_comma_separated_file(self) -> None:
        result = read("comma_all_columns.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(result.columns, NIGHT_LIST_COLUMNS)
        self.assertEqual(
            result.rows,
            [
                row(2),
                NightRow(
                    3,
                    date(2026, 11, 2),
                    "V1",
                    "Kowalska",
                    "Anna Maria",
                    date(1985, 6, 15),
                    "ROU",
                    "Cluj-Napoca",
                    "RO",
                    "identity_card",
                    "AB1234567",
                    "111222333",
                    "12b",
                    "rni",
                    date(2026, 12, 15),
                    "12345678",
                ),
            ],
        )

    def test_it_reads_semicolons_dutch_headers_day_first_dates_and_either_country_code(
        self,
    ) -> None:
        result = read("semicolon_dutch_headers.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(result.columns, NIGHT_LIST_COLUMNS)
        self.assertEqual(
            result.rows,
            [
                row(2, room="3", registration="none", expected_departure=date(2026, 12, 31)),
                NightRow(
                    3,
                    date(2026, 11, 2),
                    "V1",
                    "Popescu",
                    "Ion",
                    date(1985, 6, 15),
                    "ROU",
                    "Iași",
                    "RO",
                    "identity_card",
                    "",
                    "123456782",
                    "3",
                    "brp",
                    None,
                    "87654321",
                ),
            ],
        )

    def test_it_reads_utf8_with_a_byte_order_mark_and_english_header_names(self) -> None:
        result = read("utf8_bom_english_aliases.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(result.columns, REQUIRED_COLUMNS)
        self.assertEqual(
            result.rows, [row(2, family_name="Wiśniewski", given_names="Łukasz", home_place="Łódź")]
        )

    def test_it_falls_back_to_windows_1252(self) -> None:
        result = read("windows_1252.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(
            result.rows,
            [
                row(
                    2,
                    family_name="Müller",
                    given_names="José",
                    nationality="DEU",
                    home_place="Köln",
                    home_country="DE",
                    document_type="driving_licence",
                ),
            ],
        )

    def test_it_reads_excels_tab_separated_unicode_text(self) -> None:
        result = read("utf16_tab_separated.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(result.rows, [row(2, family_name="Dąbrowski")])

    def test_it_strips_unquotes_and_skips_empty_rows_keeping_the_row_numbers(self) -> None:
        result = read("quoted_whitespace_empty_rows.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(
            result.rows,
            [
                row(2, family_name="Nowak, Jr."),
                row(
                    6,
                    location_code="V2",
                    family_name='O"Brien',
                    given_names="Sean",
                    date_of_birth=date(1990, 2, 2),
                    nationality="IRL",
                    home_place="Cork",
                    home_country="IE",
                ),
            ],
        )

    def test_it_reads_iso_and_day_first_dates(self) -> None:
        result = read("date_formats.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(
            [(r.night, r.date_of_birth, r.expected_departure) for r in result.rows],
            [
                (date(2026, 11, 1), date(1990, 1, 31), date(2026, 12, 31)),
                (date(2026, 11, 2), date(1990, 1, 31), date(2026, 12, 31)),
                (date(2026, 11, 3), date(1990, 1, 31), date(2026, 12, 31)),
                (date(2026, 11, 4), date(1990, 1, 31), date(2027, 1, 1)),
                (date(2026, 11, 5), date(1990, 1, 31), date(2026, 12, 31)),
            ],
        )

    def test_it_understands_dutch_and_english_document_types_and_registrations(self) -> None:
        result = read("vocabularies.csv")
        self.assertEqual(result.problems, [])
        self.assertEqual(
            [(r.document_type, r.registration) for r in result.rows],
            [
                ("identity_card", "brp"),
                ("identity_card", "rni"),
                ("identity_card", "none"),
                ("identity_card", "none"),
                ("passport", "unknown"),
                ("passport", "unknown"),
                ("residence_permit", ""),
                ("residence_permit", "unknown"),
                ("residence_permit", ""),
                ("driving_licence", ""),
                ("driving_licence", ""),
                ("driving_licence", ""),
                ("other", ""),
                ("other", ""),
            ],
        )

    def test_it_leaves_absent_optional_columns_empty(self) -> None:
        result = read("required_columns_only.csv")
        self.assertEqual((result.problems, result.rows), ([], [row(2)]))
        self.assertEqual(result.columns, REQUIRED_COLUMNS)

    def test_it_knows_every_header_name_in_the_brief(self) -> None:
        names = {
            "night": ["night", "Nacht", "datum", "Date"],
            "location_code": ["location code", "Locatiecode", "location", "locatie"],
            "family_name": ["family name", "surname", "Last name", "achternaam", "geslachtsnaam"],
            "given_names": ["given names", "First name(s)", "first names", "voornamen", "voornaam"],
            "date_of_birth": ["date of birth", "birth date", "Geboortedatum"],
            "nationality": ["nationality", "nationaliteit"],
            "home_place": ["home place", "place of residence", "woonplaats"],
            "home_country": ["home country", "country", "land", "woonland"],
            "document_type": [
                "document type",
                "ID document",
                "soort document",
                "soort identiteitsbewijs",
                "legitimatie",
            ],
            "document_number": ["document number", "documentnummer"],
            "bsn": ["BSN", "citizen service number", "burgerservicenummer"],
            "room": ["room", "kamer"],
            "registration_status": [
                "registration status",
                "registration",
                "inschrijving",
                "inschrijvingsstatus",
            ],
            "expected_departure": ["expected departure", "verwachte vertrekdatum", "vertrekdatum"],
            "employer_kvk": [
                "employer kvk",
                "KvK werkgever",
                "kvk-nummer werkgever",
                "werkgever_kvk",
                "Werkgever KvK",
            ],
        }
        for canonical, aliases in names.items():
            for alias in aliases:
                with self.subTest(alias):
                    header = [alias if c == canonical else c for c in NIGHT_LIST_COLUMNS]
                    result = night_list_read(
                        csv_bytes(";".join(header), ";".join(ROW)), filename="n.csv", today=TODAY
                    )
                    self.assertEqual(result.problems, [])
                    self.assertEqual(result.columns, NIGHT_LIST_COLUMNS)

    def test_it_reads_its_own_template(self) -> None:
        template = night_list_template_csv()
        self.assertTrue(
            template.startswith(b"\xef\xbb\xbf" + ",".join(NIGHT_LIST_COLUMNS).encode())
        )
        result = night_list_read(template, filename="template.csv", today=TODAY)
        # Every column reads, and the example row is refused as what it is.
        self.assertEqual(result.columns, NIGHT_LIST_COLUMNS)
        self.assertEqual(found(result), [(2, "location_code", list_reader.EXAMPLE_ROW)])
        edited = template.replace(b"VOORBEELD", b"L001")
        self.assertEqual(night_list_read(edited, filename="t.csv", today=TODAY).problems, [])

    def test_it_decides_the_format_by_content_not_by_name(self) -> None:
        result = night_list_read(xlsx(HEADER, ROW), filename="nights.csv", today=TODAY)
        self.assertEqual((result.problems, result.rows), ([], [row(2)]))


class CsvProblemTests(SimpleTestCase):
    def test_it_reports_impossible_and_unreadable_dates(self) -> None:
        result = read("not_a_date.csv")
        self.assertEqual(
            found(result),
            [
                (2, "night", DATE_NO_SUCH_DAY),  # 31-02-2026: the form is right
                (3, "date_of_birth", list_reader.NOT_A_DATE),
                (4, "expected_departure", list_reader.NOT_A_DATE),  # a two-digit year
                (5, "night", DATE_NO_SUCH_MONTH),  # 2026-13-01
            ],
        )
        self.assertEqual(
            [p.value for p in result.problems],
            ["31-02-2026", "yesterday", "31-12-26", "2026-13-01"],
        )
        self.assertEqual(result.rows, [])

    def test_it_refuses_nights_in_the_future_or_before_2000(self) -> None:
        result = read("night_out_of_range.csv")
        self.assertEqual(
            found(result),
            [
                (2, "night", list_reader.NIGHT_IN_FUTURE),
                (3, "night", list_reader.NIGHT_TOO_EARLY),
            ],
        )
        self.assertEqual(result.problems[0].params, {"today": "2026-11-28"})
        self.assertEqual([r.row for r in result.rows], [4])
        self.assertEqual(found(read("night_out_of_range.csv", today=date(2026, 11, 29)))[0][0], 3)

    def test_it_refuses_dates_of_birth_in_the_future_or_before_1900(self) -> None:
        result = read("birth_out_of_range.csv")
        self.assertEqual(
            found(result),
            [
                (2, "date_of_birth", list_reader.BIRTH_IN_FUTURE),
                (3, "date_of_birth", list_reader.BIRTH_TOO_EARLY),
            ],
        )
        self.assertEqual([r.row for r in result.rows], [4])

    def test_it_refuses_an_expected_departure_before_the_night(self) -> None:
        result = read("departure_before_night.csv")
        self.assertEqual(
            found(result), [(2, "expected_departure", list_reader.DEPARTURE_BEFORE_NIGHT)]
        )
        self.assertEqual(result.problems[0].params, {"night": "2026-11-10"})
        self.assertEqual([r.row for r in result.rows], [3])

    def test_it_lists_missing_required_columns_in_one_problem(self) -> None:
        result = read("missing_columns.csv")
        self.assertEqual(found(result), [(None, None, list_reader.COLUMNS_MISSING)])
        self.assertEqual(
            result.problems[0].params,
            {"columns": "nationaliteit (nationality), woonland (home_country)"},
        )
        self.assertEqual(result.rows, [])

    def test_it_lists_unknown_columns_in_one_problem_with_the_known_ones(self) -> None:
        result = read("unknown_columns.csv")
        self.assertEqual(found(result), [(None, None, list_reader.COLUMNS_UNKNOWN)])
        self.assertEqual(
            result.problems[0].params,
            {
                "columns": "shoe size, Opmerkingen",
                "accepted": "nacht (night), locatiecode (location_code), achternaam (family_name), "
                "voornamen (given_names), geboortedatum (date_of_birth), nationaliteit "
                "(nationality), woonplaats (home_place), woonland (home_country), soort id "
                "(document_type), documentnummer (document_number), burgerservicenummer (bsn), "
                "kamer (room), inschrijving (registration_status), verwachte vertrekdatum "
                "(expected_departure), kvk werkgever (employer_kvk)",
            },
        )
        self.assertEqual(result.rows, [row(2)])

    def test_a_header_of_many_unknown_columns_gives_a_short_problem(self) -> None:
        names = [f"kolom {'x' * 100} {i}" for i in range(150)]
        data = csv_bytes(",".join([*HEADER, *names]), ",".join(ROW))
        result = night_list_read(data, filename="n.csv", today=TODAY)
        [problem] = result.problems
        self.assertEqual(problem.message, list_reader.COLUMNS_UNKNOWN)
        self.assertTrue(problem.params["columns"].endswith(", …"))
        self.assertLess(len(problem.params["columns"]), 1000)

    def test_it_refuses_a_column_given_twice(self) -> None:
        result = read("column_twice.csv")
        self.assertEqual(found(result), [(None, "night", list_reader.COLUMN_TWICE)])
        self.assertEqual(result.problems[0].params, {"column": "night", "names": "night, nacht"})
        self.assertEqual(result.rows, [])

    def test_it_refuses_unknown_country_codes_document_types_and_registrations(self) -> None:
        result = read("unknown_codes.csv")
        self.assertEqual(
            found(result),
            [
                (2, "nationality", list_reader.UNKNOWN_COUNTRY),
                (2, "home_country", list_reader.UNKNOWN_COUNTRY),
                (2, "document_type", list_reader.UNKNOWN_DOCUMENT_TYPE),
                (2, "registration_status", list_reader.UNKNOWN_REGISTRATION),
                (3, "nationality", list_reader.UNKNOWN_COUNTRY),
            ],
        )
        self.assertEqual(
            [p.value for p in result.problems], ["XX", "ZZZ", "library card", "maybe", "POLAND"]
        )
        # The words a list may write, Dutch and English, not the stored codes.
        self.assertIn("rijbewijs / driving licence", result.problems[2].params["accepted"])
        self.assertNotIn("driving_licence", result.problems[2].params["accepted"])
        self.assertIn("onbekend / unknown", result.problems[3].params["accepted"])

    def test_it_requires_the_required_values(self) -> None:
        result = read("required_values.csv")
        self.assertEqual(
            found(result),
            [
                (2, "family_name", list_reader.REQUIRED),
                (2, "document_type", list_reader.REQUIRED),
                (3, "night", list_reader.REQUIRED),
                (3, "home_place", list_reader.REQUIRED),
            ],
        )
        self.assertEqual(result.rows, [])

    def test_it_limits_names_to_200_characters_and_shows_at_most_100(self) -> None:
        result = read("too_long.csv")
        self.assertEqual(found(result), [(2, "family_name", list_reader.TOO_LONG)])
        self.assertEqual(result.problems[0].params, {"max": 200})
        self.assertEqual(result.problems[0].value, "A" * 100)
        self.assertEqual([r.family_name for r in result.rows], ["B" * 200])

    def test_it_refuses_control_characters(self) -> None:
        result = read("control_characters.csv")
        self.assertEqual(
            found(result),
            [
                (2, "given_names", list_reader.CONTROL_CHARACTERS),
                (3, "given_names", list_reader.CONTROL_CHARACTERS),
            ],
        )
        self.assertEqual([p.value for p in result.problems], ["Jan\ufffdPiotr", "Jan\ufffd"])

    def test_it_refuses_an_invalid_bsn_without_showing_it(self) -> None:
        result = read("invalid_bsn.csv")
        self.assertEqual(
            found(result),
            [
                (2, "bsn", list_reader.BSN_INVALID),
                (3, "bsn", list_reader.BSN_EIGHT_DIGITS),
                (4, "bsn", list_reader.BSN_INVALID),
            ],
        )
        self.assertEqual([p.value for p in result.problems], ["******789", "*****678", "******000"])
        stored = json.dumps([p.as_json() for p in result.problems])
        for number in ("123456789", "12345678", "000000000"):
            self.assertNotIn(number, stored)
        # Written with dots, as the BSN is often printed, it is read as its nine digits.
        self.assertEqual([(r.row, r.bsn) for r in result.rows], [(5, "123456782")])

    def test_it_refuses_a_kvk_number_without_8_digits(self) -> None:
        result = read("invalid_kvk.csv")
        self.assertEqual(
            found(result),
            [
                (2, "employer_kvk", list_reader.KVK_INVALID),
                (3, "employer_kvk", list_reader.KVK_INVALID),
            ],
        )

    def test_it_refuses_a_person_listed_twice_on_one_night(self) -> None:
        result = read("person_twice.csv")
        self.assertEqual(found(result), [(5, None, list_reader.PERSON_TWICE)])
        self.assertEqual(
            result.problems[0].params,
            {
                "name": "anna-maria WOJCIK",
                "night": "2026-11-01",
                "first_row": 2,
                "first_location": "V1",
                "location": "H1",
            },
        )
        # Another night, or another nationality, is not the same person-night.
        self.assertEqual([r.row for r in result.rows], [2, 3, 4, 6])

    def test_it_names_the_first_row_even_when_that_row_had_problems(self) -> None:
        result = night_list_read(
            csv_bytes(
                ",".join([*HEADER, "bsn"]),
                ",".join([*ROW, "123456789"]),
                ",".join([*ROW[:1], "H1", *ROW[2:]]),
            ),
            filename="n.csv",
            today=TODAY,
        )
        self.assertEqual(
            found(result),
            [(2, "bsn", list_reader.BSN_INVALID), (3, None, list_reader.PERSON_TWICE)],
        )
        self.assertEqual(result.problems[1].params["first_row"], 2)

    def test_it_reports_values_in_columns_without_a_name(self) -> None:
        result = read("values_without_column_name.csv")
        self.assertEqual(
            found(result),
            [
                (2, None, list_reader.COLUMN_WITHOUT_NAME),
                (3, None, list_reader.COLUMN_WITHOUT_NAME),
            ],
        )
        self.assertEqual([p.params for p in result.problems], [{"position": 11}, {"position": 12}])

    def test_it_reports_a_file_without_data_rows_once(self) -> None:
        for name in ("empty.csv", "header_only.csv", "blank_rows_only.csv"):
            with self.subTest(name):
                self.assertEqual(found(read(name)), [(None, None, list_reader.EMPTY)])

    def test_it_refuses_what_is_not_csv_or_xlsx(self) -> None:
        document = io.BytesIO()
        with zipfile.ZipFile(document, "w") as archive:
            archive.writestr("word/document.xml", "<document/>")
        workbook = xlsx(HEADER, ROW)
        for name, data in [
            ("not_a_spreadsheet.pdf", (FIXTURES / "not_a_spreadsheet.pdf").read_bytes()),
            ("binary.bin", (FIXTURES / "binary.bin").read_bytes()),
            ("letter.docx", document.getvalue()),
            ("damaged.xlsx", workbook[: len(workbook) // 2]),
            # Neither UTF-8 nor Windows-1252, which leaves 0x81 undefined.
            ("undefined.csv", csv_bytes(",".join(HEADER), ",".join(ROW)) + b"\x81\xfe\n"),
        ]:
            with self.subTest(name):
                result = night_list_read(data, filename=name, today=TODAY)
                self.assertEqual(found(result), [(None, None, list_reader.NOT_READABLE)])
                self.assertEqual(result.problems[0].params, {"filename": name})
                self.assertEqual(result.rows, [])

    def test_a_quote_left_open_is_refused_before_the_reader_holds_the_rest(self) -> None:
        for rest in ("x" * 200_000, "x\n" * 100_000):  # on one line, or on many
            data = csv_bytes(",".join(HEADER), ",".join(ROW), '2026-11-02,"V1' + rest)
            result = night_list_read(data, filename="n.csv", today=TODAY)
            self.assertEqual(found(result), [(3, None, files.ROW_TOO_LONG)])

    def test_it_reports_every_problem_up_to_1000_and_counts_the_rest(self) -> None:
        lines = [",".join(HEADER)] + [",".join(["31-02-2026", *ROW[1:]])] * 1100
        result = night_list_read(csv_bytes(*lines), filename="n.csv", today=TODAY)
        self.assertEqual(len(result.problems), 1001)
        self.assertEqual(found(result)[999], (1001, "night", DATE_NO_SUCH_DAY))
        self.assertEqual(found(result)[1000], (None, None, list_reader.MORE_PROBLEMS))
        self.assertEqual(result.problems[1000].params, {"count": 100})

    def test_it_reports_every_problem_of_every_row(self) -> None:
        lines = [",".join(HEADER), ",".join(["x", "", "", "", "x", "XX", "", "XX", "x"])]
        result = night_list_read(csv_bytes(*lines), filename="n.csv", today=TODAY)
        self.assertEqual([p.column for p in result.problems], HEADER)

    def test_it_gives_parameters_that_can_be_stored_as_json(self) -> None:
        for name in sorted(p.name for p in FIXTURES.iterdir()):
            with self.subTest(name):
                for problem in read(name).problems:
                    json.dumps(problem.params)
                    self.assertLessEqual(len(problem.value), 100)


class XlsxTests(SimpleTestCase):
    def test_it_reads_date_cells_number_cells_and_text_dates(self) -> None:
        header = [*HEADER, "bsn", "employer_kvk", "expected_departure"]
        result = night_list_read(
            xlsx(
                header,
                [
                    date(2026, 11, 1),
                    "V1",
                    "Nowak",
                    "Jan",
                    datetime(1990, 1, 1),
                    "POL",
                    "Opole",
                    "PL",
                    "passport",
                    123456782,
                    12345678,
                    "31-12-2026",
                ],
                # Number cells lost the leading zero: the BSN 012345672, the KvK 01234567.
                [
                    "01-11-2026",
                    "V1",
                    "Kowalski",
                    "Jan",
                    "1990-01-01",
                    "POL",
                    "Opole",
                    "PL",
                    "passport",
                    12345672,
                    1234567.0,
                    datetime(2026, 12, 31, 0, 0),
                ],
            ),
            filename="nights.xlsx",
            today=TODAY,
        )
        self.assertEqual(result.problems, [])
        self.assertEqual(
            result.rows,
            [
                row(
                    2,
                    bsn="123456782",
                    employer_kvk="12345678",
                    expected_departure=date(2026, 12, 31),
                ),
                row(
                    3,
                    family_name="Kowalski",
                    bsn="012345672",
                    employer_kvk="01234567",
                    expected_departure=date(2026, 12, 31),
                ),
            ],
        )

    def test_it_does_not_pad_text_cells(self) -> None:
        result = night_list_read(
            xlsx([*HEADER, "bsn"], [*ROW, "12345672"]), filename="n.xlsx", today=TODAY
        )
        self.assertEqual(found(result), [(2, "bsn", list_reader.BSN_EIGHT_DIGITS)])

    def test_it_reads_the_first_worksheet_and_numbers_rows_as_the_sheet_does(self) -> None:
        def build(workbook, sheet) -> None:
            other = workbook.create_sheet("Notes")
            other.append(["nothing", "to", "see"])
            sheet.insert_rows(1, 2)  # the header on row 3, an empty row 5
            sheet.insert_rows(5)

        result = night_list_read(
            xlsx(HEADER, ROW, [*ROW[:2], "Kowalski", *ROW[3:]], build=build),
            filename="n.xlsx",
            today=TODAY,
        )
        self.assertEqual(result.problems, [])
        self.assertEqual(result.rows, [row(4), row(6, family_name="Kowalski")])

    def test_it_reports_problems_with_the_sheets_row_numbers(self) -> None:
        result = night_list_read(
            xlsx(HEADER, ROW, [date(2027, 1, 1), *ROW[1:]]), filename="n.xlsx", today=TODAY
        )
        self.assertEqual(found(result), [(3, "night", list_reader.NIGHT_IN_FUTURE)])

    def test_it_refuses_formulas_naming_the_cells(self) -> None:
        result = night_list_read(
            xlsx(HEADER, ROW, ["=A2+1", *ROW[1:4], "=E2", *ROW[5:]]), filename="n.xlsx", today=TODAY
        )
        self.assertEqual(found(result), [(None, None, list_reader.XLSX_FORMULAS)])
        self.assertEqual(result.problems[0].params, {"count": 2, "cells": "A3, E3"})
        self.assertEqual(result.rows, [])

    def test_it_names_ten_formulas_and_counts_them_all(self) -> None:
        rows = [["=1+1", *ROW[1:]] for _ in range(12)]
        result = night_list_read(xlsx(HEADER, *rows), filename="n.xlsx", today=TODAY)
        params = result.problems[0].params
        self.assertEqual(params["count"], 12)
        self.assertEqual(params["cells"], ", ".join(f"A{n}" for n in range(2, 12)) + ", …")

    def test_it_refuses_merged_cells_naming_them(self) -> None:
        result = night_list_read(
            xlsx(HEADER, ROW, ROW, build=lambda _workbook, sheet: sheet.merge_cells("B2:B3")),
            filename="n.xlsx",
            today=TODAY,
        )
        self.assertEqual(found(result), [(None, None, list_reader.XLSX_MERGED)])
        self.assertEqual(result.problems[0].params, {"cells": "B2:B3"})
        self.assertEqual(result.rows, [])

    def test_it_reports_header_problems_in_a_workbook(self) -> None:
        result = night_list_read(xlsx(HEADER[:-1], ROW[:-1]), filename="n.xlsx", today=TODAY)
        self.assertEqual(found(result), [(None, None, list_reader.COLUMNS_MISSING)])
        self.assertEqual(
            found(night_list_read(xlsx(HEADER), filename="n.xlsx", today=TODAY)),
            [(None, None, list_reader.EMPTY)],
        )


class ForgivingHeaderTests(SimpleTestCase):
    def test_dutch_headers_as_offices_write_them_are_read(self) -> None:
        header = (
            "Datum overnachting;Locatie code;ACHTERNAAM;Voornaam;Geboorte datum;Nationaliteit;"
            "Woonplaats;Land van herkomst;Soort ID;Inschrijving BRP/RNI;Geb. datum"
        )
        result = night_list_read(
            (header + "\n2026-11-01;V1;Nowak;Jan;01-01-1990;POL;Opole;PL;paspoort;rni;\n").encode(),
            filename="nachtregister.csv",
            today=TODAY,
        )
        # Two columns naming the date of birth: refused as doubled, not as unknown; named
        # as the file names the column.
        self.assertEqual(found(result), [(None, "Geboorte datum", list_reader.COLUMN_TWICE)])
        single = header.rsplit(";", 1)[0]
        result = night_list_read(
            (single + "\n2026-11-01;V1;Nowak;Jan;01-01-1990;POL;Opole;PL;paspoort;rni\n").encode(),
            filename="nachtregister.csv",
            today=TODAY,
        )
        self.assertEqual(result.problems, [])
        self.assertEqual(
            (result.rows[0].registration, result.rows[0].document_type), ("rni", "passport")
        )

    def test_a_misspelt_header_gets_a_suggestion(self) -> None:
        header = "nacht,locatiecode,achternaam,voornamen,geboortedatun,nationaliteit,woonplaats,woonland,soort id"
        result = night_list_read((header + "\n").encode(), filename="n.csv", today=TODAY)
        [suggested] = [p for p in result.problems if p.message == list_reader.COLUMN_DID_YOU_MEAN]
        self.assertEqual(suggested.column, "geboortedatun")
        self.assertEqual(suggested.params["suggestion"], "geboortedatum (date_of_birth)")
