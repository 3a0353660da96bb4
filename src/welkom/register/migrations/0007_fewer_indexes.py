"""Plain indexes instead of `db_index` on text fields looked up by equality (no second index
for LIKE on PostgreSQL), and no index of its own for a stay's person and location, which
the composite indexes start with: fewer indexes for every import to keep up (ADR 0009)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0004_inspection_append_only"),
        ("places", "0002_load_reference"),
        ("register", "0006_occupancy_profile_spans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="match_key",
            field=models.CharField(editable=False, max_length=500),
        ),
        migrations.AlterField(
            model_name="signal",
            name="key",
            field=models.CharField(editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name="stay",
            name="location",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="stays",
                to="housing.location",
            ),
        ),
        migrations.AlterField(
            model_name="stay",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stays",
                to="register.person",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["match_key"], name="person_match_key"),
        ),
        migrations.AddConstraint(
            model_name="signal",
            constraint=models.UniqueConstraint(fields=("key",), name="signal_key_unique"),
        ),
    ]
