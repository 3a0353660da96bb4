"""A processing's data subjects become its child spans in a lean table of their own
(ADR 0015): an entry per processing, a `SubjectSpan` (entry, 16-byte pseudonym) per
subject. Until now every entry held one subject and repeated every other column.

Each existing entry keeps its subject as a span of its own, with the first 16 bytes of its
pseudonym (the pseudonym the search computes now). The subject column and its index go.
The new table is append-only as the entries: a trigger on PostgreSQL and on SQLite. On
SQLite, removing a column rebuilds the table and drops its triggers: the entries' triggers
of 0002 are made again (as in 0007)."""

import django.db.models.deletion
from django.db import migrations, models

ENTRY_TRIGGERS_SQLITE = [
    "DROP TRIGGER IF EXISTS processing_log_entry_no_update;",
    "DROP TRIGGER IF EXISTS processing_log_entry_no_delete;",
    """CREATE TRIGGER processing_log_entry_no_update BEFORE UPDATE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
    """CREATE TRIGGER processing_log_entry_no_delete BEFORE DELETE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
]
SPAN_TRIGGERS_SQLITE = [
    """CREATE TRIGGER processing_log_subjectspan_no_update
       BEFORE UPDATE ON processing_log_subjectspan
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
    """CREATE TRIGGER processing_log_subjectspan_no_delete
       BEFORE DELETE ON processing_log_subjectspan
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
]
SPAN_TRIGGERS_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS processing_log_subjectspan_no_update;",
    "DROP TRIGGER IF EXISTS processing_log_subjectspan_no_delete;",
]
# The row function of 0002 serves both tables; TRUNCATE gets a function per table, because
# it asks whether that table holds rows (an empty table may be truncated, as Django's test
# runner does between live-server tests).
SPAN_TRIGGERS_POSTGRESQL = """
CREATE TRIGGER processing_log_subjectspan_no_update_or_delete
    BEFORE UPDATE OR DELETE ON processing_log_subjectspan
    FOR EACH ROW EXECUTE FUNCTION processing_log_entry_append_only();
CREATE OR REPLACE FUNCTION processing_log_subjectspan_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM processing_log_subjectspan) THEN
        RAISE EXCEPTION 'processing log entries are append-only';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_subjectspan_no_truncate
    BEFORE TRUNCATE ON processing_log_subjectspan
    FOR EACH STATEMENT EXECUTE FUNCTION processing_log_subjectspan_no_truncate();
"""
SPAN_TRIGGERS_POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS processing_log_subjectspan_no_update_or_delete
    ON processing_log_subjectspan;
DROP TRIGGER IF EXISTS processing_log_subjectspan_no_truncate ON processing_log_subjectspan;
DROP FUNCTION IF EXISTS processing_log_subjectspan_no_truncate();
"""


def subjects_copy(apps, schema_editor):
    """Every entry's subject as its span: the first 16 bytes of its pseudonym."""
    Entry = apps.get_model("processing_log", "Entry")
    SubjectSpan = apps.get_model("processing_log", "SubjectSpan")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO processing_log_subjectspan (entry_id, subject) "
            "SELECT id, substring(decode(data_subject_id, 'hex') FROM 1 FOR 16) "
            "FROM processing_log_entry WHERE data_subject_id <> '' ORDER BY id"
        )
        return
    entries = Entry.objects.exclude(data_subject_id="").order_by("pk")
    batch = []
    for pk, pseudonym in entries.values_list("pk", "data_subject_id").iterator(chunk_size=5000):
        batch.append(SubjectSpan(entry_id=pk, subject=bytes.fromhex(pseudonym)[:16]))
        if len(batch) >= 5000:
            SubjectSpan.objects.bulk_create(batch)
            batch = []
    SubjectSpan.objects.bulk_create(batch)


def span_triggers_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SPAN_TRIGGERS_POSTGRESQL)
        return
    for statement in SPAN_TRIGGERS_SQLITE:
        schema_editor.execute(statement)


def span_triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SPAN_TRIGGERS_POSTGRESQL_DROP)
        return
    for statement in SPAN_TRIGGERS_SQLITE_DROP:
        schema_editor.execute(statement)


def entry_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in ENTRY_TRIGGERS_SQLITE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("processing_log", "0007_references_without_constraints"),
    ]

    operations = [
        # Unapplying runs this last, after the entries' table was rebuilt again.
        migrations.RunPython(migrations.RunPython.noop, entry_triggers_again),
        migrations.CreateModel(
            name="SubjectSpan",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "subject",
                    models.BinaryField(max_length=16, verbose_name="data subject (pseudonym)"),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="subjects",
                        to="processing_log.entry",
                        verbose_name="processing log entry",
                    ),
                ),
            ],
            options={
                "verbose_name": "data subject of a processing",
                "verbose_name_plural": "data subjects of processings",
                "default_permissions": ("view",),
                "indexes": [models.Index(fields=["subject"], name="subject_span_subject")],
            },
        ),
        # Forward only: unapplying keeps the entries' subjects out of the old column (an
        # entry may now have many), and the spans go with their table.
        migrations.RunPython(subjects_copy, migrations.RunPython.noop),
        migrations.RunPython(span_triggers_create, span_triggers_drop),
        migrations.RemoveIndex(model_name="entry", name="entry_subject_time"),
        migrations.RemoveField(model_name="entry", name="data_subject_id"),
        migrations.RunPython(entry_triggers_again, migrations.RunPython.noop),
    ]
