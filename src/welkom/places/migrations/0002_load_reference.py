from django.db import migrations


def load(apps, schema_editor):
    from welkom.places.reference import reference_load

    reference_load(
        region_model=apps.get_model("places", "Region"),
        municipality_model=apps.get_model("places", "Municipality"),
        postcode_model=apps.get_model("places", "PostcodeArea"),
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
