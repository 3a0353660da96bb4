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

    def test_a_lone_hidden_part_takes_two_others_with_it(self):
        # With only B hidden beside A, municipality B would work out A = R1 - B - C.
        values = table({"A": 3, "B": 20, "C": 50, "D": 40, "E": 60, "R1": 73, "R2": 100, "P": 173})
        hidden = hidden_cells(values, counts=["persons"], sums=sums())
        self.assertEqual(
            hidden,
            {("A", "persons"): PRIMARY, ("B", "persons"): SECONDARY, ("C", "persons"): SECONDARY},
        )

    def test_the_viewers_own_cells_are_never_hidden_and_never_protect(self):
        # The viewer is B: B is shown to them, so C must go instead, and with only two parts
        # left to hide, the region's total too (and what then gives the region away).
        values = table({"A": 3, "B": 6, "C": 20, "D": 40, "E": 60, "R1": 29, "R2": 100, "P": 129})
        known = {("B", "persons")}
        hidden = hidden_cells(values, counts=["persons"], sums=sums(), known=known)
        self.assertEqual(hidden[("A", "persons")], PRIMARY)
        self.assertNotIn(("B", "persons"), hidden)
        self.assertTrue({("C", "persons"), ("R1", "persons")} <= set(hidden))

    def test_a_sum_of_two_parts_is_hidden_with_them(self):
        values = table({"A": 3, "B": 6, "R1": 9})
        sums_ = [(("R1", "persons"), [("A", "persons"), ("B", "persons")])]
        hidden = hidden_cells(values, counts=["persons"], sums=sums_)
        self.assertEqual(
            hidden,
            {("A", "persons"): PRIMARY, ("B", "persons"): SECONDARY, ("R1", "persons"): SECONDARY},
        )

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


# --- The differencing attack (issue 18, finding 5) ---------------------------------------

PRIME = (1 << 61) - 1  # ranks over this field are those over the rationals, for 0/±1 rows


def _rank(rows: list[list[int]]) -> int:
    rows = [row[:] for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] % PRIME), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inverse = pow(rows[rank][column], PRIME - 2, PRIME)
        rows[rank] = [value * inverse % PRIME for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] % PRIME:
                factor = rows[r][column]
                rows[r] = [
                    (a - factor * b) % PRIME for a, b in zip(rows[r], rows[rank], strict=True)
                ]
        rank += 1
    return rank


def worked_out(values, hidden, sums_, known) -> set:
    """The hidden cells a viewer who knows the cells `known` can work out from what is shown
    and the sums: each whose unit row lies in the span of the sums over the unknowns."""
    unknown = sorted(cell for cell in hidden if cell not in known)
    column = {cell: i for i, cell in enumerate(unknown)}
    rows = []
    for total, parts in sums_:
        row = [0] * len(unknown)
        for cell, sign in [(total, 1), *((p, -1) for p in parts)]:
            if cell in column:
                row[column[cell]] += sign
        if any(row):
            rows.append(row)
    base = _rank(rows)
    found = set()
    for cell in unknown:
        unit = [0] * len(unknown)
        unit[column[cell]] = 1
        if _rank([*rows, unit]) == base:
            found.add(cell)
    return found


class DifferencingTests(SimpleTestCase):
    """Limburg's shape (31 municipalities in three regions, one province), random counts:
    no municipality, knowing its own figure, can work a hidden small count out of the
    public table and the sums, whichever it is."""

    REGIONS = {"N": 8, "M": 7, "Z": 16}

    def test_no_municipality_works_out_a_small_count_elsewhere(self):
        import random

        municipalities = {
            region: [f"{region}{i}" for i in range(n)] for region, n in self.REGIONS.items()
        }
        sums_ = [
            (("P", "persons"), [(r, "persons") for r in municipalities]),
            *(((r, "persons"), [(m, "persons") for m in ms]) for r, ms in municipalities.items()),
        ]
        for seed in range(60):
            generator = random.Random(seed)
            values = {}
            for region, names in municipalities.items():
                for name in names:
                    values[(name, "persons")] = float(
                        generator.choice([0, 1, 2, 3, 4, 5, 8, 12, 40, 300, 2500])
                    )
                values[(region, "persons")] = sum(values[(n, "persons")] for n in names)
            values[("P", "persons")] = sum(values[(r, "persons")] for r in municipalities)
            hidden = hidden_cells(values, counts=["persons"], sums=sums_)
            small = {cell for cell, how in hidden.items() if how == PRIMARY}
            for names in municipalities.values():
                for name in names:
                    own = {(name, "persons")}
                    with self.subTest(seed=seed, viewer=name):
                        self.assertEqual(
                            worked_out(values, hidden, sums_, own) & small - own, set()
                        )
