"""Fill the occupancy profile (0004) for the nights imported before it existed, so that the
monitor's breakdowns add up for every night. Reads the stays and their persons once, here;
from now on the import keeps the profile. The registration counted is each person's as it is
now, as the import does for the nights of a list."""

from collections import Counter
from datetime import timedelta

from django.db import migrations

BATCH = 5_000


def profile_counts(stays, *, covered) -> Counter:
    """(location id, night, registration, group) → persons, for the covered (location, night)
    pairs, from (location id, check-in, check-out, registration, nationality) of stays."""
    from welkom.register.countries import nationality_group

    counts: Counter = Counter()
    for location_id, check_in, check_out, registration, nationality in stays:
        group = nationality_group(nationality)
        night = check_in
        while night < check_out:
            if (location_id, night) in covered:
                counts[(location_id, night, registration, group)] += 1
            night += timedelta(days=1)
    return counts


def backfill(apps, schema_editor):
    occupancy = apps.get_model("register", "Occupancy")
    profile = apps.get_model("register", "OccupancyProfile")
    stay = apps.get_model("register", "Stay")
    if profile.objects.exists() or not occupancy.objects.exists():
        return
    covered = set(occupancy.objects.values_list("location_id", "night"))
    rows = stay.objects.values_list(
        "location_id", "check_in", "check_out", "person__registration", "person__nationality"
    )
    counts = profile_counts(rows.iterator(), covered=covered)
    items = [
        profile(
            location_id=location_id,
            night=night,
            registration=registration,
            nationality_group=group,
            persons=persons,
        )
        for (location_id, night, registration, group), persons in counts.items()
    ]
    profile.objects.bulk_create(items, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("register", "0004_occupancy_profile")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
