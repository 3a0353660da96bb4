from django.db import migrations


def load(apps, schema_editor):
    from welkom.monitor.actions import actions_load

    actions_load(apps.get_model("monitor", "PolicyAction"))


class Migration(migrations.Migration):
    dependencies = [("monitor", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
