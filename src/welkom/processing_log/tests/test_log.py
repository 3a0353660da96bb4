from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from welkom.organisations.models import Membership
from welkom.organisations.selectors import processing_by
from welkom.organisations.services import USER_ADMINISTRATION
from welkom.processing_log.context import trace_from_traceparent, traced
from welkom.processing_log.models import AppendOnlyError, Entry, SubjectSpan
from welkom.processing_log.querysets import PersonalDataReadWithoutProcessing
from welkom.processing_log.selectors import entries_visible_to
from welkom.processing_log.services import (
    Processing,
    UnknownProcessingActivity,
    data_subject_pseudonym,
    processing_log_write,
)
from welkom.testing import PersonaTestCase

SPAN_TABLE = SubjectSpan._meta.db_table


class PersonalDataQuerySetTests(PersonaTestCase):
    def test_it_refuses_to_read_personal_data_without_a_processing(self) -> None:
        with self.assertRaises(PersonalDataReadWithoutProcessing):
            list(Membership.objects.all())
        with self.assertRaises(PersonalDataReadWithoutProcessing):
            Membership.objects.first()
        with self.assertRaises(PersonalDataReadWithoutProcessing):
            list(Membership.objects.filter(organisation=self.provider).iterator())

    def test_it_counts_without_a_processing(self) -> None:
        self.assertEqual(Membership.objects.count(), 11)
        self.assertEqual(Entry.objects.count(), 0)

    def test_it_writes_an_entry_with_a_span_per_data_subject_read(self) -> None:
        processing = processing_by(self.provider_manager, activity=USER_ADMINISTRATION)
        rows = list(
            Membership.objects.filter(organisation=self.provider).for_processing(processing)
        )
        self.assertEqual(len(rows), 2)
        entry = Entry.objects.get()
        expected = {
            data_subject_pseudonym(subject_type="user", subject_id=row.user_id) for row in rows
        }
        spans = list(SubjectSpan.objects.filter(entry=entry))
        self.assertEqual({bytes(span.subject) for span in spans}, expected)
        self.assertEqual(
            (entry.actor, entry.organisation, entry.action, entry.data_subject_type),
            (self.provider_manager, self.provider, "read", "user"),
        )
        self.assertEqual(entry.activity.code, USER_ADMINISTRATION)
        # A child span per subject, each with an id of its own.
        self.assertEqual(len({span.span_id for span in spans}), 2)
        self.assertTrue(all(len(span.span_id) == 16 for span in spans))

    def test_rows_without_a_subject_make_an_entry_without_spans(self) -> None:
        written = processing_log_write(
            processing=Processing.system(activity=USER_ADMINISTRATION),
            subject_type="user",
            subject_ids=[None, None],
            object_type="user",
        )
        self.assertEqual((written, Entry.objects.count(), SubjectSpan.objects.count()), (0, 1, 0))
        processing_log_write(
            processing=Processing.system(activity=USER_ADMINISTRATION),
            subject_type="user",
            subject_ids=[],
            object_type="user",
        )
        self.assertEqual(Entry.objects.count(), 1)  # nothing read, nothing logged

    def test_it_logs_rows_streamed_with_iterator(self) -> None:
        processing = Processing.system(activity=USER_ADMINISTRATION)
        rows = list(Membership.objects.for_processing(processing).iterator(chunk_size=3))
        self.assertEqual(len(rows), 11)
        # A chunk is a processing: 3 + 3 + 3 + 2 rows.
        self.assertEqual(Entry.objects.filter(actor_label="system").count(), 4)
        self.assertEqual(SubjectSpan.objects.filter(entry__actor_label="system").count(), 11)

    def test_it_never_stores_the_subject_id_itself(self) -> None:
        pseudonym = data_subject_pseudonym(subject_type="person", subject_id=123456782)
        self.assertNotIn(b"123456782", pseudonym)
        self.assertNotIn("123456782", pseudonym.hex())
        self.assertEqual(len(pseudonym), 16)
        self.assertNotEqual(
            pseudonym, data_subject_pseudonym(subject_type="user", subject_id=123456782)
        )

    def test_a_pseudonym_stays_what_earlier_entries_hold(self) -> None:
        # HMAC-SHA256 of "person:42" under this key, as the log has written it since its
        # first entry (in hex, until 0008 kept its first 16 bytes): a faster way to compute
        # it must not make old entries unfindable.
        with self.settings(PSEUDONYM_KEY="fixed-test-key"):
            self.assertEqual(
                data_subject_pseudonym(subject_type="person", subject_id=42).hex(),
                "4bcd9fc04d9375161436c1d711458242",
            )

    def test_it_refuses_an_unregistered_activity(self) -> None:
        with self.assertRaises(UnknownProcessingActivity):
            processing_log_write(
                processing=Processing.system(activity="marketing"),
                subject_type="person",
                subject_ids=[1],
                object_type="person",
            )

    def test_it_continues_a_callers_w3c_trace(self) -> None:
        trace = trace_from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        with traced(trace):
            processing_log_write(
                processing=Processing.system(activity=USER_ADMINISTRATION),
                subject_type="user",
                subject_ids=[1],
                object_type="user",
            )
        entry = Entry.objects.get()
        self.assertEqual(entry.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertEqual(entry.parent_span_id, trace.span_id)


class AppendOnlyTests(PersonaTestCase):
    def setUp(self) -> None:
        processing_log_write(
            processing=Processing.system(activity=USER_ADMINISTRATION),
            subject_type="user",
            subject_ids=[self.outsider.pk],
            object_type="user",
        )
        self.entry = Entry.objects.get()
        self.span = SubjectSpan.objects.get()

    def test_it_refuses_changes_and_deletes_in_the_application(self) -> None:
        self.entry.actor_label = "someone else"
        self.span.subject = b"\x00" * 16
        for row, queryset in ((self.entry, Entry.objects), (self.span, SubjectSpan.objects)):
            with self.subTest(model=type(row).__name__):
                with self.assertRaises(AppendOnlyError):
                    row.save()
                with self.assertRaises(AppendOnlyError):
                    row.delete()
                with self.assertRaises(AppendOnlyError):
                    queryset.all().update(pk=1)
                with self.assertRaises(AppendOnlyError):
                    queryset.all().delete()

    def test_it_refuses_changes_and_deletes_in_the_database(self) -> None:
        statements = []
        for table, column in ((Entry._meta.db_table, "actor_label"), (SPAN_TABLE, "entry_id")):
            statements += [f"UPDATE {table} SET {column} = 0", f"DELETE FROM {table}"]
            if connection.vendor == "postgresql":
                statements.append(f"TRUNCATE {table} CASCADE")
        for statement in statements:
            with (
                self.subTest(statement=statement),
                self.assertRaises(DatabaseError),  # outside atomic(), so the savepoint rolls back
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
        self.assertEqual(Entry.objects.get().actor_label, "system")
        self.assertEqual(SubjectSpan.objects.get().entry_id, self.entry.pk)

    def test_it_keeps_its_triggers_and_only_the_indexes_a_query_uses(self) -> None:
        """0006, 0007 and 0008 rebuild the entries' table on SQLite, which drops triggers:
        they are made again. No foreign-key constraint either (ADR 0011): Django's PROTECT
        guards them."""
        expected = {
            Entry._meta.db_table: (
                {("started_at",), ("organisation_id",)},
                {"processing_log_entry_no_update", "processing_log_entry_no_delete"},
            ),
            SPAN_TABLE: (
                {("entry_id",), ("subject",)},
                {"processing_log_subjectspan_no_update", "processing_log_subjectspan_no_delete"},
            ),
        }
        for table, (indexes, triggers) in expected.items():
            with self.subTest(table=table), connection.cursor() as cursor:
                constraints = connection.introspection.get_constraints(cursor, table)
                if connection.vendor == "sqlite":
                    cursor.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                        [table],
                    )
                    self.assertEqual({name for (name,) in cursor.fetchall()}, triggers)
                indexed = {
                    tuple(c["columns"])
                    for c in constraints.values()
                    if c["index"] and not c["primary_key"]
                }
                self.assertEqual(indexed, indexes)
                foreign = [c["columns"] for c in constraints.values() if c["foreign_key"]]
                self.assertEqual(foreign, [])


class DeletingWhatTheLogNamesTests(PersonaTestCase):
    """A user or organisation named in the log cannot be deleted: the log would have to
    change, which its triggers refuse. The refusal is Django's own, with the reason, rather
    than a database error; a user is deactivated instead."""

    def setUp(self) -> None:
        processing_log_write(
            processing=Processing.by(
                self.venlo_member, activity=USER_ADMINISTRATION, organisation=self.venlo
            ),
            subject_type="user",
            subject_ids=[self.outsider.pk],
            object_type="user",
        )

    def test_it_refuses_to_delete_a_user_or_organisation_the_log_names(self) -> None:
        for named in (self.venlo_member, self.venlo):
            with self.subTest(named=named), self.assertRaises(ProtectedError):
                named.delete()
        entry = Entry.objects.get()
        self.assertEqual((entry.actor, entry.organisation), (self.venlo_member, self.venlo))

    def test_the_admin_says_why_a_user_cannot_be_deleted(self) -> None:
        admin = get_user_model().objects.create_superuser("root", "root@example.test", "pw-long-1")
        self.client.force_login(admin)
        response = self.client.post(
            f"/admin/accounts/user/{self.venlo_member.pk}/delete/", {"post": "yes"}
        )
        self.assertContains(response, "deleted-objects")
        self.assertTrue(get_user_model().objects.filter(pk=self.venlo_member.pk).exists())


class EntryScopingTests(PersonaTestCase):
    def setUp(self) -> None:
        for user, organisation in [
            (self.venlo_member, self.venlo),
            (self.horst_member, self.horst),
        ]:
            processing_log_write(
                processing=Processing.by(
                    user, activity=USER_ADMINISTRATION, organisation=organisation
                ),
                subject_type="user",
                subject_ids=[user.pk],
                object_type="user",
            )

    def test_it_shows_the_province_privacy_officer_everything(self) -> None:
        self.assertEqual(entries_visible_to(self.province_privacy).count(), 2)

    def test_it_shows_a_municipality_privacy_officer_its_own_organisation(self) -> None:
        self.assertEqual(
            list(entries_visible_to(self.venlo_privacy).values_list("actor_label", flat=True)),
            ["venlomember"],
        )

    def test_it_shows_others_nothing(self) -> None:
        for user in [self.venlo_member, self.province_member, self.provider_manager, self.outsider]:
            with self.subTest(user=user.username):
                self.assertEqual(entries_visible_to(user).count(), 0)


class AggregateReadTests(PersonaTestCase):
    def test_it_allows_grouped_counts_without_a_processing_and_logs_nothing(self) -> None:
        from django.db.models import Count

        rows = list(Membership.objects.values("role").annotate(n=Count("pk")).order_by("role"))
        self.assertEqual(sum(row["n"] for row in rows), 11)
        self.assertEqual(Entry.objects.count(), 0)

    def test_it_still_refuses_plain_values_without_a_processing(self) -> None:
        with self.assertRaises(PersonalDataReadWithoutProcessing):
            list(Membership.objects.values("user__email"))
