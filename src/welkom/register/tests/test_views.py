from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from welkom.housing.services import location_register
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.processing_log.models import Entry, SubjectSpan
from welkom.register.models import NightListImport, Stay
from welkom.testing import PersonaTestCase

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type\n"
)
LAST_NIGHT = timezone.localdate() - timedelta(days=1)


def night_list(*rows: tuple[str, str]) -> bytes:
    return (
        HEADER
        + "".join(
            f"{LAST_NIGHT.isoformat()},{code},{name},Jan,1990-01-01,POL,Opole,PL,passport\n"
            for code, name in rows
        )
    ).encode()


class RegisterViewTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.venlo_location = location_register(
            provider=cls.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912 AB",
            permitted_capacity=1,
        )
        cls.horst_location = location_register(
            provider=cls.other_provider,
            code="H1",
            street="Kerkstraat",
            number="2",
            postcode="5961 AA",
        )

    def _upload(self, data: bytes, user=None, name: str = "nights.csv"):
        self.client.force_login(user or self.provider_member)
        return self.client.post("/en/register/upload/", {"file": SimpleUploadedFile(name, data)})

    def test_a_user_of_two_providers_sends_for_the_one_chosen(self) -> None:
        Membership.access_control.create(
            user=self.provider_member, organisation=self.other_provider, role=rules.MEMBER
        )
        self.client.force_login(self.provider_member)
        response = self.client.post(
            "/en/register/upload/",
            {
                "provider": self.other_provider.pk,
                "file": SimpleUploadedFile("n.csv", night_list(("H1", "Nowak"))),
            },
        )
        self.assertContains(response, "The night list was applied.")
        self.assertEqual(Stay.internal.get().location, self.horst_location)

    def test_it_applies_an_upload_and_reports_the_counts(self) -> None:
        response = self._upload(night_list(("V1", "Nowak"), ("V1", "Popescu")))
        self.assertContains(response, "The night list was applied.")
        self.assertEqual(Stay.internal.count(), 2)
        again = self._upload(night_list(("V1", "Nowak"), ("V1", "Popescu")))
        self.assertContains(again, "It changes nothing")

    def test_it_refuses_a_wrong_file_with_a_report_and_changes_nothing(self) -> None:
        response = self._upload(night_list(("H1", "Nowak")))
        self.assertContains(response, "is not one of your locations", status_code=400)
        self.assertContains(response, "<code>H1</code>", status_code=400)
        self.assertFalse(Stay.internal.exists())
        self.assertEqual(NightListImport.objects.get().status, "rejected")

    @override_settings(UPLOAD_MAX_MB=0)
    def test_it_refuses_a_file_above_the_size_limit(self) -> None:
        response = self._upload(night_list(("V1", "Nowak")))
        self.assertContains(response, "the upload page takes at most 0 MB", status_code=400)
        # Rounded up: a few hundred bytes are "1 MB" against a limit of 0, never "0 MB".
        self.assertContains(response, "This file is 1 MB", status_code=400)
        self.assertFalse(NightListImport.objects.exists())

    def test_it_shows_every_header_name_it_reads(self) -> None:
        self.client.force_login(self.provider_manager)
        response = self.client.get("/register/upload/")  # Dutch, the default
        self.assertContains(response, "Kolomnamen die Welkom herkent")
        for name in ("geb. datum", "soort id", "inschrijving brp/rni", "datum overnachting"):
            self.assertContains(response, name)
        self.assertContains(response, "rijbewijs / driving licence")

    def test_it_refuses_upload_to_users_without_the_permission(self) -> None:
        for user in [self.venlo_member, self.province_member, self.outsider, self.employer_manager]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/register/upload/").status_code, 403)

    def test_it_shows_the_municipality_its_addresses_and_not_the_other_municipalitys(self) -> None:
        self._upload(night_list(("V1", "Nowak"), ("V1", "Popescu")))
        self._upload(night_list(("H1", "Ivanov")), user=self.other_provider_manager)
        self.client.force_login(self.venlo_member)
        page = self.client.get("/en/register/")
        self.assertContains(page, "Industrieweg 1")
        self.assertNotContains(page, "Kerkstraat 2")
        self.assertContains(page, "over capacity")
        residents = self.client.get(f"/en/register/location/{self.venlo_location.pk}/")
        self.assertContains(residents, "Nowak, Jan")
        self.assertEqual(
            self.client.get(f"/en/register/location/{self.horst_location.pk}/").status_code, 404
        )
        self.client.force_login(self.horst_member)
        self.assertNotContains(self.client.get("/en/register/"), "Industrieweg 1")

    def test_it_logs_every_person_read_on_the_residents_page(self) -> None:
        self._upload(night_list(("V1", "Nowak"), ("V1", "Popescu")))
        self.client.force_login(self.venlo_member)
        self.client.get(f"/en/register/location/{self.venlo_location.pk}/")
        reads = SubjectSpan.objects.filter(
            entry__actor=self.venlo_member,
            entry__action="read",
            entry__activity__code="night-register",
        )
        self.assertEqual(reads.count(), 2)

    def test_it_shows_no_persons_to_the_province_partners_and_outsiders(self) -> None:
        for user in [self.province_member, self.partner_member, self.outsider]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/register/").status_code, 403)
                response = self.client.get(f"/en/register/location/{self.venlo_location.pk}/")
                self.assertEqual(response.status_code, 403)

    def test_it_offers_the_template(self) -> None:
        response = self.client.get("/en/register/night-list-template.csv")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.decode("utf-8-sig").startswith("night,location_code"))


class OverviewExportTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        location_register(
            provider=cls.other_provider,
            code="H1",
            street="Kerkstraat",
            number="2",
            postcode="5961 AA",
        )

    def setUp(self) -> None:
        self.client.force_login(self.provider_member)
        self.client.post(
            "/en/register/upload/",
            {"file": SimpleUploadedFile("n.csv", night_list(("V1", "Nowak")))},
        )

    def test_it_exports_the_addresses_of_the_territory_as_csv(self) -> None:
        self.client.force_login(self.venlo_member)
        response = self.client.get("/en/register/addresses.csv", {"night": LAST_NIGHT.isoformat()})
        text = response.content.decode("utf-8-sig")
        self.assertIn("Industrieweg 1", text)
        self.assertNotIn("Kerkstraat", text)
        self.assertNotIn("Nowak", text)
        self.assertIn(";1;", text)

    def test_it_exports_xlsx(self) -> None:
        import io

        from openpyxl import load_workbook

        self.client.force_login(self.venlo_member)
        response = self.client.get("/en/register/addresses.xlsx", {"night": LAST_NIGHT.isoformat()})
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for cell in sheet[2]]
        self.assertEqual((values[0], values[5]), ("V1", 1))

    def test_it_refuses_outsiders(self) -> None:
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get("/en/register/addresses.csv").status_code, 403)


class PersonRegistrationTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.location = location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912 AB"
        )

    def setUp(self) -> None:
        self.client.force_login(self.provider_member)
        self.client.post(
            "/en/register/upload/",
            {"file": SimpleUploadedFile("n.csv", night_list(("V1", "Nowak")))},
        )
        self.stay = Stay.internal.get()

    def test_it_lets_the_municipality_record_a_brp_registration(self) -> None:
        self.client.force_login(self.venlo_member)
        self.client.post(
            f"/en/register/stay/{self.stay.pk}/registration/",
            {"registration": "brp", "registered_on": "2026-11-02"},
        )
        person = self.stay.person
        person.refresh_from_db()
        self.assertEqual(
            (person.registration, person.registration_municipality.code), ("brp", "GM0983")
        )
        self.assertTrue(Entry.objects.filter(actor=self.venlo_member, action="update").exists())

    def test_it_refuses_a_registration_date_in_the_future(self) -> None:
        self.client.force_login(self.venlo_member)
        response = self.client.post(
            f"/en/register/stay/{self.stay.pk}/registration/",
            {"registration": "brp", "registered_on": "2999-01-01"},
            follow=True,
        )
        self.assertContains(response, "cannot be in the future")
        self.stay.person.refresh_from_db()
        self.assertEqual(self.stay.person.registration, "unknown")

    def test_it_refuses_providers_other_municipalities_and_outsiders(self) -> None:
        for user, status in [
            (self.provider_member, 403),
            (self.horst_member, 404),
            (self.outsider, 403),
        ]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.post(
                    f"/en/register/stay/{self.stay.pk}/registration/", {"registration": "brp"}
                )
                self.assertEqual(response.status_code, status)
        self.stay.person.refresh_from_db()
        self.assertEqual(self.stay.person.registration, "unknown")


class DuplicatesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912 AB"
        )

    def setUp(self) -> None:
        data = (
            HEADER
            + f"{(LAST_NIGHT - timedelta(days=1)).isoformat()},V1,Nowak,Jan,1990-01-01,POL,Opole,PL,passport\n"
            + f"{LAST_NIGHT.isoformat()},V1,Nowak,Jan Piotr,1990-01-01,POL,Opole,PL,passport\n"
        ).encode()
        self.client.force_login(self.provider_member)
        self.client.post("/en/register/upload/", {"file": SimpleUploadedFile("n.csv", data)})

    def test_it_shows_possible_doubles_and_merges_them_on_request(self) -> None:
        from welkom.register.models import Person

        self.assertEqual(Person.internal.count(), 2)
        self.client.force_login(self.venlo_member)
        self.assertContains(self.client.get("/en/register/duplicates/"), "Nowak, Jan Piotr")
        keep, other = Person.internal.order_by("pk")
        self.client.post("/en/register/duplicates/merge/", {"keep": keep.pk, "merge": other.pk})
        self.assertEqual(list(Person.internal.values_list("pk", flat=True)), [keep.pk])
        stay = Stay.internal.with_end().get()
        self.assertEqual(
            (stay.check_in, stay.end),
            (LAST_NIGHT - timedelta(days=1), LAST_NIGHT + timedelta(days=1)),
        )

    def test_it_refuses_others(self) -> None:
        for user in [self.provider_member, self.province_member, self.outsider]:
            self.client.force_login(user)
            self.assertEqual(self.client.get("/en/register/duplicates/").status_code, 403)
        self.client.force_login(self.horst_member)
        self.assertNotContains(self.client.get("/en/register/duplicates/"), "Nowak")


class CheckInTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.location = location_register(
            provider=cls.provider, code="V1", street="A", number="1", postcode="5912 AB"
        )

    def setUp(self) -> None:
        self.client.force_login(self.provider_member)
        data = (
            HEADER
            + f"{(LAST_NIGHT - timedelta(days=1)).isoformat()},V1,Nowak,Jan,1990-01-01,POL,Opole,PL,passport\n"
            + f"{(LAST_NIGHT - timedelta(days=1)).isoformat()},V1,Popescu,Ion,1985-01-01,ROU,Iasi,RO,passport\n"
        ).encode()
        self.client.post("/en/register/upload/", {"file": SimpleUploadedFile("n.csv", data)})

    def test_it_keeps_ticked_residents_checks_out_the_others_and_checks_in_a_new_one(self) -> None:
        from welkom.register.models import Person

        nowak = Person.internal.get(family_name="Nowak")
        response = self.client.post(
            f"/en/register/location/{self.location.pk}/check-in/",
            {
                "night": LAST_NIGHT.isoformat(),
                "resident": [str(nowak.pk)],
                "family_name": "Ivanova",
                "given_names": "Maria",
                "date_of_birth": "1995-05-05",
                "nationality": "BG",
                "home_place": "Varna",
                "home_country": "BG",
                "document_type": "passport",
            },
        )
        self.assertEqual(response.status_code, 302)
        tonight = set(
            Stay.internal.on_night(LAST_NIGHT).values_list("person__family_name", flat=True)
        )
        self.assertEqual(tonight, {"Nowak", "Ivanova"})
        self.assertEqual(NightListImport.objects.filter(source="form").count(), 1)

    def test_it_refuses_a_half_filled_new_person_and_changes_nothing(self) -> None:
        response = self.client.post(
            f"/en/register/location/{self.location.pk}/check-in/",
            {
                "night": LAST_NIGHT.isoformat(),
                "family_name": "Ivanova",
            },
        )
        self.assertContains(response, "fill in every field", status_code=400)
        self.assertFalse(Stay.internal.on_night(LAST_NIGHT).exists())

    def test_it_refuses_other_providers_and_municipalities(self) -> None:
        for user, status in [
            (self.other_provider_manager, 404),
            (self.venlo_member, 403),
            (self.outsider, 403),
        ]:
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(f"/en/register/location/{self.location.pk}/check-in/").status_code,
                status,
            )
