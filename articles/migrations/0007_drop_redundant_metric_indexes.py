"""Drop the indexes of Metric.kind, .province, .area and .extraction_key.

The composite indexes (province, kind), (area, kind) and (kind, unit_family) start with the same columns and
serve the same look-ups; extraction keys are compared in Python among one article's figures, never looked up.
Every index costs each imported figure an insert (18 indexes on the table before, 14 after; on PostgreSQL
the pattern-matching twins of the two text columns' indexes go too). The history table's indexes on the two
text columns go as well: nothing filters history by them.

The indexes are dropped by name as the database reports them, not with AlterField: on SQLite AlterField
rebuilds the whole table and recreates every index, and SQLite refuses the NULLS LAST of
metric_province_latest (migration 0003 creates that one with SQL of its own).
"""

import django.db.models.deletion
from django.db import migrations, models

from articles.choices import Kind

DROPPED = {
    "articles_metric": {"kind", "province_id", "area_id", "extraction_key"},
    "articles_historicalmetric": {"kind", "extraction_key"},
}


def drop_single_column_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, columns in DROPPED.items():
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                single = len(info["columns"]) == 1 and info["columns"][0] in columns
                if single and info["index"] and not (info["primary_key"] or info["unique"] or info["foreign_key"]):
                    schema_editor.execute(schema_editor.sql_delete_index % {
                        "table": schema_editor.quote_name(table), "name": schema_editor.quote_name(name),
                    })


def create_single_column_indexes(apps, schema_editor):
    for model_name, columns in (
        ("Metric", ("kind", "province", "area", "extraction_key")), ("HistoricalMetric", ("kind", "extraction_key"))
    ):
        model = apps.get_model("articles", model_name)
        for column in columns:
            field = model._meta.get_field(column)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_sketch_xxh3")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_single_column_indexes, create_single_column_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="historicalmetric", name="kind",
                    field=models.CharField(choices=Kind.choices, max_length=16, verbose_name="kind"),
                ),
                migrations.AlterField(
                    model_name="historicalmetric", name="extraction_key",
                    field=models.CharField(blank=True, max_length=64, verbose_name="extraction key"),
                ),
                migrations.AlterField(
                    model_name="metric", name="extraction_key",
                    field=models.CharField(blank=True, max_length=64, verbose_name="extraction key"),
                ),
                migrations.AlterField(
                    model_name="metric", name="kind",
                    field=models.CharField(choices=Kind.choices, max_length=16, verbose_name="kind"),
                ),
                migrations.AlterField(
                    model_name="metric", name="province",
                    field=models.ForeignKey(
                        blank=True, db_index=False, limit_choices_to={"parent__isnull": True}, null=True,
                        on_delete=django.db.models.deletion.PROTECT, related_name="metrics", to="articles.province",
                        verbose_name="donor province",
                    ),
                ),
                migrations.AlterField(
                    model_name="metric", name="area",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="metrics", to="articles.recipientarea", verbose_name="recipient area",
                    ),
                ),
            ],
        )
    ]
