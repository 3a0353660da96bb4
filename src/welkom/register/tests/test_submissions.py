"""The collapsed form of a night list, and the columnar reader held to the row reader."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from welkom.register.list_reader import NIGHT_LIST_COLUMNS, night_list_read
from welkom.register.submissions import (
    ListedRun,
    Submission,
    _columnar_read,
    submission_from_rows,
    submission_read,
    submissions_read,
)

FIXTURES = Path(__file__).parent / "fixtures" / "night_lists"
TODAY = date(2026, 11, 28)


def by_rows(data: bytes) -> Submission | None:
    night_list = night_list_read(data, filename="list.csv", today=TODAY)
    return None if night_list.problems else submission_from_rows(night_list.rows)


def comparable(submission: Submission) -> tuple:
    return (
        submission.rows,
        submission.persons,
        submission.runs,
        submission.occupancy,
        sorted(submission.frame.iter_rows()),
    )


def lines(*rows: str, header: str = ",".join(NIGHT_LIST_COLUMNS)) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def person_row(night: str, code: str = "V1", name: str = "Nowak", **changes) -> str:
    values = {
        "night": night,
        "location_code": code,
        "family_name": name,
        "given_names": "Jan",
        "date_of_birth": "1990-01-01",
        "nationality": "POL",
        "home_place": "Opole",
        "home_country": "PL",
        "document_type": "passport",
        "document_number": "",
        "bsn": "",
        "room": "",
        "registration_status": "",
        "expected_departure": "",
        "employer_kvk": "",
        **changes,
    }
    return ",".join(values[column] for column in NIGHT_LIST_COLUMNS)


class CollapseTests(SimpleTestCase):
    def test_consecutive_nights_become_one_run_and_a_gap_starts_another(self) -> None:
        submission, problems = submission_read(
            lines(
                person_row("2026-11-01"),
                person_row("2026-11-02"),
                person_row("2026-11-04"),
                person_row("2026-11-02", code="V2", name="Kowalska"),
            ),
            filename="list.csv",
            today=TODAY,
        )
        self.assertEqual(problems, [])
        self.assertEqual(
            [(r.person, r.location_code, r.check_in, r.check_out, r.row) for r in submission.runs],
            [
                (0, "V1", date(2026, 11, 1), date(2026, 11, 3), 2),
                (0, "V1", date(2026, 11, 4), date(2026, 11, 5), 4),
                (1, "V2", date(2026, 11, 2), date(2026, 11, 3), 5),
            ],
        )
        self.assertEqual(
            submission.occupancy,
            {
                ("V1", date(2026, 11, 1)): 1,
                ("V1", date(2026, 11, 2)): 1,
                ("V1", date(2026, 11, 4)): 1,
                ("V2", date(2026, 11, 2)): 1,
            },
        )
        self.assertEqual((submission.rows, submission.nights), (4, 3))

    def test_the_latest_night_gives_room_employer_departure_and_registration(self) -> None:
        submission, _problems = submission_read(
            lines(
                # In the file out of order: the night decides what is latest, not the row.
                person_row(
                    "2026-11-03", room="B", registration_status="rni", employer_kvk="12345678"
                ),
                person_row("2026-11-01", room="A", registration_status="none"),
                person_row("2026-11-02", room="A", expected_departure="2026-12-01"),
            ),
            filename="list.csv",
            today=TODAY,
        )
        [run] = submission.runs
        self.assertEqual(
            (run.room, run.employer_kvk, run.expected_departure, run.row),
            ("B", "12345678", None, 3),
        )
        self.assertEqual(submission.persons[0].registration, "rni")

    def test_a_person_is_spelled_as_in_their_first_row_and_found_by_bsn_when_given(self) -> None:
        submission, _problems = submission_read(
            lines(
                person_row("2026-11-01", name="Nowák", bsn="123456782"),
                person_row("2026-11-02", name="Nowak", bsn="123456782"),
            ),
            filename="list.csv",
            today=TODAY,
        )
        [person] = submission.persons
        self.assertEqual(
            (person.family_name, person.key, person.first_row), ("Nowák", "123456782", 2)
        )
        self.assertEqual(person.match_key, "nowak|jan|1990-01-01|POL")
        self.assertEqual(
            [(r.check_in, r.check_out) for r in submission.runs],
            [(date(2026, 11, 1), date(2026, 11, 3))],
        )

    def test_it_finds_the_row_of_a_person_on_a_night(self) -> None:
        submission, _problems = submission_read(
            lines(person_row("2026-11-01"), person_row("2026-11-02")),
            filename="list.csv",
            today=TODAY,
        )
        self.assertEqual(submission.row_at([0], date(2026, 11, 2), "V1"), 3)
        self.assertIsNone(submission.row_at([0], date(2026, 11, 2), "V9"))


class ColumnarReaderTests(SimpleTestCase):
    """The columnar path takes only what the row reader accepts, and says the same."""

    def test_every_fixture_gives_the_same_submission_or_goes_to_the_row_reader(self) -> None:
        taken = 0
        for path in sorted(FIXTURES.iterdir()):
            with self.subTest(path.name):
                data = path.read_bytes()
                expected = by_rows(data)
                columnar = _columnar_read(data, today=TODAY)
                if columnar is None:
                    continue
                taken += 1
                self.assertIsNotNone(expected, "the columnar path accepted a rejected file")
                self.assertEqual(comparable(columnar), comparable(expected))
        # The clean fixtures in several encodings, delimiters and date forms go columnar.
        self.assertGreaterEqual(taken, 5)

    def test_unusual_files_go_to_the_row_reader(self) -> None:
        plain = lines(person_row("2026-11-01"), person_row("2026-11-02"))
        self.assertIsNotNone(_columnar_read(plain, today=TODAY))
        for name, data in {
            "quoted": plain.replace(b"Opole", b'"Opole"'),
            "blank line in between": plain.replace(b"\r\n", b"\r\n\r\n", 1),
            "old Mac line ends": plain.replace(b"\r\n", b"\r"),
            "ragged row": plain.rstrip() + b",extra\r\n",
            "blank rows only": lines(",,,,,,,,,,,,,,", ",,,,,,,,,,,,,,"),
            "problem in a row": plain.replace(b"POL", b"XXX", 1),
            "person twice on a night": lines(
                person_row("2026-11-01"), person_row("2026-11-01", code="V2")
            ),
            "departure before the night": lines(
                person_row("2026-11-02", expected_departure="2026-11-01")
            ),
            "unknown column": lines(
                person_row("2026-11-01") + ",x", header=",".join([*NIGHT_LIST_COLUMNS, "x"])
            ),
        }.items():
            with self.subTest(name):
                self.assertIsNone(_columnar_read(data, today=TODAY))

    def test_lists_read_together_read_as_each_alone(self) -> None:
        # Every fixture, clean or not, plus clean lists sharing one header with a list that
        # has a problem in a row and a ragged one: read together, each gives what it gives alone.
        lists = [(path.read_bytes(), path.name) for path in sorted(FIXTURES.iterdir())]
        plain = lines(person_row("2026-11-01"), person_row("2026-11-02", name="Kowal"))
        lists += [
            (plain, "a.csv"),
            (plain.replace(b"POL", b"XXX", 1), "problem.csv"),
            (lines(person_row("2026-11-03", code="H1")), "b.csv"),
            (plain.rstrip() + b",extra\r\n", "ragged.csv"),
            (lines(person_row("2026-11-01"), person_row("2026-11-01", code="V2")), "twice.csv"),
            (plain, "a-again.csv"),
            (lines(",,,,,,,,,,,,,,"), "blank.csv"),
        ]
        together = submissions_read(lists, today=TODAY)
        self.assertEqual(len(together), len(lists))
        for (data, name), (submission, problems) in zip(lists, together, strict=True):
            with self.subTest(name):
                alone, alone_problems = submission_read(data, filename=name, today=TODAY)
                self.assertEqual(problems, alone_problems)
                if alone is None:
                    self.assertIsNone(submission)
                else:
                    self.assertEqual(comparable(submission), comparable(alone))

    @settings(max_examples=60, deadline=None)
    @given(
        people=st.lists(
            st.tuples(
                st.sampled_from(["Nowak", "Nowák", "Popescu", "Иванов", "de Vries"]),
                st.sampled_from(["Jan", "Ana Maria", "Петър"]),
                st.sampled_from(["", "123456782", "111222333"]),
            ),
            min_size=1,
            max_size=4,
        ),
        stays=st.lists(
            st.tuples(
                st.integers(0, 3),  # person
                st.sampled_from(["V1", "V2", "H1"]),
                st.integers(0, 12),  # first night
                st.integers(1, 5),  # nights
                st.sampled_from(["", "1", "2b"]),  # room
                st.sampled_from(["", "rni", "brp", "geen"]),
            ),
            min_size=1,
            max_size=8,
        ),
        delimiter=st.sampled_from([",", ";", "\t"]),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
        dutch_dates=st.booleans(),
    )
    def test_random_lists_read_the_same_both_ways(
        self, people, stays, delimiter, encoding, dutch_dates
    ) -> None:
        first = date(2026, 10, 1)
        rows, taken = [], set()
        for person, code, start, length, room, registration in stays:
            family, given, bsn = people[person % len(people)]
            for offset in range(length):
                night = first + timedelta(days=start + offset)
                if (person % len(people), night) in taken:
                    continue  # one place per person per night: a clean list
                taken.add((person % len(people), night))
                rows.append(
                    {
                        "night": night.strftime("%d-%m-%Y") if dutch_dates else night.isoformat(),
                        "location_code": code,
                        "family_name": family,
                        "given_names": given,
                        "date_of_birth": "1990-01-01",
                        "nationality": "BGR" if "Иван" in family else "POL",
                        "home_place": "Opole",
                        "home_country": "PL",
                        "document_type": "passport",
                        "bsn": bsn,
                        "room": room,
                        "registration_status": registration,
                    }
                )
        if encoding == "cp1252" and any(
            "Иван" in r["family_name"] or "Пет" in r["given_names"] for r in rows
        ):
            encoding = "utf-8"  # Cyrillic has no Windows-1252 spelling
        columns = [c for c in NIGHT_LIST_COLUMNS if c not in {"expected_departure"}]
        text = delimiter.join(columns) + "\r\n"
        text += "".join(delimiter.join(r.get(c, "") for c in columns) + "\r\n" for r in rows)
        data = text.encode(encoding)
        expected = by_rows(data)
        columnar = _columnar_read(data, today=TODAY)
        if expected is None:
            # Two spellings with one BSN at two places on a night, for example.
            self.assertIsNone(columnar)
            return
        self.assertIsNotNone(columnar)
        self.assertEqual(comparable(columnar), comparable(expected))
        self.assertTrue(all(isinstance(run, ListedRun) for run in columnar.runs))
