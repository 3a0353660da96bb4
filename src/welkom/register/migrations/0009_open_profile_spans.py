"""Open occupancy-profile spans (ADR 0013): the span that runs to its location's last listed
night has no end night, as an open stay has no check-out, so that a night on which a
location's counts stay the same writes no span. The nights of every span stay the same."""

from datetime import timedelta

from django.db import migrations, models

ONE_DAY = timedelta(days=1)


def spans_opened(apps, schema_editor):
    Location = apps.get_model("housing", "Location")
    OccupancyProfile = apps.get_model("register", "OccupancyProfile")
    for location_id, through in Location.objects.filter(listed_through__isnull=False).values_list(
        "pk", "listed_through"
    ):
        OccupancyProfile.objects.filter(
            location_id=location_id, end_night=through + ONE_DAY
        ).update(end_night=None)


def spans_closed(apps, schema_editor):
    Location = apps.get_model("housing", "Location")
    OccupancyProfile = apps.get_model("register", "OccupancyProfile")
    for location_id, through in Location.objects.values_list("pk", "listed_through"):
        spans = OccupancyProfile.objects.filter(location_id=location_id, end_night__isnull=True)
        if through is None:
            for span in spans:
                span.end_night = span.first_night + ONE_DAY
                span.save(update_fields=["end_night"])
        else:
            spans.update(end_night=through + ONE_DAY)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0006_location_listed_through"),
        ("register", "0008_open_stays"),
    ]

    operations = [
        migrations.AlterField(
            model_name="occupancyprofile",
            name="end_night",
            field=models.DateField(blank=True, null=True, verbose_name="first night after"),
        ),
        migrations.RunPython(spans_opened, spans_closed),
    ]
