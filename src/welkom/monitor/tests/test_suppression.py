from __future__ import annotations

from django.test import SimpleTestCase

from welkom.monitor.suppression import PRIMARY, SECONDARY, hidden_cells

REGIONS = {"R1": ["A", "B", "C"], "R2": ["D", "E"], "P": ["R1", "R2"]}


def sums(indicators=("persons",)):
    return [
        ((total, i), [(part, i) for part in parts])
        for total, parts in REGIONS.items()
        for i in indicators
    ]


def table(persons: dict[str, float], **others: dict[str, float]):
    values = {(area, "persons"): v for area, v in persons.items()}
    for indicator, by_area in others.items():
        values.update({(area, indicator): v for area, v in by_area.items()})
    return values


class SuppressionTests(SimpleTestCase):
    def test_counts_from_1_to_4_are_hidden_and_0_and_5_are_shown(self):
        values = table({"A": 4, "B": 5, "C": 0, "D": 1, "E": 30})
        self.assertEqual(
            hidden_cells(values, counts=["persons"], sums=[]),
            {("A", "persons"): PRIMARY, ("D", "persons"): PRIMARY},
        )

    def test_a_lone_hidden_part_takes_the_smallest_other_part_with_it(self):
        values = table({"A": 3, "B": 20, "C": 50, "D": 40, "E": 60, "R1": 73, "R2": 100, "P": 173})
        hidden = hidden_cells(values, counts=["persons"], sums=sums())
        self.assertEqual(hidden, {("A", "persons"): PRIMARY, ("B", "persons"): SECONDARY})

    def test_the_viewers_own_cells_are_never_hidden_and_never_protect(self):
        # The viewer is B: B is shown to them, so C must go instead, or R1 - B - C = A.
        values = table({"A": 3, "B": 6, "C": 20, "D": 40, "E": 60, "R1": 29, "R2": 100, "P": 129})
        known = {("B", "persons")}
        hidden = hidden_cells(values, counts=["persons"], sums=sums(), known=known)
        self.assertEqual(hidden, {("A", "persons"): PRIMARY, ("C", "persons"): SECONDARY})

    def test_when_every_other_part_is_known_the_total_is_hidden(self):
        values = table({"A": 3, "B": 6, "R1": 9})
        known = {("B", "persons")}
        sums_ = [(("R1", "persons"), [("A", "persons"), ("B", "persons")])]
        hidden = hidden_cells(values, counts=["persons"], sums=sums_, known=known)
        self.assertEqual(hidden, {("A", "persons"): PRIMARY, ("R1", "persons"): SECONDARY})

    def test_a_hidden_total_hides_what_is_linked_to_it(self):
        values = table(
            {"A": 3}, occupancy_rate={"A": 30}, over_capacity={"A": 1}, persons_POL={"A": 3}
        )
        linked = {
            ("A", "persons"): [
                ("A", "occupancy_rate"),
                ("A", "over_capacity"),
                ("A", "persons_POL"),
            ]
        }
        hidden = hidden_cells(values, counts=["persons"], sums=[], linked=linked)
        self.assertEqual(
            set(hidden),
            {("A", i) for i in ("persons", "occupancy_rate", "over_capacity", "persons_POL")},
        )

    def test_a_breakdown_hidden_in_one_area_is_protected_across_areas_too(self):
        # A has 3 Romanians among 40: hidden within A's breakdown (with the smallest other
        # part) and across the region (with the smallest other municipality's ROU).
        parts = ("persons_POL", "persons_ROU")
        values = table(
            {"A": 40, "B": 30, "C": 30, "R1": 100},
            persons_POL={"A": 37, "B": 20, "C": 25, "R1": 82},
            persons_ROU={"A": 3, "B": 10, "C": 5, "R1": 18},
        )  # fmt: skip
        breakdowns = [((a, "persons"), [(a, p) for p in parts]) for a in ("A", "B", "C", "R1")]
        region = [(("R1", p), [(a, p) for a in ("A", "B", "C")]) for p in (*parts, "persons")]
        hidden = hidden_cells(values, counts=["persons", *parts], sums=region + breakdowns)
        self.assertIn(("A", "persons_ROU"), hidden)
        self.assertIn(("A", "persons_POL"), hidden)  # or A's ROU = 40 - 37
        self.assertIn(("C", "persons_ROU"), hidden)  # or A's ROU = 18 - 10 - 5
        # and C's POL, or C's ROU = 30 - 25; and so on until nothing gives a part away
        self.assertIn(("C", "persons_POL"), hidden)

    def test_a_breakdown_where_one_part_is_everyone_is_hidden(self):
        values = table({"A": 27}, persons_none={"A": 27}, persons_brp={"A": 0})
        breakdowns = [(("A", "persons"), [("A", "persons_none"), ("A", "persons_brp")])]
        hidden = hidden_cells(values, counts=["persons"], sums=[], breakdowns=breakdowns)
        self.assertEqual(hidden.get(("A", "persons_none")), SECONDARY)
