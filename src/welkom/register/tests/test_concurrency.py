"""Two imports at once, as a client retrying after a time-out sends them: on PostgreSQL,
where they really run side by side (SQLite lets one writer at a time and hides it)."""

from __future__ import annotations

import threading
import unittest
from datetime import date, timedelta

from django.db import connection, connections, transaction
from django.test import Client, TransactionTestCase, override_settings
from django.utils import timezone

from welkom.housing.services import location_register
from welkom.lib.locks import serialised
from welkom.organisations import rules
from welkom.organisations.models import Organisation
from welkom.organisations.services import api_token_create
from welkom.register.models import NightListImport, Occupancy, Person, Stay
from welkom.register.services import night_list_import
from welkom.register.services.night_lists import APPLY_LOCK
from welkom.register.services.signals import REFRESH_LOCK
from welkom.testing import LogFlushAllowed, at_once, user_make

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration_status\n"
)
FIRST = date(2026, 11, 1)
TODAY = date(2026, 11, 28)


def day_list(night: date, families: list[str]) -> bytes:
    return (
        HEADER
        + "".join(
            f"{night.isoformat()},V1,{family},Jan,1990-01-01,POL,Opole,PL,passport,none\n"
            for family in families
        )
    ).encode()


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class ImportsAtOnceTests(LogFlushAllowed, TransactionTestCase):
    # The migrations' reference data (municipalities, activities) is put back after the
    # flush that ends each test.
    serialized_rollback = True

    def setUp(self) -> None:
        self.provider = Organisation.objects.create(
            name="Provider A", kind=rules.HOUSING_PROVIDER, kvk_number="11111111"
        )
        self.manager = user_make("providermanager", self.provider, rules.MANAGER)
        self.location = location_register(
            provider=self.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912 AB",
            permitted_capacity=100,
        )

    def _at_once(self, lists: list[bytes]) -> list:
        """Import each list in its own thread, all released together: their statuses."""

        def importing(index: int, data: bytes):
            return lambda: (
                night_list_import(
                    provider=self.provider,
                    data=data,
                    filename=f"nights-{index}.csv",
                    source=NightListImport.Source.API,
                    submitted_by=self.manager,
                    today=TODAY,
                )[0].status
            )

        return at_once([importing(index, data) for index, data in enumerate(lists)])

    def test_the_same_new_list_twice_at_once_is_applied_once(self) -> None:
        data = day_list(FIRST, [f"Nowak{i}" for i in range(40)])
        statuses = self._at_once([data] * 4)
        self.assertEqual(
            sorted(map(str, statuses)), ["applied", "unchanged", "unchanged", "unchanged"]
        )
        self.assertEqual(Person.internal.count(), 40)
        self.assertEqual(Stay.internal.filter(check_out__isnull=True).count(), 40)

    def test_the_next_night_twice_at_once_closes_and_opens_once(self) -> None:
        everyone = [f"Nowak{i}" for i in range(40)]
        self._at_once([day_list(FIRST, everyone)])
        # The next night: ten have left, ten new persons came.
        next_night = day_list(
            FIRST + timedelta(days=1), everyone[10:] + [f"Kowal{i}" for i in range(10)]
        )
        statuses = self._at_once([next_night, next_night])
        self.assertEqual(sorted(map(str, statuses)), ["applied", "unchanged"])
        self.assertEqual(Person.internal.count(), 50)
        self.assertEqual(Stay.internal.filter(check_out__isnull=True).count(), 40)
        self.assertEqual(Stay.internal.filter(check_out=FIRST + timedelta(days=1)).count(), 10)
        self.location.refresh_from_db()
        self.assertEqual(self.location.listed_through, FIRST + timedelta(days=1))


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class ApiAtOnceTests(LogFlushAllowed, TransactionTestCase):
    """Clients that send at once through the API, as a retrying client and a second one of
    the same provider do: every answer is 2xx or a 409 "busy", never a 500; persons are the
    list's identities, and occupancy counts the stays."""

    serialized_rollback = True

    def setUp(self) -> None:
        self.provider = Organisation.objects.create(
            name="Provider A", kind=rules.HOUSING_PROVIDER, kvk_number="11111111"
        )
        manager = user_make("providermanager", self.provider, rules.MANAGER)
        location_register(
            provider=self.provider,
            code="V1",
            street="Industrieweg",
            number="1",
            postcode="5912 AB",
            permitted_capacity=100,
        )
        _token, self.key = api_token_create(
            organisation=self.provider, name="PMS", created_by=manager
        )

    def _post_at_once(self, lists: list[bytes]) -> list[int]:
        def posting(data: bytes):
            return lambda: (
                Client()
                .post(
                    "/api/v1/night-lists",
                    data=data,
                    content_type="text/csv",
                    HTTP_AUTHORIZATION=f"Token {self.key}",
                )
                .status_code
            )

        return at_once([posting(data) for data in lists])

    def test_twelve_clients_at_once_store_each_person_and_stay_once(self) -> None:
        night = timezone.localdate() - timedelta(days=1)
        families = [f"Nowak{i}" for i in range(40)]
        codes = self._post_at_once([day_list(night, families)] * 12)
        self.assertEqual(sorted(codes), [200] * 11 + [201])
        self.assertEqual(Person.internal.count(), 40)
        self.assertEqual(Stay.internal.count(), 40)
        self.assertEqual(Occupancy.objects.get().persons, 40)
        self.assertEqual(NightListImport.objects.count(), 12)

    @override_settings(IMPORT_WAIT_SECONDS=1)
    def test_a_client_that_would_wait_too_long_gets_409_and_nothing_is_stored(self) -> None:
        # Behind another import, or behind the daily refresh of the signals.
        for lock in (APPLY_LOCK, REFRESH_LOCK):
            with self.subTest(lock=lock):
                self._held_past_the_wait(lock)

    def _held_past_the_wait(self, lock: str) -> None:
        night = timezone.localdate() - timedelta(days=1)
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            try:
                with transaction.atomic():
                    serialised(lock)
                    held.set()
                    release.wait(timeout=30)
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold)
        holder.start()
        held.wait(timeout=10)
        try:
            [code] = self._post_at_once([day_list(night, ["Nowak"])])
        finally:
            release.set()
            holder.join(timeout=30)
        self.assertEqual(code, 409)
        self.assertFalse(NightListImport.objects.exists())
        self.assertFalse(Person.internal.exists())
