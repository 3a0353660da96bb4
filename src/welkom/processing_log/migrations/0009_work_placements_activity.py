from django.db import migrations


def register_load(apps, schema_editor):
    """Add the activities that are new since 0003 (get_or_create: nothing changes twice)."""
    from welkom.processing_log.activities import ACTIVITIES

    ProcessingActivity = apps.get_model("processing_log", "ProcessingActivity")
    for activity in ACTIVITIES:
        ProcessingActivity.objects.get_or_create(
            code=activity["code"],
            version=1,
            defaults={k: v for k, v in activity.items() if k != "code"},
        )


class Migration(migrations.Migration):
    dependencies = [("processing_log", "0008_subject_spans")]
    operations = [migrations.RunPython(register_load, migrations.RunPython.noop)]
