from django.db import migrations

# Refuse UPDATE and DELETE of log entries in the database itself, on both engines.
POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION processing_log_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'processing log entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON processing_log_entry
    FOR EACH ROW EXECUTE FUNCTION processing_log_entry_append_only();
-- TRUNCATE of a log that holds entries is refused too; truncating an empty log removes
-- nothing, and Django's test runner does it between live-server tests.
CREATE OR REPLACE FUNCTION processing_log_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM processing_log_entry) THEN
        RAISE EXCEPTION 'processing log entries are append-only';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_entry_no_truncate
    BEFORE TRUNCATE ON processing_log_entry
    FOR EACH STATEMENT EXECUTE FUNCTION processing_log_entry_no_truncate();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS processing_log_entry_no_update_or_delete ON processing_log_entry;
DROP TRIGGER IF EXISTS processing_log_entry_no_truncate ON processing_log_entry;
DROP FUNCTION IF EXISTS processing_log_entry_append_only();
DROP FUNCTION IF EXISTS processing_log_entry_no_truncate();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER processing_log_entry_no_update BEFORE UPDATE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
    """CREATE TRIGGER processing_log_entry_no_delete BEFORE DELETE ON processing_log_entry
       BEGIN SELECT RAISE(ABORT, 'processing log entries are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS processing_log_entry_no_update;",
    "DROP TRIGGER IF EXISTS processing_log_entry_no_delete;",
]


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


def register_load(apps, schema_editor):
    from welkom.processing_log.activities import ACTIVITIES

    ProcessingActivity = apps.get_model("processing_log", "ProcessingActivity")
    for activity in ACTIVITIES:
        ProcessingActivity.objects.get_or_create(
            code=activity["code"], version=1, defaults={k: v for k, v in activity.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("processing_log", "0001_initial")]
    operations = [
        migrations.RunPython(triggers_create, triggers_drop),
        migrations.RunPython(register_load, migrations.RunPython.noop),
    ]
