"""The occupancy profile (0004) as spans of nights with the same count, instead of a row per
night: the same figures in about a seventeenth of the rows (ADR 0009). The rows there are
become spans here; nothing is read but the profile itself."""

from datetime import timedelta

from django.db import migrations, models

BATCH = 5_000
ONE_DAY = timedelta(days=1)


def spans_from_nights(rows):
    """(location id, night, registration, group, persons) rows → (location id, registration,
    group, first night, end night, persons): consecutive nights with the same count joined."""
    spans = []
    current = None
    for location_id, night, registration, group, persons in sorted(
        rows, key=lambda row: (row[0], row[2], row[3], row[1])
    ):
        key = (location_id, registration, group)
        if current and current[0] == key and current[2] == night and current[3] == persons:
            current[2] = night + ONE_DAY
        else:
            if current:
                spans.append((*current[0], current[1], current[2], current[3]))
            current = [key, night, night + ONE_DAY, persons]
    if current:
        spans.append((*current[0], current[1], current[2], current[3]))
    return spans


def to_spans(apps, schema_editor):
    profile = apps.get_model("register", "OccupancyProfile")
    if schema_editor.connection.vendor == "postgresql":
        # The new rows' foreign keys are checked now, so that the table can be altered below
        # in the same transaction ("pending trigger events" otherwise).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rows = list(
        profile.objects.values_list(
            "location_id", "night", "registration", "nationality_group", "persons"
        )
    )
    profile.objects.all().delete()
    profile.objects.bulk_create(
        [
            profile(
                location_id=location_id,
                night=first,
                first_night=first,
                end_night=end,
                registration=registration,
                nationality_group=group,
                persons=persons,
            )
            for location_id, registration, group, first, end, persons in spans_from_nights(rows)
        ],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [("register", "0005_occupancy_profile_backfill")]

    operations = [
        migrations.RemoveConstraint(model_name="occupancyprofile", name="occupancy_profile_once"),
        migrations.AddField(
            model_name="occupancyprofile",
            name="first_night",
            field=models.DateField(null=True, verbose_name="first night"),
        ),
        migrations.AddField(
            model_name="occupancyprofile",
            name="end_night",
            field=models.DateField(null=True, verbose_name="first night after"),
        ),
        migrations.RunPython(to_spans, migrations.RunPython.noop),
        migrations.RemoveField(model_name="occupancyprofile", name="night"),
        migrations.AlterField(
            model_name="occupancyprofile",
            name="first_night",
            field=models.DateField(verbose_name="first night"),
        ),
        migrations.AlterField(
            model_name="occupancyprofile",
            name="end_night",
            field=models.DateField(verbose_name="first night after"),
        ),
        migrations.AlterModelOptions(
            name="occupancyprofile",
            options={
                "ordering": ["first_night"],
                "verbose_name": "occupancy profile",
                "verbose_name_plural": "occupancy profiles",
            },
        ),
        migrations.AddConstraint(
            model_name="occupancyprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(end_night__gt=models.F("first_night")),
                name="occupancy_profile_span",
            ),
        ),
    ]
