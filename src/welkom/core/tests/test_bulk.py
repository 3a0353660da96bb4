from __future__ import annotations

from datetime import UTC, date, datetime

from django.test import TestCase

from welkom.core.bulk import rows_insert
from welkom.processing_log.models import Entry, ProcessingActivity
from welkom.processing_log.services import ENTRY_COLUMNS


class RowsInsertTests(TestCase):
    def test_values_read_back_as_django_wrote_them(self) -> None:
        activity = ProcessingActivity.objects.filter(active=True).first()
        moment = datetime(2026, 3, 29, 1, 30, 15, 250, tzinfo=UTC)  # the night the clocks change

        def entry(trace: str, actor_label: str) -> tuple:
            return (
                trace,  # trace_id
                "b" * 16,  # span_id
                "",  # parent_span_id
                moment,  # started_at
                None,  # actor
                actor_label,
                None,  # organisation
                activity.pk,
                "read",  # action
                "stay",  # object_type
                "person",  # data_subject_type
                "",  # data_subject_id
                "ok",  # status
            )

        rows_insert(
            Entry, ENTRY_COLUMNS, [entry("a" * 32, "system"), entry("c" * 32, "Łucja Ściana")]
        )
        entries = list(Entry.objects.order_by("trace_id"))
        self.assertEqual([e.started_at for e in entries], [moment, moment])
        self.assertEqual([e.actor_label for e in entries], ["system", "Łucja Ściana"])
        # Found by a date lookup as entries saved by Django are.
        self.assertEqual(Entry.objects.filter(started_at__date=date(2026, 3, 29)).count(), 2)

    def test_nothing_to_insert_is_no_query(self) -> None:
        with self.assertNumQueries(0):
            rows_insert(Entry, ("trace_id",), [])
