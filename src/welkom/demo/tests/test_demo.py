from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase, override_settings

from welkom.organisations import rules
from welkom.organisations.models import Membership, Organisation


def _digest(folder) -> str:
    files = sorted(p for p in folder.rglob("*.csv"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


@override_settings(DEMO_MODE=True)
class DemoTests(TestCase):
    def _demo(self, out, seed=7) -> str:
        output = StringIO()
        call_command(
            "demo", scale="small", seed=seed, first_night=date(2026, 10, 1), out=out, stdout=output
        )
        return output.getvalue()

    def test_it_makes_an_account_per_role_and_two_of_providers_and_municipalities(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            self._demo(Path(folder))
        kinds_roles = set(Membership.access_control.values_list("organisation__kind", "role"))
        for kind in rules.ROLE_PERMISSIONS:
            if kind[1] == rules.MEMBER or kind == (rules.PROVINCE, rules.PRIVACY_OFFICER):
                if kind[0] in {rules.HOUSING_PROVIDER, rules.EMPLOYER, rules.TEMP_AGENCY}:
                    continue
                self.assertIn(kind, kinds_roles)
        providers_with_users = Organisation.objects.filter(
            kind=rules.HOUSING_PROVIDER, memberships__isnull=False
        )
        self.assertEqual(providers_with_users.distinct().count(), 2)
        municipalities_with_users = Organisation.objects.filter(
            kind=rules.MUNICIPALITY, memberships__isnull=False
        )
        self.assertEqual(municipalities_with_users.distinct().count(), 2)
        self.assertEqual(Organisation.objects.filter(kind=rules.MUNICIPALITY).count(), 31)

    def test_it_is_deterministic_for_a_seed(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
            self._demo(Path(one))
            self._demo(Path(two))
            self.assertEqual(_digest(Path(one)), _digest(Path(two)))
            with tempfile.TemporaryDirectory() as three:
                self._demo(Path(three), seed=8)
                self.assertNotEqual(_digest(Path(one)), _digest(Path(three)))

    def test_it_writes_night_lists_for_the_featured_providers(self) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            output = self._demo(Path(folder))
            files = list((Path(folder) / "night-lists").glob("*.csv"))
            self.assertEqual(len(files), 2)
            header = files[0].read_text().splitlines()[0]
            self.assertTrue(header.startswith("night,location_code,family_name"))
        self.assertIn("4 locations, 60 persons", output)

    def test_it_adds_nothing_when_asked_only_for_an_empty_database(self) -> None:
        Organisation.objects.create(name="Existing", kind=rules.PROVINCE)
        output = StringIO()
        call_command("demo", if_empty=True, stdout=output)
        self.assertIn("no demo data added", output.getvalue())
        self.assertEqual(Organisation.objects.count(), 1)

    @override_settings(DEMO_MODE=False)
    def test_it_refuses_outside_demo_mode(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("demo", stdout=StringIO())

    def test_without_the_demo_extra_it_says_what_to_install_and_adds_nothing(self) -> None:
        """A production install has no Faker: `welkom demo` says so instead of a traceback."""
        import sys
        import tempfile
        from unittest import mock

        from django.core.management.base import CommandError

        with (
            mock.patch.dict(sys.modules, {"faker": None}),  # `import faker` → ImportError
            tempfile.TemporaryDirectory() as folder,
            self.assertRaisesMessage(CommandError, "requirements/demo.txt"),
        ):
            self._demo(Path(folder))
        self.assertEqual(Organisation.objects.count(), 0)
