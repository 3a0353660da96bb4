"""Two figures files at once (two browser tabs, a retried command) on PostgreSQL, where they
really run side by side: the figures are stored once."""

from __future__ import annotations

import unittest

from django.db import connection
from django.test import TransactionTestCase

from welkom.monitor.figures_file import figures_template_csv
from welkom.monitor.models import ExternalFigure
from welkom.monitor.services import figures_import
from welkom.testing import LogFlushAllowed, at_once


@unittest.skipUnless(connection.vendor == "postgresql", "SQLite runs one writer at a time")
class FiguresAtOnceTests(LogFlushAllowed, TransactionTestCase):
    serialized_rollback = True

    def test_the_same_file_four_times_at_once_stores_its_figures_once(self) -> None:
        data = figures_template_csv()
        statuses = at_once([lambda: figures_import(data=data, filename="f.csv").record.status] * 4)
        self.assertEqual(
            sorted(map(str, statuses)), ["applied", "unchanged", "unchanged", "unchanged"]
        )
        once = figures_import(data=data, filename="again.csv")
        self.assertEqual(ExternalFigure.objects.count(), once.unchanged)
