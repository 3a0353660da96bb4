"""Organisations added without a shell: `welkom add_organisation` and the platform
administrator's page, with the first manager invited (issue 14)."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

from welkom.organisations import rules
from welkom.organisations.models import Invitation, Organisation
from welkom.testing import PersonaTestCase


class AddOrganisationCommandTests(PersonaTestCase):
    def _add(self, *arguments: str) -> str:
        out = io.StringIO()
        with translation.override("en"):
            call_command("add_organisation", *arguments, stdout=out)
        return out.getvalue()

    @override_settings(BASE_URL="https://welkom.example.test")
    def test_it_adds_a_provider_and_invites_its_first_manager(self) -> None:
        said = self._add(
            "--kind",
            "housing_provider",
            "--name",
            "  Huisvesting  Zuid ",
            "--kvk",
            "1234 56.78",
            "--manager-email",
            "Beheer@Zuid.example",
        )
        organisation = Organisation.objects.get(kvk_number="12345678")
        self.assertEqual(
            (organisation.name, organisation.kind), ("Huisvesting Zuid", "housing_provider")
        )
        invitation = Invitation.objects.get(organisation=organisation)
        self.assertEqual(
            (invitation.email, invitation.role), ("beheer@zuid.example", rules.MANAGER)
        )
        [message] = mail.outbox
        self.assertIn("https://welkom.example.test/", message.body)
        self.assertIn("/invitation/", message.body)
        self.assertIn("Huisvesting Zuid is added to Welkom.", said)
        self.assertIn("An invitation was sent to beheer@zuid.example.", said)

    def test_it_refuses_clearly_and_stores_nothing(self) -> None:
        cases = [
            (
                ["--kind", "housing_provider", "--name", "Dubbel", "--kvk", "11111111"],
                "Provider A already has KvK number 11111111 in Welkom.",
            ),
            (
                ["--kind", "employer", "--name", "Zonder KvK"],
                "This kind of organisation is known by its KvK number: give it.",
            ),
            (
                ["--kind", "temp_agency", "--name", "Kort", "--kvk", "1234567"],
                "A KvK number has exactly 8 digits, for example 12345678.",
            ),
            (
                ["--kind", "municipality", "--name", "Gemeente Venlo", "--municipality", "GM0983"],
                "This municipality already has an organisation.",
            ),
            (
                ["--kind", "municipality", "--name", "Nergens", "--municipality", "GM9999"],
                "Give the CBS code of a Limburg municipality, for example GM0983.",
            ),
            (
                [
                    "--kind",
                    "employer",
                    "--name",
                    "Werk",
                    "--kvk",
                    "55555555",
                    "--municipality",
                    "GM0983",
                ],
                "Only a municipality organisation is tied to a municipality.",
            ),
        ]
        before = Organisation.objects.count()
        for arguments, message in cases:
            with self.subTest(arguments=arguments), self.assertRaises(CommandError) as refused:
                self._add(*arguments)
            self.assertIn(message, str(refused.exception))
        self.assertEqual(Organisation.objects.count(), before)
        self.assertEqual(mail.outbox, [])

    def test_a_municipality_is_tied_to_its_municipality(self) -> None:
        self._add(
            "--kind", "municipality", "--name", "Gemeente Maastricht", "--municipality", "gm0935"
        )
        organisation = Organisation.objects.get(name="Gemeente Maastricht")
        self.assertEqual(organisation.municipality.code, "GM0935")


class AddOrganisationPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.administrator = get_user_model().objects.create_superuser(
            "admin@example.test", "admin@example.test", "a-long-password-1"
        )

    def test_a_platform_administrator_adds_an_organisation_on_a_page(self) -> None:
        self.client.force_login(self.administrator)
        self.assertContains(self.client.get("/en/"), "Add an organisation")
        response = self.client.post(
            "/en/organisation/new/",
            {
                "kind": "employer",
                "name": "Kas BV",
                "kvk_number": "66666666",
                "manager_email": "hr@kas.example",
            },
            follow=True,
        )
        self.assertContains(response, "Kas BV is added to Welkom.")
        self.assertContains(response, "An invitation was sent to hr@kas.example.")
        self.assertTrue(Invitation.objects.filter(organisation__kvk_number="66666666").exists())
        self.assertEqual(len(mail.outbox), 1)

    def test_a_refusal_is_shown_at_its_field(self) -> None:
        self.client.force_login(self.administrator)
        response = self.client.post(
            "/en/organisation/new/",
            {"kind": "housing_provider", "name": "Dubbel", "kvk_number": "22222222"},
        )
        self.assertContains(response, "Provider B already has KvK number 22222222", status_code=400)
        self.assertContains(response, "<title>Error:", status_code=400)
        self.assertFalse(Organisation.objects.filter(name="Dubbel").exists())

    def test_nobody_else_may(self) -> None:
        for user in [self.provider_manager, self.venlo_member, self.province_member, self.outsider]:
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get("/en/organisation/new/").status_code, 403)
                self.assertNotContains(self.client.get("/en/"), "Add an organisation")
