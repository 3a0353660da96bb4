"""External figures: the template, every kind of bad input, all or nothing, idempotent."""

from __future__ import annotations

from django.test import TestCase
from django.utils import translation

from welkom.monitor.figures_file import figures_template_csv
from welkom.monitor.models import ExternalFigure, FiguresImport
from welkom.monitor.services import figures_import, figures_import_remove

HEADER = "indicator,area_code,period,scenario,value,source\n"


def send(text: str):
    return figures_import(data=(HEADER + text).encode(), filename="figures.csv")


class FiguresImportTests(TestCase):
    def setUp(self):
        translation.activate("en")  # the messages are checked in English
        self.addCleanup(translation.deactivate)

    def test_the_template_imports(self):
        summary = figures_import(data=figures_template_csv(), filename="template.csv")
        self.assertEqual((summary.added, summary.problems), (2, []))

    def test_every_problem_is_reported_by_row_and_nothing_is_imported(self):
        summary = send(
            "workers,PV31,2018,,75100,Decisio\n"  # row 2: fine
            "workers,GM9999,2018,,10,Decisio\n"  # row 3: unknown area
            "workers,PV31,2019-03,,10,Decisio\n"  # row 4: a month where row 2 wrote a year
            "workers,GM0983,2018,,-5,Decisio\n"  # row 5: negative count
            "workers,PV31,2018,,75100,Decisio\n"  # row 6: duplicate of row 2
            "workers,PV31,31-12-2018,,1,Decisio\n"  # row 7: not a period
            "unicorns,PV31,2018,,1,Decisio\n"  # row 8: unknown indicator
            "workers,NL01,2018,,75.100,Decisio\n"  # row 9: thousands separator
        )
        found = {(p.row, p.column) for p in summary.problems}
        self.assertEqual(
            found,
            {(3, "area_code"), (4, "period"), (5, "value"), (6, "indicator"), (7, "period"),
             (8, "indicator"), (9, "value")},
        )  # fmt: skip
        messages = " ".join(p.text for p in summary.problems)
        self.assertIn("GM9999", messages)
        self.assertIn("written in two ways", messages)
        self.assertIn("cannot be negative", messages)
        self.assertIn("as row 2", messages)
        self.assertEqual(ExternalFigure.objects.count(), 0)
        # Refused, and on record with why (a tracked import).
        record = FiguresImport.objects.get()
        self.assertEqual((record.status, record.counts["added"]), ("rejected", 0))
        self.assertEqual(len(record.problems), len(summary.problems))

    def test_a_source_that_turns_the_text_direction_is_refused(self):
        summary = send("workers,PV31,2018,,75100,\u202eoicsed\n")  # shows as "Decisio"
        self.assertEqual(
            [(p.row, p.column) for p in summary.problems], [(2, "source")], summary.problems
        )
        self.assertIn("turn the direction", summary.problems[0].text)
        self.assertEqual(ExternalFigure.objects.count(), 0)

    def test_sending_the_same_file_twice_changes_nothing(self):
        text = "workers,PV31,2018,,75100,Decisio\nworkers_growth,PV31,2010/2018,,47,Decisio\n"
        first, second = send(text), send(text)
        self.assertEqual((first.added, second.added, second.unchanged), (2, 0, 2))
        self.assertEqual(
            list(FiguresImport.objects.order_by("pk").values_list("status", flat=True)),
            ["applied", "unchanged"],
        )
        self.assertEqual(second.record.counts, {"rows": 2, "added": 0, "unchanged": 2})

    def test_another_value_for_a_figure_already_there_is_refused_until_removed(self):
        send("workers,PV31,2018,,75100,Decisio\n")
        changed = send("workers,PV31,2018,,76000,Decisio\n")
        self.assertIn("already has this figure", changed.problems[0].text)
        figures_import_remove(FiguresImport.objects.get(status="applied"))
        self.assertEqual(send("workers,PV31,2018,,76000,Decisio\n").added, 1)

    def test_a_growth_may_be_negative_but_a_count_not_and_scenarios_differ(self):
        summary = send(
            "workers_growth,PV31,2010/2018,,-3,Decisio\n"
            "workers,PV31,2030,base,87900,Decisio\nworkers,PV31,2030,before Covid,120000,Decisio\n"
        )
        self.assertEqual((summary.added, summary.problems), (3, []))

    def test_empty_and_unreadable_files_get_a_clear_message(self):
        self.assertIn("no figures", send("").problems[0].text)
        binary = figures_import(data=b"\x00\x01\x02", filename="x.csv")
        self.assertIn("neither a CSV", binary.problems[0].text)
        headless = figures_import(data=b"a,b\n1,2\n", filename="x.csv")
        self.assertIn("missing", headless.problems[0].text)

    def test_thousands_separators_and_too_many_decimals_are_refused(self):
        summary = send(
            'workers,PV31,2018,,120.000,D\nworkers,PV31,2019,,"75,000",D\n'
            "workers_growth,PV31,2010/2018,,1.234,D\nworkers,PV31,2020,,1000000000000000,D\n"
        )
        self.assertEqual([p.row for p in summary.problems], [2, 3, 4, 5])
        self.assertEqual(ExternalFigure.objects.count(), 0)

    def test_a_growth_has_a_range_and_other_figures_have_none(self):
        summary = send("workers_growth,PV31,2018,,3,D\nworkers,PV31,2010/2018,,3,D\n")
        self.assertEqual(
            [(p.row, p.column) for p in summary.problems], [(2, "period"), (3, "period")]
        )

    def test_scenarios_differing_in_case_are_the_same_and_long_values_are_refused(self):
        summary = send("workers,PV31,2030,Base,1,D\nworkers,PV31,2030,base ,2,D\n")
        self.assertIn("as row 2", summary.problems[0].text)
        long = send(f"workers,PV31,2030,{'x' * 61},1,D\n")
        self.assertEqual(long.problems[0].column, "scenario")

    def test_another_vintage_is_a_change_and_periods_stay_one_way_across_files(self):
        figures_import(
            data=(HEADER.strip() + ",vintage\nworkers,PV31,2018,,75100,D,2020\n").encode(),
            filename="a.csv",
        )
        newer = figures_import(
            data=(HEADER.strip() + ",vintage\nworkers,PV31,2018,,75100,D,2024\n").encode(),
            filename="b.csv",
        )
        self.assertIn("already has this figure", newer.problems[0].text)
        monthly = send("workers,PV31,2019-07,,1,D\n")
        self.assertIn("the same way in every file", monthly.problems[0].text)
