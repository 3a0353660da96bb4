from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import skipUnless

import polars as pl
from django.db import connection
from django.test import TestCase

from welkom.lib.bulk import (
    ids_table,
    in_table,
    rows_delete,
    rows_frame,
    rows_insert,
    rows_update,
    temporary_table,
)
from welkom.processing_log.models import Entry, ProcessingActivity, SubjectSpan
from welkom.register.models import Occupancy

ENTRY_COLUMNS = (
    "trace_id",
    "span_id",
    "parent_span_id",
    "started_at",
    "actor",
    "actor_label",
    "organisation",
    "activity",
    "action",
    "object_type",
    "data_subject_type",
    "status",
)


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

    def test_bytes_read_back_as_written(self) -> None:
        activity = ProcessingActivity.objects.filter(active=True).first()
        entry = Entry.objects.create(
            trace_id="d" * 32, span_id="e" * 16, actor_label="system", activity=activity
        )
        pseudonyms = [bytes(range(16)), b"\x00" * 16, b"\xff" * 15 + b"\\"]
        rows_insert(SubjectSpan, ("entry", "subject"), [(entry.pk, p) for p in pseudonyms])
        self.assertEqual(
            [
                bytes(s)
                for s in SubjectSpan.objects.order_by("pk").values_list("subject", flat=True)
            ],
            pseudonyms,
        )
        self.assertEqual(SubjectSpan.objects.filter(subject=b"\x00" * 16).count(), 1)

    def test_nothing_to_insert_is_no_query(self) -> None:
        with self.assertNumQueries(0):
            rows_insert(Entry, ("trace_id",), [])


class RowsFrameTests(TestCase):
    def test_values_come_back_as_stored(self) -> None:
        rows = [
            (1, "", date(2026, 1, 31), None),
            (2, 'a, "quoted" room\nover two lines', None, "Łódź"),
            (3, "\\N", date(2026, 2, 28), ""),
        ]
        with (
            temporary_table(
                [("n", "bigint"), ("room", "text"), ("night", "date"), ("place", "text")], rows
            ) as table,
            connection.cursor() as cursor,
        ):
            frame = rows_frame(
                cursor,
                f"SELECT n, room, night, place FROM {table} ORDER BY n",
                {"n": pl.Int64, "room": pl.String, "night": pl.Date, "place": pl.String},
            )
        self.assertEqual(frame.rows()[:2], rows[:2])
        # A text that reads as the null marker is not lost silently: it is null or itself.
        self.assertIn(frame.rows()[2][1], (None, "\\N"))
        self.assertEqual(frame.rows()[2][2:], rows[2][2:])

    def test_no_rows_is_an_empty_frame_with_the_schema(self) -> None:
        with temporary_table([("n", "bigint")], []) as table, connection.cursor() as cursor:
            frame = rows_frame(cursor, f"SELECT n FROM {table}", {"n": pl.Int64})
        self.assertEqual((frame.height, frame.schema), (0, pl.Schema({"n": pl.Int64})))


class RowsUpdateTests(TestCase):
    def test_it_sets_the_given_columns_of_the_given_rows_only(self) -> None:
        from welkom.register.models import Signal

        def signal(key: str) -> Signal:
            return Signal.internal.create(
                key=key,
                rule="departure",
                source="test",
                since=date(2026, 1, 1),
                explanation="test",
                parameters={"nights": 1},
                first_seen=date(2026, 1, 1),
                last_seen=date(2026, 1, 1),
            )

        first, second = signal("a"), signal("b")
        rows_update(
            Signal,
            ["deadline", "overdue", "parameters"],
            [(first.pk, date(2026, 2, 3), True, '{"nights": 2, "name": "Łucja"}')],
        )
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(
            (first.deadline, first.overdue, first.parameters, first.since),
            (date(2026, 2, 3), True, {"nights": 2, "name": "Łucja"}, date(2026, 1, 1)),
        )
        self.assertEqual(
            (second.deadline, second.overdue, second.parameters), (None, False, {"nights": 1})
        )

    def test_nothing_to_update_is_no_query(self) -> None:
        from welkom.register.models import Signal

        with self.assertNumQueries(0):
            rows_update(Signal, ["overdue"], [])


class TemporaryTableTests(TestCase):
    def test_a_filter_through_an_id_table_finds_what_an_id_list_finds(self) -> None:
        activity = ProcessingActivity.objects.filter(active=True).first()
        ids = [
            Entry.objects.create(
                trace_id=f"{n:032x}", span_id="b" * 16, activity=activity, action="read"
            ).pk
            for n in range(5)
        ]
        with ids_table([ids[1], ids[3], ids[3], 999_999]) as table:
            found = set(Entry.objects.filter(pk__in=in_table(table)).values_list("pk", flat=True))
        self.assertEqual(found, {ids[1], ids[3]})

    def test_rows_of_several_columns_and_types_come_back_as_they_went_in(self) -> None:
        rows = [(1, date(2026, 3, 29), "Łucja"), (2, date(2026, 12, 31), "")]
        columns = [("n", "bigint"), ("night", "date"), ("name", "text")]
        with temporary_table(columns, rows) as table, connection.cursor() as cursor:
            cursor.execute(f"SELECT n, night, name FROM {table} ORDER BY n")
            read = [(n, _as_date(night), name) for n, night, name in cursor.fetchall()]
        self.assertEqual(read, rows)

    def test_the_table_is_empty_after_the_block(self) -> None:
        with ids_table([1, 2]) as table:
            pass
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            self.assertEqual(cursor.fetchone()[0], 0)

    def test_a_block_inside_a_block_with_the_same_columns_has_its_own_table(self) -> None:
        with ids_table([1, 2]) as outer, ids_table([3]) as inner:
            self.assertNotEqual(outer, inner)
            self.assertEqual(set(_ids(outer)), {1, 2})
            self.assertEqual(set(_ids(inner)), {3})
        with ids_table([4]) as again:
            self.assertEqual(set(_ids(again)), {4})

    def test_rows_left_by_a_block_that_failed_are_not_read_by_the_next(self) -> None:
        with self.assertRaises(ZeroDivisionError), ids_table([1, 2]):
            1 / 0  # noqa: B018
        with ids_table([3]) as table:
            self.assertEqual(set(_ids(table)), {3})

    @skipUnless(connection.vendor == "postgresql", "PostgreSQL keeps a dropped table's lock")
    def test_many_blocks_in_one_transaction_hold_no_more_locks_than_one(self) -> None:
        """A table made and dropped per block held its lock until the transaction's end:
        an import of thousands of blocks ran out of lock slots ("out of shared memory")."""

        def locks() -> int:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid()")
                return cursor.fetchone()[0]

        def blocks(n: int) -> None:
            with ids_table([n]), temporary_table([("n", "bigint")], [(n,)]):
                pass

        blocks(0)
        before = locks()
        for n in range(1, 40):
            blocks(n)
        self.assertEqual(locks(), before)


def _ids(table: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table}")
        return [row[0] for row in cursor.fetchall()]


class RowsDeleteAndKeysTests(TestCase):
    def test_rows_delete_removes_exactly_the_given_rows(self) -> None:
        locations = _occupancy_rows(4)
        rows_delete(Occupancy, [locations[0], locations[2]])
        self.assertEqual(
            set(Occupancy.objects.values_list("pk", flat=True)), {locations[1], locations[3]}
        )

    @skipUnless(connection.vendor == "postgresql", "primary keys are returned on PostgreSQL")
    def test_returned_keys_are_the_new_rows_in_order(self) -> None:
        activity = ProcessingActivity.objects.filter(active=True).first()
        keys = rows_insert(
            Entry,
            ENTRY_COLUMNS,
            [
                (
                    f"{n:032x}",  # trace_id
                    "c" * 16,  # span_id
                    "",  # parent_span_id
                    datetime.now(UTC),
                    None,  # actor
                    "system",
                    None,  # organisation
                    activity.pk,
                    "read",
                    "stay",
                    "person",
                    "ok",
                )
                for n in range(3)
            ],
            returning="id",
        )
        self.assertEqual(
            [Entry.objects.get(pk=key).trace_id for key in keys],
            [f"{n:032x}" for n in range(3)],
        )


def _occupancy_rows(how_many: int) -> list[int]:
    from welkom.housing.models import Location
    from welkom.housing.services import location_register
    from welkom.organisations.models import Organisation

    provider = Organisation.objects.create(name="P", kind="housing_provider", kvk_number="12345678")
    location = location_register(
        provider=provider, code="V1", street="A", number="1", postcode="5912AB"
    )
    assert isinstance(location, Location)
    return [
        Occupancy.objects.create(location=location, night=date(2026, 11, d + 1), persons=1).pk
        for d in range(how_many)
    ]


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value
