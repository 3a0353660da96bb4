"""The nightly refresh: figures per municipality, region and province from aggregates only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from welkom.housing.services import location_register
from welkom.monitor.models import Figure
from welkom.monitor.services import monitor_refresh
from welkom.register.models import NightListImport
from welkom.register.services import night_list_import
from welkom.testing import PersonaTestCase

HEADER = (
    "night,location_code,family_name,given_names,date_of_birth,nationality,home_place,"
    "home_country,document_type,registration\n"
)
FIRST = date(2026, 11, 1)
TODAY = date(2026, 11, 28)


def night_list(
    code: str, persons: int, nights: int, nationality="POL", registration="rni"
) -> bytes:
    lines = [
        f"{(FIRST + timedelta(days=n)).isoformat()},{code},Name{p},Jan,1990-01-{p + 1:02d},"
        f"{nationality},Opole,PL,passport,{registration}\n"
        for n in range(nights)
        for p in range(persons)
    ]
    return (HEADER + "".join(lines)).encode()


def figure(area, indicator, period=FIRST, kind=Figure.Period.NIGHT):
    found = Figure.objects.filter(area=area, indicator=indicator, period=period, period_kind=kind)
    return found.values_list("value", flat=True).first()


class MonitorRefreshTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        location_register(
            provider=cls.provider, code="V1", street="Industrieweg", number="1",
            postcode="5912 AB", permitted_capacity=10,
        )  # fmt: skip
        location_register(
            provider=cls.provider, code="H1", street="Kerkstraat", number="2",
            postcode="5961 AA", permitted_capacity=2,
        )  # fmt: skip
        for data in (night_list("V1", 8, 3), night_list("H1", 3, 3, "ROU", "brp")):
            night_list_import(
                provider=cls.provider, data=data, filename="n.csv",
                source=NightListImport.Source.CLI, today=TODAY,
            )  # fmt: skip

    def test_it_counts_per_municipality_region_and_province(self):
        monitor_refresh(today=TODAY)
        self.assertEqual(figure("GM0983", "persons"), 8)  # Venlo
        self.assertEqual(figure("GM1507", "persons"), 3)  # Horst aan de Maas
        self.assertEqual(figure("NL421", "persons"), 11)  # Noord-Limburg
        self.assertEqual(figure("PV31", "persons"), 11)
        self.assertEqual(figure("GM0983", "capacity"), 10)
        self.assertEqual(figure("GM1507", "over_capacity"), 1)  # 3 persons, 2 allowed
        self.assertEqual(figure("PV31", "persons_brp"), 3)
        self.assertEqual(figure("PV31", "persons_rni"), 8)
        self.assertEqual(figure("PV31", "persons_ROU"), 3)
        self.assertEqual(figure("PV31", "persons_POL"), 8)
        self.assertAlmostEqual(figure("PV31", "occupancy_rate"), 100 * 11 / 12, places=1)
        # A month is its average night; location-nights over capacity add up.
        self.assertEqual(figure("PV31", "persons", kind=Figure.Period.MONTH), 11)
        self.assertEqual(figure("GM1507", "over_capacity", kind=Figure.Period.MONTH), 3)

    def test_running_it_again_gives_the_same_figures(self):
        monitor_refresh(today=TODAY)
        first = set(
            Figure.objects.values_list("area", "period_kind", "period", "indicator", "value")
        )
        monitor_refresh(today=TODAY)
        again = set(
            Figure.objects.values_list("area", "period_kind", "period", "indicator", "value")
        )
        self.assertEqual(first, again)

    def test_it_reads_no_person_and_no_stay(self):
        with CaptureQueriesContext(connection) as queries:
            monitor_refresh(today=TODAY)
        read = " ".join(q["sql"] for q in queries.captured_queries)
        self.assertNotIn('"register_person"', read)
        self.assertNotIn('"register_stay"', read)
        self.assertIn("register_occupancyprofile", read)

    def test_an_earlier_refresh_leaves_later_figures_alone(self):
        monitor_refresh(today=TODAY)
        monitor_refresh(today=FIRST + timedelta(days=2), history_nights=5)
        self.assertEqual(figure("PV31", "persons", period=FIRST + timedelta(days=2)), 11)
        self.assertIsNotNone(figure("PV31", "capacity", period=TODAY - timedelta(days=1)))

    def test_a_night_without_a_list_has_no_occupancy_rate_and_parts_add_up(self):
        monitor_refresh(today=TODAY)
        self.assertIsNone(figure("PV31", "occupancy_rate", period=FIRST + timedelta(days=10)))
        month = {
            indicator: figure("PV31", indicator, kind=Figure.Period.MONTH)
            for indicator in ("persons", "persons_brp", "persons_rni", "persons_POL", "persons_ROU")
        }
        self.assertAlmostEqual(month["persons_brp"] + month["persons_rni"], month["persons"])
        self.assertAlmostEqual(month["persons_POL"] + month["persons_ROU"], month["persons"])


class WorkFiguresTests(PersonaTestCase):
    """The placements' counts (kept by `welkom placement_counts`) become the monitor's work
    figures for the last night, with the same suppression as the register's."""

    def test_counts_and_shares_of_the_last_night_with_small_cells_hidden(self) -> None:
        from welkom.monitor.selectors import period_table
        from welkom.places.models import Municipality
        from welkom.work.models import PlacementCount

        last = TODAY - timedelta(days=1)
        for code, agency, admitted in (("GM0983", 40, 38), ("GM1507", 30, 30)):
            PlacementCount.objects.create(
                municipality=Municipality.objects.get(code=code), night=last,
                placed_agency=agency, placed_admitted=admitted,
                placed_unadmitted=agency - admitted, housed_by_employer=10,
            )  # fmt: skip
        monitor_refresh(today=TODAY, history_nights=3)
        self.assertEqual(figure("GM0983", "placed_agency", period=last), 40)
        self.assertEqual(figure("GM0983", "admitted_share", period=last), 95)
        self.assertEqual(figure("PV31", "placed_admitted", period=last), 68)
        self.assertFalse(
            Figure.objects.filter(indicator="placed_agency", period_kind="month").exists(),
            "a count of the last night is no month's average",
        )
        table = period_table(period_kind=Figure.Period.NIGHT, period=last)
        hidden = {cell for cell in table.hidden if cell[1].startswith(("placed", "admitted"))}
        # Venlo's 2 without admission are "<5"; its admitted count goes with them (the sum
        # would give them away), and so does the share. Horst: all 30 in one part is a
        # breakdown that says something about everyone, so its parts are hidden.
        self.assertIn(("GM0983", "placed_unadmitted"), hidden)
        self.assertIn(("GM0983", "placed_admitted"), hidden)
        self.assertIn(("GM0983", "admitted_share"), hidden)
        self.assertIn(("GM1507", "placed_admitted"), hidden)
        own = period_table(period_kind=Figure.Period.NIGHT, period=last, known={"GM0983"})
        self.assertNotIn(("GM0983", "admitted_share"), own.hidden)
