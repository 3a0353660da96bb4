"""The log's references to the actor, the organisation and the activity are no longer
database constraints (ADR 0011): Django still refuses to delete what the log names
(PROTECT), and the writer takes every reference from a row that exists. Checking three
references for each of a day's hundred thousand entries at commit was most of the time
an import spent committing.

On SQLite, changing a foreign key rebuilds the table and drops its triggers: the
append-only triggers of 0002 are made again at the end, and again after a rebuild when
this migration is unapplied (as in 0006). PostgreSQL drops the constraints in place."""

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
        ("processing_log", "0006_lean_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplying runs this last, after the table was rebuilt again.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again),
        migrations.AlterField(
            model_name="entry",
            name="activity",
            field=models.ForeignKey(
                db_constraint=False,
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
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="entry",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop),
    ]
