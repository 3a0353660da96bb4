"""A file's cost grows with its rows, never with what it can be shaped to hold: the caps of
`lib.files.Spreadsheet` (width, row length, a workbook's unpacked size and texts), checked
before parsing, for every reader; and the night list's fast path never hands polars a row
wider than its header."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date

import openpyxl
from django.test import SimpleTestCase

from welkom.lib import files
from welkom.lib.files import Spreadsheet, spreadsheet_records
from welkom.register.list_reader import DIRECTION_CHARACTERS
from welkom.register.submissions import submissions_read

TODAY = date(2026, 11, 28)
HEADER = "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,home_country,document_type"
ROW = "2026-11-02,V1,Nowak,Jan,1990-01-01,POL,Opole,PL,passport"


def read(data: bytes) -> tuple[list, list]:
    sheet = Spreadsheet(data)
    return list(sheet.rows()), sheet.problems


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
        target.writestr(name, content)
    return buffer.getvalue()


class WidthTests(SimpleTestCase):
    def test_a_row_wider_than_any_file_may_be_is_refused_with_its_number(self) -> None:
        wide = ",".join(["x"] * (files.MAX_COLUMNS + 1))
        rows, problems = read(f"a,b\n1,2\n{wide}\n".encode())
        self.assertEqual(len(rows), 2)
        self.assertEqual(
            [(p.row, p.message, p.params["count"]) for p in problems],
            [(3, files.FILE_TOO_WIDE, files.MAX_COLUMNS + 1)],
        )

    def test_empty_cells_at_the_end_of_a_row_do_not_count(self) -> None:
        rows, problems = read(("a,b\n1,2" + "," * 1000 + "\n").encode())
        self.assertEqual((problems, rows[1][1][:2]), ([], ["1", "2"]))

    def test_a_row_longer_than_any_row_may_be_is_refused_before_it_is_split(self) -> None:
        for data in (b"a,b\n" + b"," * 1_000_000, b"a,b\n1," + b"x" * 1_000_000):
            rows, problems = read(data)
            self.assertEqual([(p.row, p.message) for p in problems], [(2, files.ROW_TOO_LONG)])
            self.assertEqual(rows, [(1, ["a", "b"])])

    def test_a_wide_workbook_row_is_refused_too(self) -> None:
        _rows, problems = read(workbook([["a"], ["x"] * (files.MAX_COLUMNS + 1)]))
        self.assertEqual([(p.row, p.message) for p in problems], [(2, files.FILE_TOO_WIDE)])

    def test_the_small_files_readers_get_the_same_refusal(self) -> None:
        records, problems = spreadsheet_records(b"a,b\n" + b"," * 1_000_000)
        self.assertEqual((records, [p.message for p in problems]), ([], [files.ROW_TOO_LONG]))


class WorkbookTests(SimpleTestCase):
    def test_a_workbook_that_unpacks_far_beyond_its_size_is_refused_unopened(self) -> None:
        bomb = with_part(workbook([["a"], ["b"]]), "xl/padding.xml", b" " * 200_000_000)
        self.assertLess(len(bomb), 1_000_000)
        started = time.perf_counter()
        _rows, problems = read(bomb)
        self.assertEqual([p.message for p in problems], [files.XLSX_TOO_LARGE])
        self.assertLess(time.perf_counter() - started, 5)  # not unpacked: far less, in fact

    def test_a_workbook_of_millions_of_texts_is_refused_before_openpyxl_loads_them(self) -> None:
        strings = b"<si><t>a</t></si>" * (files.MAX_XLSX_SHARED_STRING_TAGS // 4 + 1)
        data = with_part(
            workbook([["a"], ["b"]]),
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + strings
            + b"</sst>",
        )
        _rows, problems = read(data)
        self.assertEqual([p.message for p in problems], [files.XLSX_TOO_LARGE])

    def test_an_ordinary_workbook_reads_as_before(self) -> None:
        rows, problems = read(workbook([["a", "b"], ["1", "2"]] * 500))
        self.assertEqual((problems, len(rows)), ([], 1000))


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys
    import django
    django.setup()
    from datetime import date
    from welkom.register.submissions import submissions_read
    data = sys.stdin.buffer.read()
    [(submission, problems)] = submissions_read([(data, "n.csv")], today=date(2026, 11, 28))
    print(json.dumps({
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "problems": [p.message for p in problems],
    }))
    """
)


class NightListMemoryTests(SimpleTestCase):
    """Measured in a process of its own: its peak memory is that of this list alone."""

    def measure(self, data: bytes) -> dict:
        done = subprocess.run(  # noqa: S603 -- this interpreter, this module's own code
            [sys.executable, "-c", _MEASURE],
            input=data,
            capture_output=True,
            check=True,
            timeout=120,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "welkom.settings"},
        )
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def test_a_megabyte_of_commas_costs_what_a_megabyte_of_rows_costs(self) -> None:
        ordinary = self.measure(
            ((HEADER + "\n") + (ROW + "\n") * 18_000).encode()  # about 1 MB of rows
        )
        commas = self.measure(((HEADER + "\n" + ROW) + "," * 1_000_000 + "\n").encode())
        self.assertEqual(commas["problems"], [files.ROW_TOO_LONG])
        # 1.1 GB before the caps; now within a few tens of MB of an ordinary list's peak.
        self.assertLess(commas["rss"], ordinary["rss"] + 64 * 1024 * 1024)

    def test_rows_a_little_wider_than_the_header_are_read_by_the_row_reader(self) -> None:
        names = [f"Nowak{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(200)]
        rows = "".join(ROW.replace("Nowak", name) + "," * 5000 + "\n" for name in names)
        wide = HEADER + "\n" + rows  # every row 5,000 columns, all but nine empty
        measured = self.measure(wide.encode())
        self.assertEqual(measured["problems"], [])  # empty cells at the end are no problem
        self.assertLess(measured["rss"], 600 * 1024 * 1024)


class EncodingTests(SimpleTestCase):
    def test_a_multi_byte_encoding_is_not_read_as_windows_1252(self) -> None:
        data = ("a,b\n田中,太郎\n山田,花子\n").encode("shift_jis")
        _rows, problems = read(data)
        self.assertEqual([p.message for p in problems], [files.ENCODING_UNKNOWN])
        [(submission, problems)] = submissions_read([(data, "n.csv")], today=TODAY)
        self.assertEqual(
            (submission, [p.message for p in problems]), (None, [files.ENCODING_UNKNOWN])
        )

    def test_windows_1252_with_its_signs_still_reads(self) -> None:
        data = "a,b\nCafé “Zuid”,€ 5 – België\nJoão,Müller\n".encode("cp1252")
        rows, problems = read(data)
        self.assertEqual((problems, rows[1][1]), ([], ["Café “Zuid”", "€ 5 – België"]))
        signs = "a,b\nMüßig,¿Qué? 25 m³ 20 °C Brand® £5\nFrançois Œuvre,Señor Núñez Ærø\n"
        rows, problems = read(signs.encode("cp1252"))
        self.assertEqual((problems, rows[1][1]), ([], ["Müßig", "¿Qué? 25 m³ 20 °C Brand® £5"]))

    def test_other_encodings_that_decode_as_windows_1252_are_refused(self) -> None:
        for text, encoding in [
            ("a,b\n王,伟\n李,娜\n", "gbk"),
            ("a,b\n陳,大文\n", "big5"),
            ("a,b\n김,민준\n", "euc_kr"),
            ("a,b\n田中,太郎\n", "euc_jp"),
            ("a,b\nИван,Петров\n", "cp1251"),  # Bulgarian on Windows
            ("a,b\nΓιάννης,Παπάς\n", "cp1253"),
            ("a,b\nPaweł,Dąbrowski\n", "cp1250"),  # Polish on Windows
            ("a,b\nŁukasz,Nowak\n", "cp1250"),
            ("a,b\nŞtefan,Ţuţea\n", "cp1250"),  # Romanian on Windows
        ]:
            with self.subTest(encoding=encoding, text=text):
                _rows, problems = read(text.encode(encoding))
                self.assertEqual([p.message for p in problems], [files.ENCODING_UNKNOWN])


class DirectionTests(SimpleTestCase):
    def test_a_name_that_turns_the_text_around_is_refused_on_both_paths(self) -> None:
        data = (HEADER + "\n" + ROW.replace("Nowak", "Now\u202eak") + "\n").encode()
        [(submission, problems)] = submissions_read([(data, "n.csv")], today=TODAY)
        self.assertIsNone(submission)
        self.assertEqual(
            [(p.row, p.column, p.message) for p in problems],
            [(2, "family_name", DIRECTION_CHARACTERS)],
        )
        self.assertNotIn("\u202e", problems[0].value)


class BalancedSeparatorsTests(SimpleTestCase):
    def test_a_wide_row_balanced_by_rows_without_separators_never_reaches_polars_wide(self) -> None:
        header = HEADER.count(",")
        wide = ROW + "," * (200_000 - ROW.count(","))  # the separators of 200,000 columns
        bare = ["x"] * (200_000 // header)  # rows without a separator, to balance them
        data = (HEADER + "\n" + wide + "\n" + "\n".join(bare) + "\n").encode()
        started = time.perf_counter()
        [(submission, problems)] = submissions_read([(data, "n.csv")], today=TODAY)
        self.assertIsNone(submission)
        self.assertTrue(problems)
        self.assertLess(time.perf_counter() - started, 20)
