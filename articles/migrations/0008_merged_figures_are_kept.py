"""A figure others are merged into is a curator's decision too, and it cannot be deleted from under them.

Before, only the figures merged *into* another were marked merged_by_curator: a re-import deleted and
re-created the canonical figure of a merge, and SET_NULL quietly made its duplicates count again. The roots
of existing curator merges are marked here; duplicate_of becomes PROTECT (a change Django makes in Python
only: no table is rebuilt).
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_merge_roots(apps, schema_editor):
    Metric = apps.get_model("articles", "Metric")
    roots = Metric.objects.filter(merged_by_curator=True, duplicate_of__isnull=False).values("duplicate_of_id")
    Metric.objects.filter(pk__in=roots, merged_by_curator=False).update(merged_by_curator=True)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0007_drop_redundant_metric_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="metric",
            name="duplicate_of",
            field=models.ForeignKey(
                blank=True, help_text="The same fact reported elsewhere; this row is then not counted again",
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="duplicates",
                to="articles.metric", verbose_name="same fact as",
            ),
        ),
        migrations.RunPython(mark_merge_roots, migrations.RunPython.noop),
    ]
