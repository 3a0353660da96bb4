from django.db import migrations

# Inspections are history: refuse UPDATE and DELETE in the database itself, on both engines
# (as the processing log does). A correction is a new inspection.
POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION housing_inspection_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'inspections are history: record a new one instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER housing_inspection_no_update_or_delete
    BEFORE UPDATE OR DELETE ON housing_inspection
    FOR EACH ROW EXECUTE FUNCTION housing_inspection_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS housing_inspection_no_update_or_delete ON housing_inspection;
DROP FUNCTION IF EXISTS housing_inspection_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER housing_inspection_no_update BEFORE UPDATE ON housing_inspection
       BEGIN SELECT RAISE(ABORT, 'inspections are history: record a new one instead'); END;""",
    """CREATE TRIGGER housing_inspection_no_delete BEFORE DELETE ON housing_inspection
       BEGIN SELECT RAISE(ABORT, 'inspections are history: record a new one instead'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS housing_inspection_no_update;",
    "DROP TRIGGER IF EXISTS housing_inspection_no_delete;",
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


class Migration(migrations.Migration):
    dependencies = [("housing", "0003_municipal_rule_required_marks")]
    operations = [migrations.RunPython(triggers_create, triggers_drop)]
