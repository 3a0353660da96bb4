from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from welkom.housing.services import location_register
from welkom.register.models import Signal
from welkom.register.services import night_list_import, signals_refresh
from welkom.testing import PersonaTestCase
from welkom.work import rules
from welkom.work.findings import HOUSING_ENDS_WITH_JOB, RENT_DEDUCTED, UNADMITTED_LENDER
from welkom.work.services import placements_import, register_import

NIGHT_HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status,employer_kvk\n"
)
PLACEMENT_HEADER = (
    "family_name;given_names;date_of_birth;nationality;hirer_kvk;agency_kvk;job_start;job_end\n"
)


class FindingsTestCase(PersonaTestCase):
    def setUp(self) -> None:
        location_register(
            provider=self.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )

    def nights(self, first: date, count: int, families: list[str], *, kvk: str, today: date):
        rows = "".join(
            f"{(first + timedelta(days=d)).isoformat()},V1,{family},Jan,1990-01-01,POL,Opole,PL,"
            f"passport,none,{kvk}\n"
            for d in range(count)
            for family in families
        )
        record, _ = night_list_import(
            provider=self.provider, data=(NIGHT_HEADER + rows).encode(), filename="n.csv",
            source="cli", today=today,
        )  # fmt: skip
        self.assertEqual(record.status, "applied", record.problems)

    def placement(self, sender, row: str) -> None:
        _record, problems = placements_import(
            sender=sender, data=(PLACEMENT_HEADER + row + "\n").encode(), filename="p.csv",
            source="cli",
        )  # fmt: skip
        self.assertEqual(problems, [])


class HousingEndsWithJobTests(FindingsTestCase):
    """Provider A (11111111) lends Nowak to the employer and houses him too."""

    def test_a_stay_ended_within_the_transition_period_is_a_signal_for_the_municipality(self):
        today = timezone.localdate()
        first = today - timedelta(days=20)
        self.nights(first, 5, ["Nowak", "Kowalski"], kvk="11111111", today=today)
        self.nights(first + timedelta(days=5), 1, ["Kowalski"], kvk="11111111", today=today)
        job_end = first + timedelta(days=2)  # Nowak's last night: first + 4
        self.placement(
            self.agency_like_provider(),
            f"Nowak;Jan;1990-01-01;POL;33333333;11111111;2026-01-01;{job_end.isoformat()}",
        )
        signals_refresh(on=today)
        (signal,) = Signal.internal.filter(rule=HOUSING_ENDS_WITH_JOB)
        self.assertEqual(
            (signal.person.family_name, signal.municipality.name, signal.employer_kvk),
            ("Nowak", "Venlo", "33333333"),
        )
        self.assertEqual(
            signal.parameters["until"], rules.transition_last_night(job_end).isoformat()
        )
        for user, sees in (
            (self.venlo_member, True),
            (self.employer_manager, True),
            (self.provider_member, True),
            (self.horst_member, False),
            (self.agency_manager, False),
        ):
            with self.subTest(user=user.username):
                visible = Signal.objects.visible_to(user).filter(pk=signal.pk).count()
                self.assertEqual(visible, int(sees))

    def test_a_stay_that_outlasted_the_transition_period_is_no_signal(self) -> None:
        today = timezone.localdate()
        first = today - timedelta(days=60)
        self.nights(first, 40, ["Nowak", "Kowalski"], kvk="11111111", today=today)
        self.nights(first + timedelta(days=40), 1, ["Kowalski"], kvk="11111111", today=today)
        self.placement(
            self.agency_like_provider(),
            f"Nowak;Jan;1990-01-01;POL;33333333;11111111;2026-01-01;{first.isoformat()}",
        )
        signals_refresh(on=today)
        self.assertFalse(Signal.internal.filter(rule=HOUSING_ENDS_WITH_JOB).exists())

    def agency_like_provider(self):
        """The provider sends the list as the lender: its KvK number is the row's agency."""
        return self.provider


class UnadmittedLenderTests(FindingsTestCase):
    """The employer hires Nowak through the agency (44444444), which the Wtta register lists
    as suspended."""

    def setUp(self) -> None:
        super().setUp()
        register_import(
            register=rules.WTTA, data=b"kvk;naam;status\n44444444;Agency;geschorst\n",
            filename="wtta.csv", source="cli", as_of=timezone.localdate() - timedelta(days=1),
        )  # fmt: skip
        today = date(2028, 1, 10)
        self.nights(date(2028, 1, 1), 9, ["Nowak"], kvk="44444444", today=today)
        self.placement(self.employer, "Nowak;Jan;1990-01-01;POL;33333333;44444444;2026-11-01;")

    def open_keys(self) -> set[str]:
        return set(
            Signal.internal.filter(rule=UNADMITTED_LENDER, status="open").values_list(
                "key", flat=True
            )
        )

    def test_before_2027_there_is_nothing_to_say(self) -> None:
        signals_refresh(on=date(2026, 12, 31))
        self.assertEqual(self.open_keys(), set())

    def test_from_2027_the_hirer_and_the_agency_are_warned_and_from_2028_the_municipality_sees_it(
        self,
    ) -> None:
        signals_refresh(on=date(2027, 1, 1))
        warnings = Signal.internal.filter(rule=UNADMITTED_LENDER, status="open")
        self.assertEqual(
            sorted(warnings.values_list("employer_kvk", "municipality_id")),
            [("33333333", None), ("44444444", None)],
        )
        for user in (self.employer_manager, self.agency_manager):
            self.assertEqual(
                Signal.objects.visible_to(user).filter(rule=UNADMITTED_LENDER).count(), 1
            )
        self.assertFalse(
            Signal.objects.visible_to(self.venlo_member).filter(rule=UNADMITTED_LENDER).exists()
        )
        signals_refresh(on=date(2027, 12, 31))
        self.assertEqual(len(self.open_keys()), 2)
        signals_refresh(on=date(2028, 1, 5))  # Nowak stayed in Venlo the night before
        self.assertTrue(all(":fine:" in key for key in self.open_keys()))
        self.assertEqual(
            Signal.objects.visible_to(self.venlo_member).filter(rule=UNADMITTED_LENDER).count(), 2
        )

    def test_an_admitted_agency_gives_no_signal(self) -> None:
        register_import(
            register=rules.WTTA, data=b"kvk;naam;status\n44444444;Agency;toegelaten\n",
            filename="wtta.csv", source="cli", as_of=timezone.localdate(),
        )  # fmt: skip
        signals_refresh(on=date(2028, 1, 5))
        self.assertEqual(self.open_keys(), set())


class RentDeductedTests(FindingsTestCase):
    """A provider declares rent per bed per week and whether it is withheld from wages."""

    on = date(2027, 3, 1)

    def declare(self, rent: str | None, *, deducted: bool | None = True) -> None:
        from welkom.housing.models import Location

        Location.objects.filter(code="V1").update(rent_per_bed_week=rent, rent_deducted=deducted)

    def certify(self, valid_until: date) -> None:
        from welkom.housing.models import Certificate, Location

        Certificate.objects.create(
            location=Location.objects.get(code="V1"), scheme="snf", register_id="SNF-1",
            valid_until=valid_until,
        )  # fmt: skip

    def wage(self, amount: str) -> None:
        from welkom.work.models import MinimumWage

        MinimumWage.objects.create(
            valid_from=date(2027, 1, 1), weekly_amount=amount, source="test amount"
        )

    def rent_signals(self) -> list[tuple[str, str]]:
        signals_refresh(on=self.on)
        return sorted(
            (signal.key.split(":")[1], signal.municipality.code)
            for signal in Signal.internal.filter(rule=RENT_DEDUCTED, status="open")
        )

    def test_exactly_a_quarter_of_the_minimum_wage_in_certified_housing_is_allowed(self) -> None:
        self.wage("600.00")
        self.certify(self.on)  # valid through the day itself
        self.declare("150.00")
        self.assertEqual(self.rent_signals(), [])
        self.declare("150.01")
        self.assertEqual(self.rent_signals(), [(rules.RENT_ABOVE_MAXIMUM, "GM0983")])

    def test_an_expired_certificate_makes_any_deduction_a_signal(self) -> None:
        self.wage("600.00")
        self.certify(self.on - timedelta(days=1))
        self.declare("50.00")
        self.assertEqual(self.rent_signals(), [(rules.RENT_WITHOUT_CERTIFICATE, "GM0983")])
        self.declare("50.00", deducted=False)  # paid by the resident: no deduction, no signal
        self.assertEqual(self.rent_signals(), [])
        self.assertEqual(
            Signal.internal.get(rule=RENT_DEDUCTED).status, "done", "closed when it no longer holds"
        )

    def test_without_a_minimum_wage_amount_only_the_certificate_is_checked(self) -> None:
        self.declare("900.00")
        self.assertEqual(self.rent_signals(), [(rules.RENT_WITHOUT_CERTIFICATE, "GM0983")])

    def test_the_provider_and_the_municipality_see_the_signal_and_the_rent_page(self) -> None:
        self.wage("600.00")
        self.declare("200.00")
        self.rent_signals()
        for user, sees in (
            (self.provider_manager, True),
            (self.venlo_member, True),
            (self.horst_member, False),
            (self.other_provider_manager, False),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(
                    Signal.objects.visible_to(user).filter(rule=RENT_DEDUCTED).count() > 0, sees
                )
                self.client.force_login(user)
                page = self.client.get("/en/work/rent/")
                self.assertEqual(page.status_code, 200)
                self.assertEqual("Industrieweg 1" in page.content.decode(), sees)
        self.client.force_login(self.employer_manager)
        self.assertEqual(self.client.get("/en/work/rent/").status_code, 403)

    def test_a_refresh_after_an_import_keeps_the_rent_signals_of_its_locations(self) -> None:
        from welkom.housing.models import Location

        self.declare("200.00")
        self.rent_signals()
        location = Location.objects.get(code="V1")
        summary = signals_refresh(on=self.on, person_ids=[], location_ids=[location.pk])
        self.assertEqual((summary.opened, summary.resolved), (0, 0))
