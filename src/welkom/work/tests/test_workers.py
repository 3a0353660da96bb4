from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from welkom.housing.services import location_register
from welkom.organisations import rules
from welkom.organisations.models import Membership
from welkom.register.services import night_list_import
from welkom.testing import PersonaTestCase, user_make

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status,employer_kvk\n"
)
NIGHT = timezone.localdate() - timedelta(days=1)


class WorkersTests(PersonaTestCase):
    """An employer sees its own workers as counts per address; nobody else's."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1", postcode="5912 AB"
        )
        location_register(
            provider=cls.other_provider, code="H1", street="Kerkstraat", number="2",
            postcode="5961 AA",
        )  # fmt: skip
        rows = {
            cls.provider: [
                ("V1", "Nowak", "brp", "33333333"),
                ("V1", "Kowalski", "none", "33333333"),
                ("V1", "Popescu", "rni", "44444444"),
            ],
            cls.other_provider: [("H1", "Ivanov", "unknown", "33333333"), ("H1", "Petrov", "", "")],
        }
        for provider, people in rows.items():
            data = HEADER + "".join(
                f"{NIGHT.isoformat()},{code},{family},Jan,1990-01-01,POL,Opole,PL,passport,"
                f"{registration},{employer}\n"
                for code, family, registration, employer in people
            )
            record, _summary = night_list_import(
                provider=provider, data=data.encode(), filename="n.csv", source="cli"
            )
            assert record.status == "applied", record.problems

    def page(self, user):
        self.client.force_login(user)
        return self.client.get(f"/en/work/workers/?night={NIGHT.isoformat()}")

    def test_the_employer_sees_its_workers_per_address_and_registration(self) -> None:
        response = self.page(self.employer_manager)
        (employer,) = response.context["employers"]
        self.assertEqual(employer.persons, 3)
        places = {place.location.code: place for place in employer.places}
        self.assertEqual(places["V1"].registrations, {"brp": 1, "none": 1})
        self.assertEqual(places["H1"].registrations, {"unknown": 1})
        self.assertEqual(dict(employer.municipalities), {"Venlo": 2, "Horst aan de Maas": 1})
        for name in ("Nowak", "Kowalski", "Ivanov", "Popescu", "Petrov"):
            self.assertNotContains(response, name)

    def test_the_agency_sees_its_own_and_its_register_status(self) -> None:
        response = self.page(self.agency_manager)
        (agency,) = response.context["employers"]
        self.assertEqual((agency.persons, agency.lender.kvk_number), (1, "44444444"))
        self.assertContains(response, "Wtta admission")

    def test_two_memberships_see_each_organisation_apart(self) -> None:
        both = user_make("both", self.employer, rules.MEMBER)
        Membership.access_control.create(user=both, organisation=self.agency, role=rules.MEMBER)
        response = self.page(both)
        self.assertEqual(
            sorted((e.organisation.name, e.persons) for e in response.context["employers"]),
            [("Agency", 1), ("Employer", 3)],
        )

    def test_a_membership_without_the_permission_does_not_count(self) -> None:
        provider_and_employer = user_make("mixed", self.provider, rules.MEMBER)
        response = self.page(provider_and_employer)
        self.assertEqual(response.status_code, 403)
        for user in (self.venlo_member, self.province_member, self.partner_member, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user).status_code, 403)
