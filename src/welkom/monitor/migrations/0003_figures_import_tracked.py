"""A figures import becomes a tracked import (`lib.imports.TrackedImport`), as night lists
and location files are: who, when, how, the file, the outcome, the counts and the problems,
whatever the outcome. The imports made so far were all applied; their rows and figures
added become their counts."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def counts_from_columns(apps, schema_editor):
    FiguresImport = apps.get_model("monitor", "FiguresImport")
    for record in FiguresImport.objects.order_by("pk"):
        record.counts = {"rows": record.rows, "added": record.added, "unchanged": 0}
        record.save(update_fields=["counts"])


def columns_from_counts(apps, schema_editor):
    FiguresImport = apps.get_model("monitor", "FiguresImport")
    for record in FiguresImport.objects.order_by("pk"):
        record.rows = record.counts.get("rows", 0)
        record.added = record.counts.get("added", 0)
        record.save(update_fields=["rows", "added"])


class Migration(migrations.Migration):
    dependencies = [
        ("monitor", "0002_policy_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("figuresimport", "imported_at", "created_at"),
        migrations.RenameField("figuresimport", "imported_by", "submitted_by"),
        migrations.AlterModelOptions(
            name="figuresimport",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("import_figures", "Can import external figures")],
            },
        ),
        migrations.AlterField(
            model_name="figuresimport",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="received at"
            ),
        ),
        migrations.AlterField(
            model_name="figuresimport",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="figuresimport",
            name="filename",
            field=models.CharField(blank=True, max_length=255, verbose_name="file name"),
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="source",
            field=models.CharField(
                choices=[("upload", "upload"), ("api", "API"), ("form", "web form"), ("cli", "command line")],
                default="upload",
                max_length=10,
                verbose_name="way in",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="sha256",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="status",
            field=models.CharField(
                choices=[("applied", "applied"), ("unchanged", "applied: nothing changed"), ("rejected", "rejected")],
                default="applied",
                max_length=10,
                verbose_name="status",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="counts",
            field=models.JSONField(default=dict, verbose_name="counts"),
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="problems",
            field=models.JSONField(default=list, verbose_name="problems"),
        ),
        migrations.AddField(
            model_name="figuresimport",
            name="raw",
            field=models.FileField(blank=True, upload_to="figure-files/%Y/%m/", verbose_name="file as received"),
        ),
        migrations.RunPython(counts_from_columns, columns_from_counts),
        migrations.RemoveField(model_name="figuresimport", name="rows"),
        migrations.RemoveField(model_name="figuresimport", name="added"),
    ]
