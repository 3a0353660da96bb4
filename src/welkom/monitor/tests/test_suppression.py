from __future__ import annotations

from django.test import SimpleTestCase

from welkom.monitor.suppression import hidden_areas

PARTS = {"R1": ["A", "B", "C"], "R2": ["D", "E"], "P": ["R1", "R2"]}


class SuppressionTests(SimpleTestCase):
    def test_counts_from_1_to_4_are_hidden_and_0_and_5_are_shown(self):
        values = {"A": 4, "B": 5, "C": 0, "D": 1, "E": 30, "R1": 9, "R2": 31, "P": 40}
        hidden = hidden_areas(values, {})
        self.assertEqual(hidden, {"A", "D"})

    def test_a_lone_hidden_part_takes_the_smallest_other_part_with_it(self):
        # R1 = 3 + 20 + 50: with A hidden and R1 shown, A = R1 - B - C; so B goes too.
        values = {"A": 3, "B": 20, "C": 50, "D": 40, "E": 60, "R1": 73, "R2": 100, "P": 173}
        self.assertEqual(hidden_areas(values, PARTS), {"A", "B"})

    def test_two_hidden_parts_protect_each_other(self):
        values = {"A": 3, "B": 2, "C": 50, "D": 40, "E": 60, "R1": 55, "R2": 100, "P": 155}
        self.assertEqual(hidden_areas(values, PARTS), {"A", "B"})

    def test_a_hidden_region_hides_another_region(self):
        values = {"A": 1, "B": 1, "C": 1, "D": 40, "E": 60, "R1": 3, "R2": 100, "P": 103}
        hidden = hidden_areas(values, PARTS)
        self.assertTrue({"R1", "R2"} <= hidden)
