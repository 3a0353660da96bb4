"""Continuing residents are set aside before the work per person (ADR 0013); whoever is
not, for any reason, goes through the general path, and the register ends the same."""

from __future__ import annotations

from datetime import timedelta

from welkom.register.models import NightListImport, OccupancyProfile, Person, Stay
from welkom.register.selectors import profile_rows
from welkom.register.services import night_lists_import
from welkom.register.services.continuing import continuing_residents
from welkom.register.submissions import submission_read
from welkom.register.tests.test_services import (
    FIRST,
    HEADER,
    TODAY,
    _ThreeLocations,
    line,
    night_list,
)


class ContinuingResidentsTests(_ThreeLocations):
    def setUp(self) -> None:
        super().setUp()
        # Nights 0–2: Nowak and Popescu at V1, Kowalski at H1.
        record, _summary = self._import(
            night_list(
                [(d, "V1", n) for d in range(3) for n in ("Nowak", "Popescu")]
                + [(d, "H1", "Kowalski") for d in range(3)]
            )
        )
        self.assertEqual(record.status, "applied", record.problems)

    def _aside(self, *lists: tuple[object, bytes]) -> list[set[str]]:
        """Per list, the family names of the persons `continuing_residents` sets aside."""
        submissions, location_of = [], []
        for provider, data in lists:
            submission, problems = submission_read(data, filename="n.csv", today=TODAY)
            self.assertEqual(problems, [])
            submissions.append(submission)
            location_of.append(
                {
                    location.code: location.pk
                    for location in provider.locations.all()
                    if location.code in {code for code, _night in submission.occupancy}
                }
            )
        continuing = continuing_residents(submissions, location_of)
        return [
            {submission.persons[index].family_name for index in aside}
            for submission, aside in zip(submissions, continuing.persons, strict=True)
        ]

    def test_the_same_residents_on_the_next_night_are_set_aside(self) -> None:
        data = night_list([(3, "V1", "Nowak"), (3, "V1", "Popescu")])
        self.assertEqual(self._aside((self.provider, data)), [{"Nowak", "Popescu"}])

    def test_who_changes_is_not_set_aside(self) -> None:
        # Kowalski moves to V1 (open stay at H1), a newcomer arrives; Popescu is gone.
        data = night_list([(3, "V1", "Nowak"), (3, "V1", "Kowalski"), (3, "V1", "Nieuw")])
        self.assertEqual(self._aside((self.provider, data)), [{"Nowak"}])
        # A night that is not the next one (a correction, or after a gap): nobody.
        self.assertEqual(self._aside((self.provider, night_list([(1, "V1", "Nowak")]))), [set()])
        self.assertEqual(self._aside((self.provider, night_list([(5, "V1", "Nowak")]))), [set()])
        # A new registration status: the general path writes it.
        status = (
            HEADER.rstrip("\n")
            + ",registration_status\n"
            + line(FIRST + timedelta(days=3), "V1", "Nowak").rstrip("\n")
            + ",brp\n"
        ).encode()
        self.assertEqual(self._aside((self.provider, status)), [set()])

    def test_a_person_named_twice_in_a_batch_is_not_set_aside(self) -> None:
        ours = night_list([(3, "V1", "Nowak"), (3, "V1", "Popescu")])
        theirs = night_list([(3, "V1", "Nowak")])  # the other provider's V1
        self.assertEqual(
            self._aside((self.provider, ours), (self.other_provider, theirs)), [{"Popescu"}, set()]
        )
        results = night_lists_import(
            [(self.provider, ours, "a.csv"), (self.other_provider, theirs, "b.csv")],
            source=NightListImport.Source.CLI,
            today=TODAY,
        )
        self.assertEqual([r.status for r, _s in results], ["applied", "rejected"])
        self.assertIn(
            "listed at another location on the night of %(night)s in another list sent with this one",
            results[1][0].problems[0]["message"],
        )

    def test_a_namesake_in_the_register_is_not_set_aside(self) -> None:
        nowak = Person.internal.get(family_name="Nowak")
        Person.internal.create(
            family_name="Nowak",
            given_names="Jan",
            date_of_birth=nowak.date_of_birth,
            nationality="POL",
            match_key=nowak.match_key,
            bsn="999999990",
        )
        data = night_list([(3, "V1", "Nowak"), (3, "V1", "Popescu")])
        self.assertEqual(self._aside((self.provider, data)), [{"Popescu"}])

    def test_the_register_is_the_same_whoever_is_set_aside(self) -> None:
        stays_before = set(Stay.internal.values_list("pk", "check_in", "check_out"))
        record, summary = self._import(
            night_list([(3, "V1", "Nowak"), (3, "V1", "Kowalski"), (3, "V1", "Nieuw")])
        )
        self.assertEqual(record.status, "applied", record.problems)
        four = FIRST + timedelta(days=4)
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, four),
                ("Popescu", "V1", FIRST, FIRST + timedelta(days=3)),
                ("Kowalski", "H1", FIRST, FIRST + timedelta(days=3)),
                ("Kowalski", "V1", FIRST + timedelta(days=3), four),
                ("Nieuw", "V1", FIRST + timedelta(days=3), four),
            },
        )
        nowak = Stay.internal.get(person__family_name="Nowak")
        self.assertIn((nowak.pk, FIRST, None), stays_before)  # the same row, not written
        self.assertEqual((summary.persons, summary.stays_opened, summary.stays_closed), (3, 2, 1))
        self.assertNotIn(nowak.person_id, summary.changed_person_ids)
        self.assertIn(nowak.person_id, summary.person_ids)  # read and checked: logged


class OpenProfileSpanTests(_ThreeLocations):
    """The occupancy profile's open spans (ADR 0013): a night with the same counts writes none."""

    def _profile(self) -> set[tuple]:
        return set(
            OccupancyProfile.objects.with_end().values_list(
                "location__code", "registration", "first_night", "end", "persons"
            )
        )

    def test_a_night_with_the_same_counts_writes_no_span(self) -> None:
        self._import(night_list([(d, "V1", n) for d in range(3) for n in ("Nowak", "Popescu")]))
        before = set(OccupancyProfile.objects.values_list("pk", "first_night", "end_night"))
        self.assertEqual({end for _pk, _first, end in before}, {None})
        self._import(night_list([(3, "V1", "Popescu"), (3, "V1", "Nowak")]))
        self.assertEqual(
            set(OccupancyProfile.objects.values_list("pk", "first_night", "end_night")), before
        )
        self.assertEqual(self._profile(), {("V1", "unknown", FIRST, FIRST + timedelta(days=4), 2)})

    def test_a_changed_count_closes_the_open_span_and_opens_one(self) -> None:
        self._import(night_list([(d, "V1", n) for d in range(3) for n in ("Nowak", "Popescu")]))
        self._import(night_list([(3, "V1", "Nowak")]))
        three, four = FIRST + timedelta(days=3), FIRST + timedelta(days=4)
        self.assertEqual(
            self._profile(),
            {("V1", "unknown", FIRST, three, 2), ("V1", "unknown", three, four, 1)},
        )
        # A correction of night 3 back to both: one span again, open.
        self._import(night_list([(3, "V1", "Nowak"), (3, "V1", "Popescu")]))
        self.assertEqual(self._profile(), {("V1", "unknown", FIRST, four, 2)})
        self.assertEqual(set(OccupancyProfile.objects.values_list("end_night", flat=True)), {None})
        rows = list(profile_rows(first=FIRST, last=FIRST + timedelta(days=6)))
        self.assertEqual([row[1] for row in rows], [FIRST + timedelta(days=d) for d in range(4)])
