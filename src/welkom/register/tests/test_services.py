from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

from django.db import transaction
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from welkom.housing.services import location_register
from welkom.processing_log.models import Entry, SubjectSpan
from welkom.register.list_reader import night_list_template_csv
from welkom.register.models import (
    NightListImport,
    Occupancy,
    OccupancyProfile,
    Person,
    Signal,
    Stay,
)
from welkom.register.selectors import profile_rows
from welkom.register.services import night_list_import, night_lists_import
from welkom.register.services import night_lists as night_lists_module
from welkom.register.services.signals import signals_refresh
from welkom.testing import PersonaTestCase

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type\n"
)
TODAY = date(2026, 11, 28)
FIRST = date(2026, 11, 1)


def line(night: date, code: str, family: str, given: str = "Jan", born: str = "1990-01-01") -> str:
    return f"{night.isoformat()},{code},{family},{given},{born},POL,Opole,PL,passport\n"


def night_list(entries: list[tuple[int, str, str]]) -> bytes:
    """(day offset from FIRST, location code, family name) per person-night."""
    return (
        HEADER + "".join(line(FIRST + timedelta(days=d), code, name) for d, code, name in entries)
    ).encode()


class _ThreeLocations(PersonaTestCase):
    """Two of the provider's locations (Venlo, Horst) and one of another provider (Venlo)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.venlo_location = location_register(
            provider=cls.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912 AB",
            permitted_capacity=10,
        )
        cls.horst_location = location_register(
            provider=cls.provider, code="H1", street="Kerkstraat", number="2", postcode="5961 AA"
        )
        cls.other_location = location_register(
            provider=cls.other_provider, code="V1", street="Maasweg", number="3", postcode="5913 AA"
        )

    def _import(self, data: bytes, provider=None):
        return night_list_import(
            provider=provider or self.provider,
            data=data,
            filename="nights.csv",
            source=NightListImport.Source.UPLOAD,
            submitted_by=self.provider_manager,
            today=TODAY,
        )

    def assert_nothing_of_the_other_provider(self, problem, other=None) -> None:
        """No address, place or name of the other provider in a problem, in any language."""
        other = other or self.other_provider
        place = self.other_location if other == self.other_provider else self.venlo_location
        for language in ("en", "nl", "pl"):
            with translation.override(language):
                shown = " ".join([problem.text, problem.value, *map(str, problem.params.values())])
            for secret in (place.street, place.postcode, other.name, other.kvk_number):
                self.assertNotIn(secret, shown)

    def _stays(self) -> set[tuple[str, str, date, date]]:
        return {
            (s.person.family_name, s.location.code, s.check_in, s.end)
            for s in Stay.internal.select_related("person", "location").with_end()
        }


class NightListImportTests(_ThreeLocations):
    def test_it_collapses_nights_into_stays_and_counts_occupancy(self) -> None:
        record, summary = self._import(
            night_list(
                [(d, "V1", "Nowak") for d in range(5)] + [(d, "V1", "Popescu") for d in range(2, 4)]
            )
        )
        self.assertEqual(record.status, "applied", record.problems)
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=5)),
                ("Popescu", "V1", FIRST + timedelta(days=2), FIRST + timedelta(days=4)),
            },
        )
        self.assertEqual(
            (summary.rows, summary.nights, summary.persons, summary.stays_opened), (7, 5, 2, 2)
        )
        occupancy = dict(Occupancy.objects.values_list("night", "persons"))
        self.assertEqual(occupancy[FIRST], 1)
        self.assertEqual(occupancy[FIRST + timedelta(days=2)], 2)

    def test_it_keeps_a_profile_by_registration_and_nationality_group_for_the_monitor(self):
        romanian = (HEADER + line(FIRST, "V1", "Popescu").replace(",POL,", ",ROU,")).encode()
        self._import(night_list([(0, "V1", "Nowak"), (1, "V1", "Nowak")]))
        self._import(romanian)  # a second list for the same night replaces it
        self.assertEqual(
            self._profile(),
            {(FIRST, 1, "unknown", "ROU", 1), (FIRST + timedelta(days=1), 1, "unknown", "POL", 1)},
        )

    def test_the_profile_keeps_spans_of_nights_with_the_same_count(self):
        # Nowak three nights, Kowal the middle one: the count of Poles is 1, 2, 1.
        self._import(night_list([(d, "V1", "Nowak") for d in range(3)] + [(1, "V1", "Kowal")]))
        self.assertEqual(
            self._profile(),
            {
                (FIRST, 1, "unknown", "POL", 1),
                (FIRST + timedelta(days=1), 1, "unknown", "POL", 2),
                (FIRST + timedelta(days=2), 1, "unknown", "POL", 1),
            },
        )
        # A list for the middle night without Kowal: one span of three nights.
        self._import(night_list([(1, "V1", "Nowak")]))
        self.assertEqual(self._profile(), {(FIRST, 3, "unknown", "POL", 1)})
        # The next night, the same count: the span grows, no second row.
        self._import(night_list([(3, "V1", "Nowak")]))
        self.assertEqual(self._profile(), {(FIRST, 4, "unknown", "POL", 1)})
        # The monitor reads it back per night.
        rows = list(profile_rows(first=FIRST, last=FIRST + timedelta(days=5)))
        self.assertEqual([row[1] for row in rows], [FIRST + timedelta(days=d) for d in range(4)])
        self.assertEqual({row[4] for row in rows}, {1})

    def test_the_migrations_turn_the_old_nightly_profile_into_the_spans_the_import_keeps(self):
        import importlib

        self._import(night_list([(d, "V1", "Nowak") for d in range(3)] + [(1, "H1", "Kowal")]))
        kept = {
            (p.location_id, p.registration, p.nationality_group, p.first_night, p.end, p.persons)
            for p in OccupancyProfile.objects.with_end()
        }
        backfill = importlib.import_module(
            "welkom.register.migrations.0005_occupancy_profile_backfill"
        )
        spans = importlib.import_module("welkom.register.migrations.0006_occupancy_profile_spans")
        nightly = backfill.profile_counts(
            Stay.internal.with_end().values_list(
                "location_id",
                "check_in",
                "end",
                "person__registration",
                "person__nationality",
            ),
            covered=set(Occupancy.objects.values_list("location_id", "night")),
        )
        self.assertEqual(
            set(spans.spans_from_nights((*key, persons) for key, persons in nightly.items())), kept
        )

    def _profile(self) -> set[tuple]:
        """(first night, number of nights, registration, group, persons) of every span."""
        return {
            (
                p.first_night,
                (p.end - p.first_night).days,
                p.registration,
                p.nationality_group,
                p.persons,
            )
            for p in OccupancyProfile.objects.with_end()
        }

    def test_a_list_that_changes_only_a_registration_says_it_changed_something(self) -> None:
        def with_registration(status: str) -> bytes:
            rows = "".join(
                line(FIRST + timedelta(days=d), "V1", "Nowak").rstrip("\n") + f",{status}\n"
                for d in range(3)
            )
            return (HEADER.rstrip("\n") + ",registration_status\n" + rows).encode()

        self._import(with_registration("none"))
        record, summary = self._import(with_registration("rni"))
        self.assertEqual(record.status, "applied")
        self.assertEqual((summary.persons_changed, summary.stays_changed), (1, 0))
        self.assertEqual(record.counts["persons_changed"], 1)
        self.assertEqual(Person.internal.get().registration, "rni")
        again, summary = self._import(with_registration("rni"))
        self.assertEqual((again.status, summary.persons_changed), ("unchanged", 0))

    def test_a_new_id_document_is_stored_and_counted_as_a_change(self) -> None:
        def with_document(days: range, document: str) -> bytes:
            rows = "".join(
                line(FIRST + timedelta(days=d), "V1", "Nowak").replace(",passport\n", document)
                for d in days
            )
            return (HEADER.rstrip("\n") + ",document_number\n" + rows).encode()

        def stored() -> tuple[str, str]:
            return Person.internal.values_list("document_type", "document_number").get()

        self._import(with_document(range(3), ",passport,AB123\n"))
        self.assertEqual(stored(), ("passport", "AB123"))
        # Re-sent with a new passport: the same stays, one person changed.
        record, summary = self._import(with_document(range(3), ",passport,CD456\n"))
        self.assertEqual((record.status, summary.persons_changed), ("applied", 1))
        self.assertEqual(summary.stays_changed, 0)
        self.assertEqual(stored(), ("passport", "CD456"))
        # The same type without its number keeps the number known: nothing changed.
        record, summary = self._import(with_document(range(3), ",passport,\n"))
        self.assertEqual((record.status, summary.persons_changed), ("unchanged", 0))
        self.assertEqual(stored(), ("passport", "CD456"))
        # The next night, a continuing resident with an identity card: not set aside as
        # unchanged, stored, and counted.
        record, summary = self._import(with_document(range(3, 4), ",identity_card,ID789\n"))
        self.assertEqual((record.status, summary.persons_changed), ("applied", 1))
        self.assertEqual(stored(), ("identity_card", "ID789"))
        self.assertEqual(Stay.internal.count(), 1)

    def test_a_new_room_or_employer_is_a_change_of_the_stay(self) -> None:
        def with_stay(days: range, room: str, employer: str) -> bytes:
            rows = "".join(
                line(FIRST + timedelta(days=d), "V1", "Nowak").rstrip("\n")
                + f",{room},{employer}\n"
                for d in days
            )
            return (HEADER.rstrip("\n") + ",room,employer_kvk\n" + rows).encode()

        def stored() -> list[tuple]:
            return list(
                Stay.internal.order_by("check_in").values_list("room", "employer_kvk", "check_out")
            )

        self._import(with_stay(range(3), "1", "12345678"))
        record, summary = self._import(with_stay(range(3), "2", "12345678"))
        self.assertEqual((record.status, summary.stays_changed), ("applied", 1))
        self.assertEqual(stored(), [("2", "12345678", None)])
        record, summary = self._import(with_stay(range(3), "2", "87654321"))
        self.assertEqual((record.status, summary.stays_changed), ("applied", 1))
        self.assertEqual(stored(), [("2", "87654321", None)])
        record, _summary = self._import(with_stay(range(3), "2", "87654321"))
        self.assertEqual(record.status, "unchanged")
        # The next night in another room: a continuing resident who is not set aside.
        record, summary = self._import(with_stay(range(3, 4), "3", "87654321"))
        self.assertEqual(record.status, "applied")
        self.assertEqual(stored()[-1][0], "3")

    def test_the_template_sent_back_unedited_registers_nobody(self) -> None:
        record, summary = self._import(night_list_template_csv())
        self.assertEqual(record.status, "rejected")
        self.assertIn("example row", summary.problems[0].message)
        self.assertEqual(Person.internal.count(), 0)

    def test_it_changes_nothing_when_the_same_file_comes_again(self) -> None:
        data = night_list([(d, "V1", "Nowak") for d in range(5)])
        self._import(data)
        before = self._stays()
        record, summary = self._import(data)
        self.assertEqual(record.status, "unchanged")
        self.assertEqual(self._stays(), before)
        self.assertEqual(
            (summary.stays_opened, summary.stays_changed, summary.stays_closed), (0, 0, 0)
        )

    def test_it_replaces_a_corrected_night_and_leaves_other_nights_alone(self) -> None:
        self._import(night_list([(d, "V1", "Nowak") for d in range(5)]))
        # Night 2 corrected: Nowak was not there, Kowalski was.
        record, _summary = self._import(night_list([(2, "V1", "Kowalski")]))
        self.assertEqual(record.status, "applied")
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=2)),
                ("Nowak", "V1", FIRST + timedelta(days=3), FIRST + timedelta(days=5)),
                ("Kowalski", "V1", FIRST + timedelta(days=2), FIRST + timedelta(days=3)),
            },
        )
        self.assertEqual(Occupancy.objects.get(night=FIRST + timedelta(days=2)).persons, 1)

    def test_it_extends_a_stay_with_the_next_day(self) -> None:
        self._import(night_list([(d, "V1", "Nowak") for d in range(3)]))
        self._import(night_list([(3, "V1", "Nowak")]))
        self.assertEqual(self._stays(), {("Nowak", "V1", FIRST, FIRST + timedelta(days=4))})

    def test_it_recognises_a_person_across_spellings(self) -> None:
        data = (
            HEADER
            + line(FIRST, "V1", "Wiśniewska", "Anna Maria")
            + line(FIRST + timedelta(days=1), "V1", "WISNIEWSKA ", "anna  maria")
        ).encode()
        self._import(data)
        self.assertEqual(Person.internal.count(), 1)
        self.assertEqual(self._stays(), {("Wiśniewska", "V1", FIRST, FIRST + timedelta(days=2))})

    def test_it_refuses_a_person_in_two_places_against_another_providers_list(self) -> None:
        self._import(night_list([(0, "V1", "Nowak")]), provider=self.other_provider)
        before = self._stays()
        record, summary = self._import(night_list([(0, "H1", "Nowak"), (1, "H1", "Nowak")]))
        self.assertEqual(record.status, "rejected")
        self.assertEqual(self._stays(), before)
        problem = summary.problems[0]
        self.assertEqual((problem.row, problem.column), (2, "location_code"))
        self.assertEqual(problem.params["here"], "H1")
        # The provider learns that the person is listed elsewhere, not where or by whom.
        self.assertIn("another location", problem.message)
        self.assertNotIn("there", problem.params)
        self.assert_nothing_of_the_other_provider(problem)

    def test_it_refuses_a_location_that_is_not_the_providers(self) -> None:
        record, summary = self._import(night_list([(0, "X9", "Nowak")]))
        self.assertEqual(record.status, "rejected")
        self.assertEqual((summary.problems[0].row, summary.problems[0].value), (2, "X9"))
        self.assertFalse(Stay.internal.exists())
        self.assertFalse(Person.internal.exists())

    def test_it_keeps_the_raw_file_and_the_report_of_a_refused_list(self) -> None:
        record, _summary = self._import(night_list([(0, "X9", "Nowak")]))
        record.refresh_from_db()
        self.assertEqual(record.raw.read(), night_list([(0, "X9", "Nowak")]))
        self.assertEqual(record.problems[0]["value"], "X9")

    def test_it_writes_the_processing_log_for_every_person(self) -> None:
        self._import(night_list([(0, "V1", "Nowak"), (0, "V1", "Popescu")]))
        entries = Entry.objects.filter(activity__code="night-register", action="update")
        self.assertEqual({e.actor for e in entries}, {self.provider_manager})
        self.assertEqual(SubjectSpan.objects.filter(entry__in=entries).count(), 2)

    def test_a_namesake_with_another_bsn_is_someone_else(self) -> None:
        header = HEADER.rstrip("\n") + ",bsn\n"
        self._import((header + line(FIRST, "V1", "Nowak").rstrip("\n") + ",123456782\n").encode())
        other = line(FIRST + timedelta(days=1), "H1", "Nowak").rstrip("\n") + ",111222333\n"
        self._import((header + other).encode())
        self.assertEqual(Person.internal.count(), 2)


class NightListsTogetherTests(_ThreeLocations):
    """Several lists in one call (ADR 0009): the same outcome as the lists one by one."""

    def _together(self, *lists: tuple[object, bytes]):
        return night_lists_import(
            [(provider, data, f"list-{i}.csv") for i, (provider, data) in enumerate(lists)],
            source=NightListImport.Source.CLI,
            today=TODAY,
        )

    def _state(self) -> tuple:
        return (
            self._stays(),
            set(
                Occupancy.objects.values_list(
                    "location__code", "location__provider", "night", "persons"
                )
            ),
            {
                (p.location_id, p.first_night, p.end, p.registration, p.persons)
                for p in OccupancyProfile.objects.with_end()
            },
            Person.internal.count(),
        )

    def _signals(self) -> set[tuple]:
        return set(
            Signal.internal.filter(status=Signal.Status.OPEN).values_list(
                "rule", "person__family_name", "location__code"
            )
        )

    def test_lists_of_two_providers_together_give_what_they_give_one_by_one(self) -> None:
        ours = night_list([(d, "V1", "Nowak") for d in range(3)] + [(1, "H1", "Kowal")])
        theirs = night_list([(d, "V1", "Popescu") for d in range(2)] + [(4, "V1", "Kowal")])
        self._import(night_list([(0, "V1", "Ivanov"), (1, "V1", "Ivanov")]))  # replaced below
        with transaction.atomic():
            one_by_one_results = [
                self._import(ours),
                self._import(theirs, provider=self.other_provider),
            ]
            one_by_one = self._state()
            transaction.set_rollback(True)
        results = self._together((self.provider, ours), (self.other_provider, theirs))
        self.assertEqual(self._state(), one_by_one)
        self.assertEqual(
            [summary.as_dict() for _record, summary in results],
            [summary.as_dict() for _record, summary in one_by_one_results],
        )
        self.assertEqual([record.status for record, _summary in results], ["applied", "applied"])
        # Each list is its own record, with its own stays and log entries.
        self.assertEqual(
            set(
                Stay.internal.filter(source=results[1][0]).values_list(
                    "person__family_name", flat=True
                )
            ),
            {"Popescu", "Kowal"},
        )
        self.assertEqual(
            SubjectSpan.objects.filter(
                entry__activity__code="night-register", entry__organisation=self.other_provider
            ).count(),
            2,
        )

    def test_a_person_in_two_lists_on_one_night_is_refused_in_the_second(self) -> None:
        results = self._together(
            (self.provider, night_list([(0, "V1", "Nowak")])),
            (self.other_provider, night_list([(0, "V1", "Nowak"), (1, "V1", "Nowak")])),
        )
        self.assertEqual([record.status for record, _summary in results], ["applied", "rejected"])
        problem = results[1][1].problems[0]
        self.assertEqual((problem.row, problem.params["here"]), (2, "V1"))
        self.assertIn("another location", problem.message)
        self.assertIn("in another list sent with this one", problem.message)
        self.assertNotIn("list-0.csv", problem.message % problem.params)
        self.assert_nothing_of_the_other_provider(problem, other=self.provider)
        self.assertEqual(self._stays(), {("Nowak", "V1", FIRST, FIRST + timedelta(days=1))})
        # The refused list counts nothing it did not write: its rows, and why.
        refused = results[1][0].counts
        self.assertEqual(refused["rows"], 2)
        self.assertEqual(
            {name: count for name, count in refused.items() if name != "rows" and count}, {}
        )

    def test_a_list_refused_because_of_the_providers_own_list_in_the_batch_names_that_file(
        self,
    ) -> None:
        results = self._together(
            (self.provider, night_list([(0, "V1", "Nowak")])),
            (self.provider, night_list([(0, "H1", "Nowak")])),
        )
        self.assertEqual([record.status for record, _summary in results], ["applied", "rejected"])
        [problem] = results[1][1].problems
        self.assertEqual(
            problem.message % problem.params,
            f"Jan Nowak is listed at V1 on the night of {FIRST.isoformat()} in list-0.csv, "
            "sent with this list, so cannot have slept at H1.",
        )
        # Sent on its own later, the same list meets a stay of the register, not of a batch.
        record, summary = self._import(night_list([(0, "H1", "Nowak")]))
        self.assertEqual(record.status, "rejected")
        self.assertIn(
            "already stayed at V1", summary.problems[0].message % summary.problems[0].params
        )

    def test_the_municipality_hears_of_a_list_refused_for_naming_someone_staying_elsewhere(
        self,
    ) -> None:
        self._import(night_list([(0, "V1", "Nowak")]))  # Provider A houses Nowak
        elsewhere = night_list([(0, "V1", "Nowak")])
        for _attempt in range(2):  # the same refused list twice: one signal
            record, _summary = self._import(elsewhere, provider=self.other_provider)
            self.assertEqual(record.status, "rejected")
        [signal] = Signal.internal.filter(rule="listed-twice")
        self.assertEqual(
            (signal.person.family_name, signal.municipality, signal.location, signal.since),
            ("Nowak", self.venlo.municipality, None, FIRST),
        )
        self.assertEqual(signal.parameters["there"], self.venlo_location.address)
        self.assertEqual(signal.parameters["here"], self.other_location.address)
        self.assertEqual(
            (signal.parameters["there_provider"], signal.parameters["here_provider"]),
            ("Provider A", "Provider B"),
        )
        # The municipality sees it; neither provider does.
        for user, sees in (
            (self.venlo_member, True),
            (self.horst_member, False),
            (self.provider_manager, False),
            (self.other_provider_manager, False),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(
                    Signal.objects.visible_to(user).filter(pk=signal.pk).exists(), sees
                )
        # The daily refresh keeps it open: people close it, not the rules.
        signals_refresh(on=TODAY)
        signal.refresh_from_db()
        self.assertEqual(signal.status, "open")

    def test_two_lists_about_one_location_apply_in_their_order(self) -> None:
        results = self._together(
            (self.provider, night_list([(0, "V1", "Nowak"), (1, "V1", "Nowak")])),
            (self.provider, night_list([(1, "V1", "Kowal")])),
        )
        self.assertEqual([record.status for record, _summary in results], ["applied", "applied"])
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=1)),
                ("Kowal", "V1", FIRST + timedelta(days=1), FIRST + timedelta(days=2)),
            },
        )

    def test_daily_files_about_the_same_locations_give_what_they_give_one_by_one(self) -> None:
        """Ten daily files per location, sent at once location by location, the other
        provider's first: arrivals, departures, a move between providers (Kowal, whom the
        other provider lists later in time but sends first), registrations that change
        (the one sent last wins, as one by one), and a correction of a past night at the end."""

        def day(night: int, code: str, names: list[str], statuses: dict[str, str]) -> bytes:
            header = HEADER.rstrip("\n") + ",registration_status\n"
            rows = [
                line(FIRST + timedelta(days=night), code, name).rstrip("\n")
                + f",{statuses.get(name, '')}\n"
                for name in names
            ]
            return (header + "".join(rows)).encode()

        ours_v1 = [
            day(d, "V1", ["Nowak", "Popescu"] + (["Ivanov"] if d >= 4 else []), {})
            for d in range(10)
        ]
        ours_h1 = [
            day(
                d,
                "H1",
                (["Kowal"] if d < 6 else []) + ["Dimitrov"],
                {"Dimitrov": "brp"} if d > 7 else {"Kowal": "brp"} if d == 5 else {},
            )
            for d in range(10)
        ]
        theirs = [
            day(
                d,
                "V1",
                ["Georgescu"] + (["Kowal"] if d >= 6 else []),
                {"Kowal": "rni"} if d == 9 else {},
            )
            for d in range(10)
        ]
        correction = day(2, "V1", ["Nowak"], {})  # Popescu was not there that night after all
        lists = (
            [(self.other_provider, data) for data in theirs]
            + [(self.provider, data) for data in ours_v1 + ours_h1]
            + [(self.provider, correction)]
        )
        with transaction.atomic():
            one_by_one_results = [self._import(data, provider=provider) for provider, data in lists]
            one_by_one = (self._state(), self._signals())
            transaction.set_rollback(True)
        with mock.patch.object(
            night_lists_module, "_apply", wraps=night_lists_module._apply
        ) as passes:
            results = self._together(*lists)
        self.assertEqual((self._state(), self._signals()), one_by_one)

        def counted(results) -> list[tuple]:
            # Signals are refreshed once after a batch, not after each list: which list
            # opened a signal another one closed again is not comparable; the signals that
            # are open at the end are (above).
            return [
                (record.status, {k: v for k, v in summary.as_dict().items() if "signals" not in k})
                for record, summary in results
            ]

        self.assertEqual(counted(results), counted(one_by_one_results))
        self.assertEqual({record.status for record, _summary in results}, {"applied"})
        # A pass per round, not one per file: the files of one night go together, and H1's
        # (naming Kowal) after the other provider's last that names Kowal; the correction
        # after V1's tenth night.
        self.assertEqual(len(results), 31)
        self.assertEqual(passes.call_count, 19)
        self.assertEqual(Person.internal.get(family_name="Kowal").registration, "brp")

    def test_a_refused_list_leaves_the_others_applied(self) -> None:
        results = self._together(
            (self.provider, night_list([(0, "X9", "Nowak")])),
            (self.other_provider, night_list([(0, "V1", "Popescu")])),
        )
        self.assertEqual([record.status for record, _summary in results], ["rejected", "applied"])
        self.assertEqual(self._stays(), {("Popescu", "V1", FIRST, FIRST + timedelta(days=1))})


class StayExclusionTests(PersonaTestCase):
    def test_it_refuses_two_stays_of_one_person_on_one_night_in_postgresql(self) -> None:

        from django.db import IntegrityError, connection, transaction

        if connection.vendor != "postgresql":
            self.skipTest("SQLite has no exclusion constraints; the import checks this in code.")
        a = location_register(
            provider=self.provider, code="A", street="S", number="1", postcode="5912AB"
        )
        b = location_register(
            provider=self.provider, code="B", street="S", number="2", postcode="5912AB"
        )
        person = Person.internal.create(
            family_name="N",
            given_names="J",
            date_of_birth=date(1990, 1, 1),
            nationality="POL",
            home_place="O",
            home_country="PL",
            document_type="passport",
            match_key="n|j|1990-01-01|POL",
        )
        Stay.internal.create(
            person=person, location=a, check_in=FIRST, check_out=FIRST + timedelta(days=3)
        )
        Stay.internal.create(
            person=person,
            location=b,
            check_in=FIRST + timedelta(days=3),
            check_out=FIRST + timedelta(days=4),
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            Stay.internal.create(
                person=person,
                location=b,
                check_in=FIRST + timedelta(days=2),
                check_out=FIRST + timedelta(days=4),
            )


class PersonsMergeTests(PersonaTestCase):
    def test_it_refuses_to_merge_two_people_who_were_in_two_places_on_one_night(self) -> None:
        from django.core.exceptions import ValidationError

        from welkom.register.services import persons_merge

        a = location_register(
            provider=self.provider, code="A", street="S", number="1", postcode="5912AB"
        )
        b = location_register(
            provider=self.provider, code="B", street="S", number="2", postcode="5912AB"
        )
        fields = {
            "date_of_birth": date(1990, 1, 1),
            "nationality": "POL",
            "home_place": "O",
            "home_country": "PL",
            "document_type": "passport",
        }
        one = Person.internal.create(
            family_name="Nowak", given_names="Jan", match_key="1", **fields
        )
        two = Person.internal.create(
            family_name="Nowak", given_names="Jan P", match_key="2", **fields
        )
        Stay.internal.create(
            person=one, location=a, check_in=FIRST, check_out=FIRST + timedelta(days=3)
        )
        Stay.internal.create(
            person=two,
            location=b,
            check_in=FIRST + timedelta(days=2),
            check_out=FIRST + timedelta(days=4),
        )
        with self.assertRaises(ValidationError):
            persons_merge(keep=one, merge=two, user=self.venlo_member)
        self.assertEqual(Person.internal.count(), 2)
        self.assertEqual(Stay.internal.count(), 2)


class OpenStayTests(_ThreeLocations):
    """ADR 0010: a stay still listed is open; a continuing resident costs no write."""

    def test_a_further_night_with_the_same_residents_writes_no_stay(self) -> None:
        self._import(night_list([(d, "V1", n) for d in range(3) for n in ("Nowak", "Popescu")]))
        before = set(Stay.internal.values_list("pk", "check_in", "check_out"))
        self.assertEqual({check_out for _pk, _in, check_out in before}, {None})
        record, summary = self._import(night_list([(3, "V1", "Nowak"), (3, "V1", "Popescu")]))
        self.assertEqual(record.status, "applied", record.problems)
        self.assertEqual(set(Stay.internal.values_list("pk", "check_in", "check_out")), before)
        self.assertEqual(summary.changed_person_ids, set())
        self.venlo_location.refresh_from_db()
        self.assertEqual(self.venlo_location.listed_through, FIRST + timedelta(days=3))
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=4)),
                ("Popescu", "V1", FIRST, FIRST + timedelta(days=4)),
            },
        )

    def test_a_list_after_nights_without_one_does_not_stretch_whoever_it_no_longer_names(self):
        # Nights 0–1 listed; nothing for nights 2–4; night 5 names only Popescu. Nowak was
        # last listed on night 1: their stay ends there, it is not open across the gap.
        self._import(night_list([(d, "V1", n) for d in range(2) for n in ("Nowak", "Popescu")]))
        record, _summary = self._import(night_list([(5, "V1", "Popescu")]))
        self.assertEqual(record.status, "applied", record.problems)
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=2)),
                ("Popescu", "V1", FIRST, FIRST + timedelta(days=2)),
                ("Popescu", "V1", FIRST + timedelta(days=5), FIRST + timedelta(days=6)),
            },
        )

    def test_a_departure_closes_only_the_leavers_stay_and_the_same_list_again_is_unchanged(self):
        self._import(night_list([(d, "V1", n) for d in range(3) for n in ("Nowak", "Popescu")]))
        data = night_list([(3, "V1", "Nowak")])
        _record, summary = self._import(data)
        self.assertEqual((summary.stays_closed, summary.stays_opened), (1, 0))
        self.assertEqual(len(summary.changed_person_ids), 1)
        self.assertEqual(
            self._stays(),
            {
                ("Nowak", "V1", FIRST, FIRST + timedelta(days=4)),
                ("Popescu", "V1", FIRST, FIRST + timedelta(days=3)),
            },
        )
        again, _summary = self._import(data)
        self.assertEqual(again.status, "unchanged")


PERSONS = ("Nowak", "Popescu", "Ivanov")
LOCATIONS = ("V1", "H1")


def _reference_apply(state: dict, listed: dict) -> bool:
    """ADR 0005 in a few lines, with closed stays only: a list replaces its (location, night)
    pairs; refused (state unchanged) if it puts a person at two locations on one night.
    state and listed: (location code, night) → persons. Returns whether it was refused."""
    after = {**state, **listed}
    seen: dict[tuple[str, int], str] = {}
    for (code, night), persons in after.items():
        for person in persons:
            if seen.setdefault((person, night), code) != code:
                return True
    state.clear()
    state.update(after)
    return False


def _reference_stays(state: dict) -> set[tuple[str, str, date, date]]:
    """Runs of consecutive listed nights per person and location, as stays."""
    stays = set()
    for code in LOCATIONS:
        for person in PERSONS:
            nights = sorted(
                n for (c, n), persons in state.items() if c == code and person in persons
            )
            start = previous = None
            for night in [*nights, None]:
                if night is not None and previous is not None and night == previous + 1:
                    previous = night
                    continue
                if start is not None:
                    stays.add(
                        (
                            person,
                            code,
                            FIRST + timedelta(days=start),
                            FIRST + timedelta(days=previous + 1),
                        )
                    )
                start = previous = night
    return stays


_a_list = st.tuples(
    st.sampled_from(LOCATIONS),
    st.integers(min_value=0, max_value=7),
    st.lists(st.frozensets(st.sampled_from(PERSONS), min_size=1), min_size=1, max_size=3),
)


class OpenStaysEqualClosedStaysTests(HypothesisTestCase, _ThreeLocations):
    """ADR 0010 changes only the shape of a stay: after any sequence of lists (new nights,
    corrections of past ones, gaps, moves, refusals), the effective stays are the stays a
    register of closed stays would hold."""

    @settings(max_examples=40, deadline=None)
    @given(st.lists(_a_list, min_size=1, max_size=6))
    @example(
        [
            ("V1", 0, [frozenset(["Nowak"])]),
            ("H1", 2, [frozenset(["Nowak", "Popescu"])]),
            ("V1", 0, [frozenset(["Nowak"]), frozenset(["Popescu"])]),
            ("V1", 0, [frozenset(["Nowak"])]),
        ]
    )
    def test_any_sequence_of_lists_gives_the_closed_register(self, lists) -> None:
        state: dict[tuple[str, int], frozenset] = {}
        for code, first_night, nights in lists:
            listed = {(code, first_night + i): persons for i, persons in enumerate(nights)}
            refused = _reference_apply(state, listed)
            record, _summary = self._import(
                night_list(
                    [
                        (night, c, person)
                        for (c, night), ps in listed.items()
                        for person in sorted(ps)
                    ]
                )
            )
            self.assertEqual(record.status == "rejected", refused, record.problems)
            self.assertEqual(self._stays(), _reference_stays(state))
            # The occupancy profile (open spans too, ADR 0013) counts who the nights list.
            self.assertEqual(
                self._profile_nights(),
                {
                    (code, FIRST + timedelta(days=night)): len(ps)
                    for (code, night), ps in state.items()
                    if ps
                },
            )

    def _profile_nights(self) -> dict[tuple[str, date], int]:
        counts: dict[tuple[str, date], int] = {}
        for code, first, end, persons in OccupancyProfile.objects.with_end().values_list(
            "location__code", "first_night", "end", "persons"
        ):
            for offset in range((end - first).days):
                key = (code, first + timedelta(days=offset))
                counts[key] = counts.get(key, 0) + persons
        return counts
