from django.db import migrations

# A person cannot be in two places on one night. PostgreSQL enforces it with an exclusion
# constraint over the stay's nights; SQLite has none, and the import checks it in code.
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE register_stay ADD CONSTRAINT stay_one_place_per_night
       EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out, '[)') WITH &&)""",
]
BACKWARD = ["ALTER TABLE register_stay DROP CONSTRAINT IF EXISTS stay_one_place_per_night"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
