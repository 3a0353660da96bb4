from __future__ import annotations

import json

from django.test import SimpleTestCase
from django.utils import translation

from welkom.lib.files import NEITHER_CSV_NOR_XLSX, spreadsheet_records
from welkom.lib.problems import Problem, problems_as_text

MISSING = "Required columns are missing: %(columns)s."


class ProblemTests(SimpleTestCase):
    def test_a_problem_reads_in_the_language_it_is_shown_in(self) -> None:
        problem = Problem(None, None, MISSING, {"columns": "night"})
        with translation.override("en"):
            self.assertEqual(problem.text, "Required columns are missing: night.")
        with translation.override("pl"):
            self.assertEqual(problem.text, "Brakuje wymaganych kolumn: night.")

    def test_a_stored_problem_comes_back_the_same_and_is_plain_json(self) -> None:
        problem = Problem(3, "bsn", MISSING, {"columns": "x"}, "******782")
        stored = json.loads(json.dumps(problem.as_json()))
        self.assertEqual(Problem.from_json(stored), problem)
        # Rows stored before problems had values or parameters still read.
        self.assertEqual(Problem.from_json({"row": 1, "column": None, "message": "x"}).params, {})

    def test_a_message_without_parameters_keeps_its_percent_signs(self) -> None:
        self.assertEqual(Problem(None, None, "100% full").text, "100% full")

    def test_the_text_form_has_the_message_in_words(self) -> None:
        with translation.override("en"):
            [shown] = problems_as_text([Problem(2, "night", MISSING, {"columns": "a"}, "v")])
        self.assertEqual(
            shown,
            {
                "row": 2,
                "column": "night",
                "value": "v",
                "message": "Required columns are missing: a.",
            },
        )

    def test_the_spreadsheet_reader_gives_problems_to_be_translated_later(self) -> None:
        records, problems = spreadsheet_records(b"%PDF-1.4 not a sheet")
        self.assertEqual(records, [])
        self.assertEqual(problems, [Problem(None, None, NEITHER_CSV_NOR_XLSX)])
        with translation.override("pl"):
            self.assertNotEqual(problems[0].text, NEITHER_CSV_NOR_XLSX)
