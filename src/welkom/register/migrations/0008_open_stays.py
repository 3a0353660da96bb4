"""Open stays (ADR 0010): a stay whose person the location still lists has no check-out.

Every location gets `listed_through`, the last night it has listed (its latest occupancy);
then per person the latest stay that ends the night after its location's `listed_through`
becomes open. The nights of every stay stay the same. On PostgreSQL the exclusion
constraint now covers closed stays only: it cannot see where an open stay ends."""

from collections import defaultdict
from datetime import timedelta

from django.db import migrations, models
from django.db.models import Max

ONE_DAY = timedelta(days=1)

EXCLUSION_CLOSED = """ALTER TABLE register_stay ADD CONSTRAINT stay_one_place_per_night
    EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out, '[)') WITH &&)
    WHERE (check_out IS NOT NULL)"""
EXCLUSION_ALL = """ALTER TABLE register_stay ADD CONSTRAINT stay_one_place_per_night
    EXCLUDE USING gist (person_id WITH =, daterange(check_in, check_out, '[)') WITH &&)"""
EXCLUSION_DROP = "ALTER TABLE register_stay DROP CONSTRAINT IF EXISTS stay_one_place_per_night"


def exclusion_closed_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION_DROP)
        schema_editor.execute(EXCLUSION_CLOSED)


def exclusion_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUSION_DROP)
        schema_editor.execute(EXCLUSION_ALL)


def stays_opened(apps, schema_editor):
    Location = apps.get_model("housing", "Location")
    Occupancy = apps.get_model("register", "Occupancy")
    Stay = apps.get_model("register", "Stay")
    last_nights = dict(
        Occupancy.objects.values("location_id")
        .annotate(last=Max("night"))
        .values_list("location_id", "last")
        .order_by()
    )
    for location_id, night in last_nights.items():
        Location.objects.filter(pk=location_id).update(listed_through=night)
    latest: dict[int, int] = {}
    for pk, person_id, location_id, check_in, check_out in Stay.objects.values_list(
        "pk", "person_id", "location_id", "check_in", "check_out"
    ).order_by("check_in"):
        night = last_nights.get(location_id)
        if night is not None and check_out == night + ONE_DAY:
            latest[person_id] = pk  # ordered by check-in: the latest one wins
    pks = list(latest.values())
    for start in range(0, len(pks), 5000):
        Stay.objects.filter(pk__in=pks[start : start + 5000]).update(check_out=None)


def stays_closed(apps, schema_editor):
    Stay = apps.get_model("register", "Stay")
    through = defaultdict(lambda: None)
    Location = apps.get_model("housing", "Location")
    through.update(Location.objects.values_list("pk", "listed_through"))
    for pk, location_id, check_in in Stay.objects.filter(check_out__isnull=True).values_list(
        "pk", "location_id", "check_in"
    ):
        night = through[location_id]
        end = night + ONE_DAY if night is not None and night >= check_in else check_in + ONE_DAY
        Stay.objects.filter(pk=pk).update(check_out=end)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0006_location_listed_through"),
        ("register", "0007_fewer_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="stay", name="stay_at_least_one_night"),
        migrations.AlterField(
            model_name="stay",
            name="check_out",
            field=models.DateField(blank=True, null=True, verbose_name="day of departure"),
        ),
        migrations.RunPython(exclusion_closed_only, exclusion_all),
        migrations.RunPython(stays_opened, stays_closed),
        migrations.AddIndex(
            model_name="stay",
            index=models.Index(
                condition=models.Q(("check_out__isnull", True)),
                fields=["location"],
                name="stay_open_at",
            ),
        ),
        migrations.AddConstraint(
            model_name="stay",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("check_out__isnull", True),
                    ("check_out__gt", models.F("check_in")),
                    _connector="OR",
                ),
                name="stay_at_least_one_night",
            ),
        ),
        migrations.AddConstraint(
            model_name="stay",
            constraint=models.UniqueConstraint(
                condition=models.Q(("check_out__isnull", True)),
                fields=("person",),
                name="stay_one_open",
            ),
        ),
    ]
