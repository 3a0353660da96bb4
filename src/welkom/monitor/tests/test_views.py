from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from welkom.loket.models import MunicipalContact
from welkom.monitor.models import ActionProgress, ExternalFigure, Figure, PolicyAction
from welkom.monitor.services import figures_import
from welkom.places.models import Municipality
from welkom.testing import PersonaTestCase

NIGHT = date(2026, 11, 27)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def url(name: str, language: str = "en", *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def figures(values: dict[str, dict[str, float]], period=NIGHT, kind=Figure.Period.NIGHT):
    Figure.objects.bulk_create(
        Figure(area=area, period_kind=kind, period=period, indicator=indicator, value=value)
        for area, by_indicator in values.items()
        for indicator, value in by_indicator.items()
    )


class MonitorFigures:
    """Beesel has 3 persons: below 5, so "<5" outside Beesel's own view. Bergen (L.), the
    next smallest in Noord-Limburg, is hidden with it ("×"), or Noord-Limburg's total would
    give Beesel away."""

    @classmethod
    def make(cls):
        figures(
            {
                "GM0889": {"persons": 3, "capacity": 10, "occupancy_rate": 30},  # Beesel
                "GM0893": {"persons": 12, "capacity": 20},  # Bergen (L.)
                "GM0983": {"persons": 400, "capacity": 450},  # Venlo
                "GM1507": {"persons": 300, "capacity": 280},  # Horst aan de Maas
                "NL421": {"persons": 715, "capacity": 760},
                "PV31": {"persons": 715, "capacity": 760, "occupancy_rate": 94.1},
            }
        )
        figures({"PV31": {"persons": 700}}, period=date(2026, 11, 1), kind=Figure.Period.MONTH)
        call_command("import_figures", "src/welkom/monitor/data/policy-figures.csv", stdout=None)


class PublicMonitorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        MonitorFigures.make()

    def test_the_public_page_hides_small_counts_in_every_language(self):
        for language in LANGUAGES:
            response = self.client.get(url("monitor:public", language))
            self.assertEqual(response.status_code, 200, language)
            html = response.content.decode()
            beesel = re.search(r"Beesel</th><td[^>]*>([^<]*)</td>", html).group(1)
            bergen = re.search(r"Bergen \(L\.\)</th><td[^>]*>([^<]*)</td>", html).group(1)
            self.assertEqual((beesel, bergen), ("&lt;5", "×"), language)
            self.assertRegex(html, r"Venlo</th><td[^>]*>400</td>")

    def test_the_policy_figures_are_on_the_public_page_with_their_source(self):
        response = self.client.get(url("monitor:public", "en"))
        for value in ("75,100", "58,300", "38,400", "87,900", "120,000", "58,900", "47"):
            self.assertContains(response, value)
        self.assertContains(response, "Decisio (spring 2020)")


class DashboardTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        MonitorFigures.make()

    def test_the_province_sees_every_municipality_with_small_cells_hidden(self):
        self.client.force_login(self.province_member)
        response = self.client.get(url("monitor:dashboard"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertRegex(html, r"Beesel</th>\s*<td[^>]*>&lt;5</td>")
        self.assertContains(response, "58,900")  # the housing need next to the capacity
        self.assertContains(response, '<svg class="welkom-map"')

    def test_a_municipality_sees_its_own_figures_in_full(self):
        from welkom.organisations import rules
        from welkom.organisations.models import Membership, Organisation

        beesel = Organisation.objects.create(
            name="Gemeente Beesel", kind=rules.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0889"),
        )  # fmt: skip
        user = self.venlo_member
        Membership.access_control.create(user=user, organisation=beesel, role=rules.MEMBER)
        self.client.force_login(user)
        html = self.client.get(url("monitor:dashboard")).content.decode()
        self.assertRegex(html, r"Beesel</th>\s*<td[^>]*>3</td>")

    def test_exports_carry_the_same_hidden_cells(self):
        self.client.force_login(self.province_member)
        response = self.client.get(url("monitor:dashboard"), {"format": "csv"})
        text = response.content.decode("utf-8-sig")
        self.assertIn("Beesel;GM0889;<5", text)
        xlsx = self.client.get(url("monitor:dashboard"), {"format": "xlsx"})
        self.assertEqual(xlsx.status_code, 200)

    def test_providers_employers_and_outsiders_see_no_monitor(self):
        for user in (self.provider_manager, self.employer_manager, self.outsider):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url("monitor:dashboard")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url("monitor:dashboard")).status_code, 302)

    def test_gap_figures_actions_and_report_pages_open(self):
        self.client.force_login(self.province_member)
        for name, args in (("monitor:gap", ()), ("monitor:figures", ()), ("monitor:actions", ()),
                           ("monitor:report", (2026,))):  # fmt: skip
            self.assertEqual(self.client.get(url(name, "en", *args)).status_code, 200, name)
        gap = self.client.get(url("monitor:gap"))
        self.assertContains(gap, "Housing need, before Covid-19")
        self.assertContains(gap, "Workers, Covid-19 base scenario")


class FiguresPageTests(PersonaTestCase):
    def test_a_bad_file_is_refused_with_its_problems_and_nothing_changes(self):
        self.client.force_login(self.province_member)
        upload = SimpleUploadedFile(
            "f.csv", b"indicator,area_code,period,scenario,value,source\nworkers,XX,2018,,-1,D\n"
        )
        response = self.client.post(url("monitor:figures"), {"file": upload})
        self.assertContains(response, "Unknown area code", status_code=400)
        self.assertContains(response, "cannot be negative", status_code=400)
        self.assertEqual(ExternalFigure.objects.count(), 0)

    def test_a_small_count_of_persons_from_elsewhere_is_hidden_on_the_page_too(self):
        """The public monitor showed an external municipality count below 5 as it was; the
        export already hid it. The importer's own page still shows what was imported."""
        self.client.force_login(self.province_member)
        upload = SimpleUploadedFile(
            "f.csv",
            b"indicator,area_code,period,scenario,value,source\n"
            b"residents,GM0889,2024,,3,CBS\nresidents,GM0983,2024,,1234,CBS\n",
        )
        self.assertEqual(
            self.client.post(url("monitor:figures"), {"file": upload}).status_code, 302
        )
        self.client.logout()
        page = self.client.get(url("monitor:public")).content.decode()
        self.assertIn("&lt;5</td>", page)
        self.assertIn("1,234</td>", page)
        self.assertNotIn(">3</td>", page)

    def test_only_the_province_imports(self):
        self.client.force_login(self.venlo_member)
        upload = SimpleUploadedFile("f.csv", b"x")
        self.assertEqual(
            self.client.post(url("monitor:figures"), {"file": upload}).status_code, 403
        )


class ActionProgressTests(PersonaTestCase):
    def test_a_municipality_keeps_its_own_progress_and_welkom_adds_what_it_knows(self):
        MunicipalContact.objects.create(
            municipality=Municipality.objects.get(code="GM0983"), name="Team", email="a@b.test"
        )
        self.client.force_login(self.venlo_member)
        self.client.post(
            url("monitor:actions"),
            {"action": "W4", "municipality": "GM0983", "status": "done", "note": "Beleid 2021"},
        )
        progress = ActionProgress.objects.get()
        self.assertEqual((progress.action.code, progress.municipality.code), ("W4", "GM0983"))
        forbidden = self.client.post(
            url("monitor:actions"), {"action": "W4", "municipality": "GM1507", "status": "done"}
        )
        self.assertEqual(forbidden.status_code, 403)
        page = self.client.get(url("monitor:actions"))
        self.assertContains(page, "a contact is in the loket")
        self.assertTrue(PolicyAction.objects.filter(code="A4", per_municipality=True).exists())


@override_settings()
class ReportCommandTests(TestCase):
    def test_the_yearly_report_is_written_as_one_html_file(self):
        import tempfile
        from pathlib import Path

        MonitorFigures.make()
        figures_import(data=b"", filename="empty.csv")  # harmless: refused
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "report.html"
            call_command(
                "monitor_report", "--year", "2026", "--output", str(target), "--language", "en"
            )
            html = target.read_text(encoding="utf-8")
        self.assertIn("International workers in Limburg: monitor 2026", html)
        self.assertIn("<style>", html)
        self.assertIn("58,900", html)


class BreakdownSuppressionTests(TestCase):
    def test_a_hidden_part_of_a_breakdown_takes_another_part_with_it(self):
        from welkom.monitor.selectors import indicator_cells

        # Venlo: 400 persons, of whom 2 unknown: brp + rni + none would give "unknown" away.
        figures({"GM0983": {"persons": 400, "persons_brp": 300, "persons_rni": 90,
                            "persons_none": 8, "persons_unknown": 2}})  # fmt: skip

        def venlo(indicator):
            cells = indicator_cells(indicator, period_kind=Figure.Period.NIGHT, period=NIGHT)
            return next(c for c in cells if c.area.code == "GM0983")

        self.assertTrue(venlo("persons_unknown").hidden)
        self.assertTrue(venlo("persons_none").hidden)  # the smallest other part
        self.assertFalse(venlo("persons_brp").hidden)
        self.assertFalse(venlo("persons").hidden)
        own = indicator_cells(
            "persons_unknown", period_kind=Figure.Period.NIGHT, period=NIGHT, known={"GM0983"}
        )
        self.assertFalse(next(c for c in own if c.area.code == "GM0983").hidden)


class OwnViewDisclosureTests(PersonaTestCase):
    """The review's attack: Bergen's own user sees Bergen in full, so Bergen cannot be the
    cell that protects Beesel; another must be hidden, in the page and in the export."""

    def test_a_municipality_cannot_work_out_a_neighbours_hidden_count(self):
        from welkom.organisations import rules
        from welkom.organisations.models import Membership, Organisation

        figures(
            {
                "GM0889": {"persons": 3}, "GM0893": {"persons": 6}, "GM0907": {"persons": 20},
                "GM1507": {"persons": 20}, "GM0944": {"persons": 20}, "GM1894": {"persons": 20},
                "GM0983": {"persons": 20}, "GM0984": {"persons": 20},
                "NL421": {"persons": 129}, "PV31": {"persons": 129},
            }
        )  # fmt: skip
        bergen = Organisation.objects.create(
            name="Gemeente Bergen", kind=rules.MUNICIPALITY,
            municipality=Municipality.objects.get(code="GM0893"),
        )  # fmt: skip
        user = self.outsider
        Membership.access_control.create(user=user, organisation=bergen, role=rules.MEMBER)
        self.client.force_login(user)
        text = self.client.get(url("monitor:dashboard"), {"format": "csv"}).content.decode(
            "utf-8-sig"
        )
        shown = {line.split(";")[1]: line.split(";")[2] for line in text.splitlines()[1:]}
        self.assertEqual(shown["GM0893"], "6.0")  # its own, in full
        self.assertEqual(shown["GM0889"], "<5")
        self.assertIn("×", shown.values())
        # Noord-Limburg minus every number shown must not leave Beesel's 3 alone.
        north = ("GM0889", "GM0893", "GM0907", "GM1507", "GM0944", "GM1894", "GM0983", "GM0984")
        unknown = [c for c in north if shown[c] in ("<5", "×")]
        self.assertGreaterEqual(len(unknown), 2, shown)


class RobustPagesTests(PersonaTestCase):
    def test_a_2030_figure_without_scenario_does_not_break_the_gap_page(self):
        figures_import(
            data=b"indicator,area_code,period,scenario,value,source\nworkers,PV31,2030,,90000,D\n",
            filename="x.csv",
        )
        self.client.force_login(self.province_member)
        self.assertEqual(self.client.get(url("monitor:gap")).status_code, 200)
        self.assertEqual(self.client.get(url("monitor:report", "en", 0)).status_code, 404)

    def test_a_status_per_municipality_only_for_actions_carried_out_per_municipality(self):
        self.client.force_login(self.venlo_member)
        self.client.post(
            url("monitor:actions"), {"action": "A1", "municipality": "GM0983", "status": "done"}
        )
        self.assertFalse(ActionProgress.objects.exists())


class EveryTableExportsTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        MonitorFigures.make()

    def test_every_table_comes_as_csv_and_xlsx(self):
        self.client.force_login(self.province_member)
        for name, query in (
            ("monitor:dashboard", {"table": "trend"}), ("monitor:gap", {}),
            ("monitor:gap", {"table": "projection"}), ("monitor:figures", {}),
            ("monitor:actions", {}), ("monitor:public", {}),
        ):  # fmt: skip
            for kind in ("csv", "xlsx"):
                response = self.client.get(url(name), {**query, "format": kind})
                self.assertEqual(response.status_code, 200, (name, query, kind))
                self.assertIn("attachment", response["Content-Disposition"], (name, query))
        public = self.client.get(url("monitor:public"), {"format": "csv"})
        self.assertIn("Beesel;GM0889;<5", public.content.decode("utf-8-sig"))
        gap = self.client.get(url("monitor:gap"), {"format": "csv"}).content.decode("utf-8-sig")
        self.assertIn("58900", gap)
