"""Metric.hold_reason: why a figure too large for what it claims waits for a curator before it is counted.

On SQLite the column is added with ALTER TABLE, as in 0009 (see _sqlite_columns.py). Existing figures no curator has decided on are checked with the
same rule the import now applies (articles/text/plausibility.py), reading the clause from their quote.
"""

from django.db import migrations, models

from articles.migrations._sqlite_columns import column_adder
from articles.text.plausibility import hold_reason

MAX_LENGTH = 100


def hold_reason_field():
    field = models.CharField(
        blank=True, default="", max_length=MAX_LENGTH, verbose_name="held for review",
        help_text="Why the figure is kept out of totals until a curator verifies it (too large for what it claims)",
    )
    field.set_attributes_from_name("hold_reason")
    return field


add_column, drop_column = column_adder("metric", hold_reason_field, f"varchar({MAX_LENGTH}) NOT NULL DEFAULT ''")


def hold_existing(apps, schema_editor):
    Metric = apps.get_model("articles", "Metric")
    rows = Metric.objects.filter(status="extracted", origin="extracted").values_list(
        "pk", "kind", "unit_family", "value", "quote", "area__level", "year_start", "year_end")
    for pk, kind, family, value, quote, level, first, last in rows.iterator():
        reason = hold_reason(kind, family, value, quote, level, first is not None and first == last)
        if reason:
            Metric.objects.filter(pk=pk).update(hold_reason=reason[:MAX_LENGTH])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0009_article_curated_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="metric", name="hold_reason", field=hold_reason_field())],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AddField(model_name="historicalmetric", name="hold_reason", field=hold_reason_field()),
        migrations.RunPython(hold_existing, migrations.RunPython.noop),
    ]
