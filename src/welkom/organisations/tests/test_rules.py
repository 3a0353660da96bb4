from __future__ import annotations

from django.contrib.auth.models import Permission
from django.test import SimpleTestCase, TestCase

from welkom.organisations import rules


class KvkNumberTests(SimpleTestCase):
    def test_it_accepts_eight_digits_as_people_type_them(self) -> None:
        for text in ["12345678", "1234 5678", "12.34.56.78", " 12345678 "]:
            with self.subTest(text=text):
                self.assertEqual(rules.kvk_number_normalise(text), "12345678")

    def test_it_refuses_anything_else(self) -> None:
        for text in ["", "1234567", "123456789", "1234567a", "KvK 12345678", None]:
            with self.subTest(text=text), self.assertRaises(rules.KvkNumberError):
                rules.kvk_number_normalise(text)


class RolePermissionTests(TestCase):
    def test_it_grants_only_permissions_that_exist(self) -> None:
        existing = {
            f"{app}.{codename}"
            for app, codename in Permission.objects.values_list(
                "content_type__app_label", "codename"
            )
        }
        for (kind, role), permissions in rules.ROLE_PERMISSIONS.items():
            with self.subTest(kind=kind, role=role):
                self.assertLessEqual(set(permissions), existing)

    def test_it_requires_two_factor_for_government_partners_and_privacy_roles(self) -> None:
        self.assertTrue(rules.requires_two_factor(rules.MUNICIPALITY, rules.MEMBER))
        self.assertTrue(rules.requires_two_factor(rules.PROVINCE, rules.MEMBER))
        self.assertTrue(rules.requires_two_factor(rules.ENFORCEMENT_PARTNER, rules.MEMBER))
        self.assertTrue(rules.requires_two_factor(rules.PROVINCE, rules.PRIVACY_OFFICER))
        # A provider's members see their residents' BSNs and document numbers.
        self.assertTrue(rules.requires_two_factor(rules.HOUSING_PROVIDER, rules.MANAGER))
        self.assertTrue(rules.requires_two_factor(rules.HOUSING_PROVIDER, rules.MEMBER))
        self.assertFalse(rules.requires_two_factor(rules.EMPLOYER, rules.MEMBER))

    def test_it_offers_the_privacy_role_only_to_governments(self) -> None:
        self.assertIn(rules.PRIVACY_OFFICER, rules.roles_for_kind(rules.MUNICIPALITY))
        self.assertNotIn(rules.PRIVACY_OFFICER, rules.roles_for_kind(rules.HOUSING_PROVIDER))
