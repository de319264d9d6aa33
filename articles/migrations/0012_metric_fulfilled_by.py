"""Metric.fulfilled_by and Metric.plan_link_by_curator: a plan linked to the later figure that delivers it (issue 12).

The link is a nullable column without a default, which Django adds on SQLite with ALTER TABLE already; only its
reverse would rebuild the table, which SQLite refuses (see _sqlite_columns.py), so there it drops the index and
the column itself. The flag is added with ALTER TABLE, as in 0009–0011. No row is linked here: the loader links
plans after each import batch that writes (articles/plans.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from articles.migrations._sqlite_columns import column_adder

LINK_HELP = "The later figure that reports this plan delivered; this one is then not counted"
FLAG_HELP = "A curator linked or unlinked this figure as a plan or a delivery: re-imports keep it"


def flag_field():
    field = models.BooleanField(default=False, verbose_name="plan link set by a curator", help_text=FLAG_HELP)
    field.set_attributes_from_name("plan_link_by_curator")
    return field


add_flag, drop_flag = column_adder("metric", flag_field, "bool NOT NULL DEFAULT 0")


class AddLink(migrations.AddField):
    """AddField, whose reverse on SQLite drops the column's index and the column instead of rebuilding the table."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        model = from_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.name).column
        for name in schema_editor._constraint_names(model, [column], index=True):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))
        quote = schema_editor.quote_name
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN {quote(column)}")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0011_metric_stage"),
    ]

    operations = [
        AddLink(
            model_name="metric", name="fulfilled_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="plans",
                to="articles.metric", verbose_name="plan of", help_text=LINK_HELP,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="metric", name="plan_link_by_curator", field=flag_field()),
            ],
            database_operations=[migrations.RunPython(add_flag, drop_flag)],
        ),
        migrations.AddField(
            model_name="historicalmetric", name="fulfilled_by",
            field=models.ForeignKey(
                blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+", to="articles.metric", verbose_name="plan of", help_text=LINK_HELP,
            ),
        ),
        migrations.AddField(model_name="historicalmetric", name="plan_link_by_curator", field=flag_field()),
    ]
