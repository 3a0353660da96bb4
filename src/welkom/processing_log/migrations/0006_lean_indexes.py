"""Only the indexes a query uses: the time (search by time, newest first), the
organisation (`visible_to`) and one composite index of the data subject with the time
(search by subject, newest first). The indexes on the trace, the subject alone, the actor
and the activity go: no query uses them, and every import kept them up.

On SQLite, changing a foreign key rebuilds the table and drops its triggers: the
append-only triggers of 0002 are made again at the end, and again after a rebuild when
this migration is unapplied. PostgreSQL drops the indexes in place; its triggers stay."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# As in 0002_register_and_append_only, SQLite only.
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS processing_log_entry_no_update;",
    "DROP TRIGGER IF EXISTS processing_log_entry_no_delete;",
    """CREATE TRIGGER processing_log_entry_no_update BEFORE UPDATE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
    """CREATE TRIGGER processing_log_entry_no_delete BEFORE DELETE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
]


def sqlite_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("processing_log", "0005_keep_who_the_history_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplying runs this last, after the table was rebuilt again.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again),
        migrations.RemoveIndex(model_name="entry", name="entry_trace"),
        migrations.RemoveIndex(model_name="entry", name="entry_data_subject"),
        migrations.AlterField(
            model_name="entry",
            name="activity",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="processing_log.processingactivity",
                verbose_name="processing activity",
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["data_subject_id", "started_at"], name="entry_subject_time"),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop),
    ]
