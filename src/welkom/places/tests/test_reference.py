from __future__ import annotations

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase

from welkom.places.models import Municipality, PostcodeArea, Region


class ReferenceLoadTests(TestCase):
    def test_it_loads_regions_municipalities_and_postcodes(self) -> None:
        self.assertEqual(Region.objects.count(), 3)
        self.assertEqual(Municipality.objects.count(), 31)
        self.assertEqual(PostcodeArea.objects.count(), 279)
        counts = {r.name: r.municipalities.count() for r in Region.objects.all()}
        self.assertEqual(counts, {"Noord-Limburg": 8, "Midden-Limburg": 7, "Zuid-Limburg": 16})

    def test_it_loads_population_and_boundaries(self) -> None:
        total = Municipality.objects.aggregate(total=Sum("population"))["total"]
        self.assertEqual(total, 1_133_255)  # CBS: province of Limburg on 1 January 2024
        for municipality in Municipality.objects.all():
            self.assertEqual(municipality.boundary["type"], "Polygon")
            self.assertGreater(len(municipality.boundary["coordinates"][0]), 3)

    def test_it_is_idempotent(self) -> None:
        Municipality.objects.filter(code="GM0983").update(population=1)
        call_command("load_reference", verbosity=0)
        call_command("load_reference", verbosity=0)
        self.assertEqual(Municipality.objects.count(), 31)
        self.assertEqual(PostcodeArea.objects.count(), 279)
        self.assertEqual(Municipality.objects.get(code="GM0983").population, 103_789)
