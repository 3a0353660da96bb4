"""The one spreadsheet reader (`lib.files.Spreadsheet`), as the night-list, location and
figures readers use it."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import openpyxl
from django.test import TestCase

from welkom.housing.location_files import location_file_read, location_template_csv
from welkom.lib import files
from welkom.lib.files import Spreadsheet, spreadsheet_records

SOURCE = Path(files.__file__).parents[1]


class OneReaderTests(TestCase):
    def test_no_reader_of_its_own_reads_csv_or_workbooks(self) -> None:
        """A reader of its own would differ in what it accepts (encodings, merged cells,
        formulas): the three readers read through `Spreadsheet` only (writing a template
        with `csv.writer` is no reading)."""
        readers = {"reader", "DictReader", "load_workbook"}
        for module in (
            "register/list_reader.py",
            "housing/location_files.py",
            "monitor/figures_file.py",
        ):
            tree = ast.parse((SOURCE / module).read_text())
            used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} | {
                alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module in {"csv", "openpyxl"}
                for alias in node.names
            }
            imports_openpyxl = any(
                isinstance(node, ast.Import) and any(a.name == "openpyxl" for a in node.names)
                for node in ast.walk(tree)
            )
            with self.subTest(module=module):
                self.assertFalse(used & readers)
                self.assertFalse(imports_openpyxl)

    def test_excels_unicode_text_and_a_semicolon_csv_read_alike(self) -> None:
        text = "code;name\r\nP01;Huis Zuid\r\n"
        for data in (text.encode("utf-16"), text.encode("cp1252"), ("\ufeff" + text).encode()):
            with self.subTest(data=data[:4]):
                records, problems = spreadsheet_records(data)
                self.assertEqual(
                    (records, problems), ([(1, ["code", "name"]), (2, ["P01", "Huis Zuid"])], [])
                )

    def test_merged_and_formula_cells_are_file_problems(self) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["code", "name"])
        sheet.append(["P01", "=1+1"])
        sheet.merge_cells("A3:B3")
        buffer = io.BytesIO()
        book.save(buffer)
        reading = Spreadsheet(buffer.getvalue())
        rows = list(reading.rows())
        self.assertEqual(rows[1], (2, ["P01", ""]))  # a formula is no value
        self.assertEqual(
            [p.message for p in reading.problems], [files.XLSX_MERGED, files.XLSX_FORMULAS]
        )
        self.assertEqual(reading.problems[1].params, {"count": 1, "cells": "B2"})
        self.assertTrue(reading.values_meaningless)

    def test_the_location_reader_gets_what_the_night_lists_get(self) -> None:
        # Excel's "Unicode text" (UTF-16, tabs) of the location template reads as the CSV.
        utf16 = location_template_csv().decode("utf-8-sig").replace(",", "\t").encode("utf-16")
        descriptions, problems = location_file_read(utf16, provider=None)
        self.assertEqual(problems, [])
        self.assertEqual([d.code for d in descriptions], ["P01"])
        _d, problems = location_file_read(b"%PDF-1.4\x00\x01", provider=None)
        self.assertEqual([p.message for p in problems], [files.NEITHER_CSV_NOR_XLSX])
