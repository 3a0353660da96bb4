from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase
from django.utils import translation

from welkom.work import rules
from welkom.work.register_files import register_file_read


def read(text: str):
    return register_file_read(text.encode(), filename="register.csv")


class RegisterFileTests(SimpleTestCase):
    def test_dutch_headers_and_statuses_in_any_capitalisation(self) -> None:
        lenders, problems = read(
            "KvK-nummer;HANDELSNAAM;Status;Datum toelating;Geldig tot;Plaats\n"
            "1234 5678;Flex B.V.;Toegelaten;01-01-2027;;Venlo\n"
            "87654321;Zuid B.V.;geschorst;;31-12-2027;Heerlen\n"
            "11112222;Maas B.V.;Beëindigd;;;Roermond\n"
        )
        self.assertEqual(problems, [])
        self.assertEqual(
            [(lender.kvk_number, lender.status, lender.since, lender.until) for lender in lenders],
            [
                ("12345678", rules.ADMITTED, date(2027, 1, 1), None),
                ("87654321", rules.SUSPENDED, None, date(2027, 12, 31)),
                ("11112222", rules.WITHDRAWN, None, None),
            ],
        )

    def test_english_headers(self) -> None:
        lenders, problems = read("KvK number,Company name,Certification\n12345678,Flex,certified\n")
        self.assertEqual((problems, lenders[0].status), ([], rules.ADMITTED))

    def test_every_problem_in_one_pass(self) -> None:
        with translation.override("en"):
            lenders, problems = read(
                "kvk,naam,status,sinds,tot\n"
                "1234567,Flex,toegelaten,,\n"
                "12345678,,misschien,31-02-2027,\n"
                "87654321,Zuid,toegelaten,01-02-2027,01-01-2027\n"
                "11112222,Goed,toegelaten,,\n"
                "1111-2222,Goed again,toegelaten,,\n"
            )
            found = [(p.row, p.column, p.text) for p in problems]
        self.assertEqual(lenders, [])
        self.assertEqual(
            [(row, column) for row, column, _text in found],
            [(2, "kvk"), (3, "naam"), (3, "status"), (3, "sinds"), (4, "tot"), (6, "kvk")],
        )
        self.assertIn("toegelaten", found[2][2])  # says which statuses it reads
        self.assertIn("no day 31", found[3][2])
        self.assertIn("row 5", found[5][2])  # the KvK number 11112222 came first there

    def test_missing_columns_say_which_and_how_to_name_them(self) -> None:
        with translation.override("en"):
            _lenders, problems = read("naam;plaats\nFlex;Venlo\n")
            self.assertEqual(len(problems), 1)
            self.assertIn("kvk_number, status", problems[0].text)
            self.assertIn("kvk_number: kvk", problems[0].text)

    def test_an_empty_file_and_a_header_alone(self) -> None:
        self.assertEqual(len(read("")[1]), 1)
        self.assertEqual(len(read("kvk;naam;status\n")[1]), 1)

    def test_a_workbook_is_read_as_a_csv_file_is(self) -> None:
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["KvK-nummer", "Naam", "Status"])
        sheet.append([12345678, "Flex B.V.", "toegelaten"])
        buffer = io.BytesIO()
        book.save(buffer)
        lenders, problems = register_file_read(buffer.getvalue(), filename="register.xlsx")
        self.assertEqual((problems, [lender.kvk_number for lender in lenders]), ([], ["12345678"]))

    def test_direction_marks_are_refused(self) -> None:
        _lenders, problems = read("KvK;Naam;Status\n12345678;Flex\u202e B.V.;toegelaten\n")
        self.assertEqual([(p.row, p.column) for p in problems], [(2, "Naam")])
