"""Test helpers shared by every app's tests: one persona per role, and an outsider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase

from welkom.organisations import rules
from welkom.organisations.models import Membership, Organisation
from welkom.places.models import Municipality

if TYPE_CHECKING:
    from welkom.accounts.models import User


def user_make(
    username: str, organisation: Organisation | None = None, role: str = rules.MEMBER
) -> User:
    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.test",
        password="a-long-test-password",
        first_name=username.capitalize(),
        last_name="Test",
    )
    if organisation is not None:
        Membership.access_control.create(user=user, organisation=organisation, role=role)
    return user


class PersonaTestCase(TestCase):
    """Two housing providers, an employer, a temp agency, two municipalities, the province,
    an enforcement partner, and users in each role; `outsider` belongs to no organisation."""

    @classmethod
    def setUpTestData(cls) -> None:
        venlo = Municipality.objects.get(code="GM0983")
        horst = Municipality.objects.get(code="GM1507")
        make = Organisation.objects.create
        cls.provider = make(name="Provider A", kind=rules.HOUSING_PROVIDER, kvk_number="11111111")
        cls.other_provider = make(
            name="Provider B", kind=rules.HOUSING_PROVIDER, kvk_number="22222222"
        )
        cls.employer = make(name="Employer", kind=rules.EMPLOYER, kvk_number="33333333")
        cls.agency = make(name="Agency", kind=rules.TEMP_AGENCY, kvk_number="44444444")
        cls.venlo = make(name="Gemeente Venlo", kind=rules.MUNICIPALITY, municipality=venlo)
        cls.horst = make(name="Gemeente Horst", kind=rules.MUNICIPALITY, municipality=horst)
        cls.province = make(name="Provincie Limburg", kind=rules.PROVINCE)
        cls.partner = make(name="Arbeidsinspectie", kind=rules.ENFORCEMENT_PARTNER)

        cls.provider_manager = user_make("providermanager", cls.provider, rules.MANAGER)
        cls.provider_member = user_make("providermember", cls.provider, rules.MEMBER)
        cls.other_provider_manager = user_make("othermanager", cls.other_provider, rules.MANAGER)
        cls.employer_manager = user_make("employermanager", cls.employer, rules.MANAGER)
        cls.agency_manager = user_make("agencymanager", cls.agency, rules.MANAGER)
        cls.venlo_member = user_make("venlomember", cls.venlo, rules.MEMBER)
        cls.horst_member = user_make("horstmember", cls.horst, rules.MEMBER)
        cls.venlo_privacy = user_make("venloprivacy", cls.venlo, rules.PRIVACY_OFFICER)
        cls.province_member = user_make("provincemember", cls.province, rules.MEMBER)
        cls.province_privacy = user_make("provinceprivacy", cls.province, rules.PRIVACY_OFFICER)
        cls.partner_member = user_make("partnermember", cls.partner, rules.MEMBER)
        cls.outsider = user_make("outsider")


# The processing log's tables, append-only in the database (ADR 0002, 0015).
LOG_TABLES = ("processing_log_entry", "processing_log_subjectspan")


class LogFlushAllowed:
    """For a `TransactionTestCase` on PostgreSQL: the processing log refuses TRUNCATE while
    it holds entries; the test database's flush between tests is the one truncation
    allowed, with the log's triggers off for its duration."""

    def _fixture_teardown(self) -> None:
        with connection.cursor() as cursor:
            for table in LOG_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            super()._fixture_teardown()
        finally:
            with connection.cursor() as cursor:
                for table in LOG_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def at_once(calls: list) -> list:
    """Run each call in a thread of its own (its own database connection), all released
    together, as clients sending at once are: what each returned, or the exception it
    raised (for the test to report)."""
    import threading

    from django.db import connections

    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # reported by the test's assertion
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
