from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command

from welkom.housing.models import Location
from welkom.housing.services import location_describe, location_register
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.register.models import NightListImport, Person, Signal
from welkom.register.services import night_list_import, signals_refresh
from welkom.testing import PersonaTestCase, user_make

FIRST = date(2026, 1, 1)
HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status,employer_kvk\n"
)


def rows(
    code: str, name: str, nights: range, registration: str = "none", employer: str = ""
) -> str:
    return "".join(
        f"{(FIRST + timedelta(days=d)).isoformat()},{code},{name},Jan,1990-01-01,POL,Opole,PL,"
        f"passport,{registration},{employer}\n"
        for d in nights
    )


class SignalsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912AB",
            permitted_capacity=1,
        )
        location_register(
            provider=cls.other_provider,
            code="H1",
            street="Kerkstraat",
            number="2",
            postcode="5961AA",
        )

    def _import(self, data: str, provider=None, today: date | None = None) -> None:
        record, _summary = night_list_import(
            provider=provider or self.provider,
            data=(HEADER + data).encode(),
            filename="n.csv",
            source=NightListImport.Source.CLI,
            today=today or date(2026, 12, 31),
        )
        self.assertEqual(record.status, "applied", record.problems)

    def test_it_opens_signals_once_and_closes_them_when_they_no_longer_apply(self) -> None:
        on = FIRST + timedelta(days=130)
        # The import itself opens the signals of its persons and locations.
        self._import(
            rows("V1", "Nowak", range(130), employer="33333333")
            + rows("V1", "Kowalski", range(120, 125)),
            today=on,
        )
        kinds = sorted(Signal.internal.values_list("rule", flat=True))
        self.assertEqual(
            kinds, ["brp-registration-required", "over-capacity", "rni-registration-advised"]
        )
        again = signals_refresh(on=on)
        self.assertEqual((again.opened, again.resolved), (0, 0))
        Person.internal.filter(family_name="Nowak").update(registration="brp")
        later = signals_refresh(on=on)
        brp = Signal.internal.get(rule="brp-registration-required")
        self.assertEqual((later.resolved, brp.status), (1, "done"))

    def test_a_signal_that_changes_is_updated_in_place(self) -> None:
        self._import(
            rows("V1", "Nowak", range(10), registration="brp"), today=FIRST + timedelta(days=11)
        )
        left = FIRST + timedelta(days=10)
        signals_refresh(on=left + timedelta(days=14))
        departure = Signal.internal.get(rule="departure")
        self.assertEqual(departure.parameters["away"], 14)
        # Five days later: the same signal (same key, same row), five more days away.
        refresh = signals_refresh(on=left + timedelta(days=19))
        again = Signal.internal.get(rule="departure")
        self.assertEqual((refresh.opened, refresh.updated), (0, 1))
        self.assertEqual((again.pk, again.since, again.status), (departure.pk, left, "open"))
        self.assertEqual(again.parameters, {"left": left.isoformat(), "away": 19})
        self.assertEqual(
            (again.first_seen, again.last_seen),
            (left + timedelta(days=14), left + timedelta(days=19)),
        )

    def test_a_location_over_its_norm_capacity_is_overcrowded_though_the_permit_allows_more(
        self,
    ) -> None:
        horst = Location.objects.get(code="H1")  # no permitted capacity at all
        location_describe(
            horst,
            description={
                "building_type": "hotel_pension",
                "zoning": "logies",
                "toilets": 1,
                "showers": 1,
                "sockets": 4,
            },
            rooms=[
                {"name": "Slaapkamer", "use": "bedroom", "area_m2": Decimal(7), "beds": 3},
                {"name": "Woonkamer", "use": "living", "area_m2": Decimal(40), "beds": 0},
            ],
            certificates=[{"scheme": "snf", "register_id": "S1", "valid_until": date(2027, 1, 1)}],
        )
        on = FIRST + timedelta(days=10)
        self._import(
            rows("H1", "Nowak", range(3))
            + rows("H1", "Popescu", range(3))
            + rows("H1", "Ivanov", range(2)),
            provider=self.other_provider,
            today=on,
        )
        with self.settings(NORMS_SNF_2025=False):
            signals_refresh(on=on)
        signal = Signal.internal.get(rule="over-capacity", location=horst)
        # 7 m² of bedroom holds 2 under SNF (3.5 m² each); 3 slept there on 1 and 2 January.
        self.assertEqual(
            signal.parameters,
            {"most": 3, "capacity": 2, "first": "2026-01-01", "last": "2026-01-02"},
        )

    def test_capacities_read_in_bulk_equal_each_locations_own_judgement(self) -> None:
        from welkom.housing.selectors import effective_capacities, location_compliance

        described = {"building_type": "hotel_pension", "zoning": "logies", "toilets": 1}
        location_describe(
            Location.objects.get(code="H1"),
            description=described,
            rooms=[
                {"name": "A", "use": "bedroom", "area_m2": Decimal(7), "beds": 3},
                {"name": "B", "use": "bedroom", "area_m2": Decimal(12), "beds": 2},
                {"name": "C", "use": "living", "area_m2": Decimal(40), "beds": 0},
            ],
            certificates=[
                {"scheme": "snf", "register_id": "S1", "valid_until": date(2027, 1, 1)},
                {"scheme": "akf", "register_id": "A1", "valid_until": date(2025, 1, 1)},
            ],
        )
        on = date(2026, 6, 1)
        bulk = effective_capacities(on=on)
        own = {
            location.pk: location_compliance(location, on=on).effective_capacity
            for location in Location.objects.all()
        }
        self.assertEqual(bulk, own)
        self.assertEqual(len(bulk), 2)
        self.assertNotEqual(own[Location.objects.get(code="H1").pk], None)

    def test_it_leaves_a_dismissed_signal_dismissed(self) -> None:
        self._import(rows("V1", "Kowalski", range(5)))
        signals_refresh(on=FIRST + timedelta(days=6))
        signal = Signal.internal.get(rule="rni-registration-advised")
        self.client.force_login(self.provider_member)
        self.client.post(
            f"/en/register/signals/{signal.pk}/status/",
            {"status": "dismissed", "reason": "Left for Poland"},
        )
        signals_refresh(on=FIRST + timedelta(days=7))
        signal.refresh_from_db()
        self.assertEqual((signal.status, signal.status_reason), ("dismissed", "Left for Poland"))

    def test_it_requires_a_reason_to_dismiss(self) -> None:
        self._import(rows("V1", "Kowalski", range(5)))
        signals_refresh(on=FIRST + timedelta(days=6))
        signal = Signal.internal.get()
        self.client.force_login(self.provider_member)
        response = self.client.post(
            f"/en/register/signals/{signal.pk}/status/", {"status": "dismissed"}, follow=True
        )
        self.assertContains(response, "Say why you dismiss this signal.")
        signal.refresh_from_db()
        self.assertEqual(signal.status, "open")

    def test_it_shows_signals_to_provider_municipality_and_employer_only(self) -> None:
        self._import(rows("V1", "Nowak", range(3), employer="33333333"))
        self._import(rows("H1", "Ivanov", range(3)), provider=self.other_provider)
        signals_refresh(on=FIRST + timedelta(days=3))
        seen = {}
        for user in [
            self.provider_member,
            self.venlo_member,
            self.employer_manager,
            self.horst_member,
            self.other_provider_manager,
            self.agency_manager,
        ]:
            self.client.force_login(user)
            page = self.client.get("/en/register/signals/").content.decode()
            seen[user.username] = ("Nowak" in page, "Ivanov" in page)
        self.assertEqual(
            seen,
            {
                "providermember": (True, False),
                "venlomember": (True, False),
                "employermanager": (True, False),
                "horstmember": (False, True),
                "othermanager": (False, True),
                "agencymanager": (False, False),
            },
        )

    def test_a_privacy_role_elsewhere_does_not_widen_a_provider_members_signals(self) -> None:
        """Scoped per membership and permission (issue 18, finding 3): a provider's member
        who is also Horst's privacy officer neither sees nor dismisses Horst's signals."""
        self._import(rows("V1", "Nowak", range(3)))
        self._import(rows("H1", "Ivanov", range(3)), provider=self.other_provider)
        signals_refresh(on=FIRST + timedelta(days=3))
        Membership.access_control.create(
            user=self.provider_member, organisation=self.horst, role=rules.PRIVACY_OFFICER
        )
        self.client.force_login(self.provider_member)
        page = self.client.get("/en/register/signals/").content.decode()
        self.assertEqual(("Nowak" in page, "Ivanov" in page), (True, False))
        horst_signal = Signal.internal.filter(person__family_name="Ivanov").first()
        response = self.client.post(
            f"/en/register/signals/{horst_signal.pk}/status/",
            {"status": "dismissed", "reason": "not ours"},
        )
        self.assertEqual(response.status_code, 404)
        horst_signal.refresh_from_db()
        self.assertEqual(horst_signal.status, "open")
        # The other way round: Horst's privacy officer alone has no signals at all.
        privacy = user_make("horstprivacy", self.horst, rules.PRIVACY_OFFICER)
        self.assertFalse(Signal.objects.visible_to(privacy).exists())
        self.assertFalse(NightListImport.objects.visible_to(privacy).exists())

    def test_it_refuses_the_province_partners_and_outsiders(self) -> None:
        for user in [self.province_member, self.partner_member, self.outsider]:
            self.client.force_login(user)
            self.assertEqual(self.client.get("/en/register/signals/").status_code, 403)

    def test_it_mails_a_digest_with_numbers_and_no_names(self) -> None:
        self._import(rows("V1", "Nowak", range(3)))
        signals_refresh(on=FIRST + timedelta(days=3))
        call_command("send_digests", stdout=StringIO())
        to = sorted(message.to[0] for message in mail.outbox)
        self.assertIn("providermember@example.test", to)
        self.assertIn("venlomember@example.test", to)
        self.assertNotIn("horstmember@example.test", to)
        self.assertTrue(all("Nowak" not in message.body for message in mail.outbox))
