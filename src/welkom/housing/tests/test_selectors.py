from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from unittest import skipUnless
from unittest.mock import patch

from django.db import connection, connections, transaction
from django.db.models import F
from django.test import TransactionTestCase
from django.utils import timezone

from welkom.housing.models import Certificate, Judgement, Location, MunicipalRule, Room
from welkom.housing.selectors import (
    JUDGEMENTS_KEPT_DAYS,
    Judged,
    location_compliance,
    location_judgements,
)
from welkom.housing.services import location_describe, location_register
from welkom.organisations import rules
from welkom.organisations.models import Organisation
from welkom.testing import LogFlushAllowed, PersonaTestCase

# Facilities for many, so that the bedrooms decide the capacity.
DESCRIBED = {
    "building_type": "hotel_pension",
    "zoning": "logies",
    "toilets": 10,
    "showers": 10,
    "burners": 20,
    "sockets": 100,
}


class LocationJudgementTests(PersonaTestCase):
    """Kept judgements equal a fresh one after every kind of change the norms judge."""

    def setUp(self) -> None:
        self.location = location_register(
            provider=self.provider, code="V1", street="A", number="1", postcode="5912AB"
        )
        location_describe(
            self.location,
            description=DESCRIBED,
            rooms=[
                {"name": "A", "use": "bedroom", "area_m2": Decimal(14), "beds": 4},
                {"name": "B", "use": "living", "area_m2": Decimal(30), "beds": 0},
            ],
            certificates=[{"scheme": "snf", "register_id": "S1", "valid_until": date(2030, 1, 1)}],
        )
        self.today = timezone.localdate()

    def judged(self) -> Judged:
        return location_judgements(Location.objects.all(), on=self.today)[self.location.pk]

    def fresh(self) -> Judged:
        return Judged.of(
            location_compliance(Location.objects.get(pk=self.location.pk), on=self.today)
        )

    def assert_kept_equals_fresh(self) -> None:
        self.assertEqual(self.judged(), self.fresh())
        kept = Judgement.objects.get(location=self.location, on=self.today)
        self.assertEqual(
            kept.facts_version, Location.objects.get(pk=self.location.pk).facts_version
        )

    def test_a_kept_judgement_is_used_without_judging_again(self) -> None:
        first = self.judged()
        with patch("welkom.housing.selectors._judged", side_effect=AssertionError("judged")):
            again = self.judged()
        self.assertEqual(first, again)
        self.assertEqual(Judgement.objects.count(), 1)

    def test_a_room_changed_on_its_own_is_judged_again(self) -> None:
        before = self.judged()
        bedroom = Room.objects.get(location=self.location, name="A")
        bedroom.area_m2 = Decimal(7)
        bedroom.save()
        self.assert_kept_equals_fresh()
        self.assertNotEqual(self.judged().effective_capacity, before.effective_capacity)

    def test_a_room_deleted_is_judged_again(self) -> None:
        before = self.judged()
        Room.objects.filter(location=self.location, name="A").delete()
        self.assert_kept_equals_fresh()
        self.assertNotEqual(self.judged(), before)

    def test_a_mark_removed_or_changed_is_judged_again(self) -> None:
        def version() -> int:
            return Location.objects.get(pk=self.location.pk).facts_version

        self.judged()
        before = version()
        mark = Certificate.objects.get(location=self.location)
        mark.valid_until = self.today - timedelta(days=1)
        mark.save()
        self.assert_kept_equals_fresh()
        mark.delete()
        self.assert_kept_equals_fresh()
        self.assertEqual(version(), before + 2)

    def test_a_new_description_is_judged_again(self) -> None:
        before = self.judged()
        location_describe(
            Location.objects.get(pk=self.location.pk),
            description=DESCRIBED,
            rooms=[{"name": "A", "use": "bedroom", "area_m2": Decimal(30), "beds": 8}],
            certificates=[],
        )
        self.assert_kept_equals_fresh()
        self.assertNotEqual(self.judged(), before)

    def test_a_municipal_rule_is_judged_again_for_its_municipality(self) -> None:
        before = self.judged()
        rule = MunicipalRule.objects.create(
            municipality=self.location.municipality,
            kind=MunicipalRule.Kind.MAX_PERSONS_PER_BEDROOM,
            value=1,
            effective_from=date(2020, 1, 1),
        )
        self.assert_kept_equals_fresh()
        self.assertEqual(self.judged().effective_capacity, 1)
        self.assertNotEqual(before.effective_capacity, 1)
        rule.delete()
        self.assert_kept_equals_fresh()

    def test_other_norm_switches_are_judged_again(self) -> None:
        self.judged()
        for switch in (True, False):
            with self.settings(NORMS_SNF_2025=switch):
                self.assertEqual(self.judged(), self.fresh())

    def test_a_judgement_made_from_facts_that_changed_meanwhile_is_not_shown_as_current(
        self,
    ) -> None:
        """The version is read before the facts; a change between them leaves the kept
        judgement under the old version, which the next read judges again."""
        self.judged()
        Judgement.objects.update(effective_capacity=999)  # as if judged from other facts
        Location.objects.filter(pk=self.location.pk).update(facts_version=10**6)
        self.assertEqual(self.judged(), self.fresh())

    def test_a_night_long_past_is_judged_but_not_kept(self) -> None:
        long_ago = self.today - timedelta(days=JUDGEMENTS_KEPT_DAYS + 1)
        judged = location_judgements(Location.objects.all(), on=long_ago)
        self.assertEqual(
            judged[self.location.pk],
            Judged.of(location_compliance(self.location, on=long_ago)),
        )
        self.assertFalse(Judgement.objects.filter(on=long_ago).exists())

    def test_judgements_of_days_no_longer_asked_about_are_removed(self) -> None:
        old = self.today - timedelta(days=JUDGEMENTS_KEPT_DAYS + 3)
        Judgement.objects.create(
            location=self.location,
            on=old,
            facts_version=0,
            parameters="",
            described=True,
            compliant=True,
        )
        Location.objects.filter(pk=self.location.pk).update(facts_version=5)
        self.judged()
        self.assertEqual(list(Judgement.objects.values_list("on", flat=True)), [self.today])


@skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class JudgementsKeptAtBestTests(LogFlushAllowed, TransactionTestCase):
    """A page that judges locations while an import keeps the same judgements in its open
    transaction does not wait for the import: it answers, and leaves them unkept."""

    serialized_rollback = True

    def test_a_lock_held_elsewhere_leaves_the_judgement_unkept_not_the_page_waiting(self) -> None:
        provider = Organisation.objects.create(
            name="Provider A", kind=rules.HOUSING_PROVIDER, kvk_number="11111111"
        )
        location = location_register(
            provider=provider, code="V1", street="A", number="1", postcode="5912AB"
        )
        today = timezone.localdate()
        expected = location_judgements(Location.objects.all(), on=today)
        Location.objects.filter(pk=location.pk).update(facts_version=F("facts_version") + 1)
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            try:
                with transaction.atomic():  # as an import's signal refresh would
                    Judgement.objects.filter(location=location).delete()
                    holding.set()
                    release.wait(10)
            finally:
                connections.close_all()

        holder = threading.Thread(target=hold)
        holder.start()
        try:
            self.assertTrue(holding.wait(10))
            started = time.monotonic()
            judged = location_judgements(Location.objects.all(), on=today)
            waited = time.monotonic() - started
        finally:
            release.set()
            holder.join(10)
        self.assertEqual(judged, expected)
        self.assertLess(waited, 2.0)
