"""Article.curated_fields: the metadata a curator corrected, which a re-import of a changed file keeps.

On SQLite the column is added with ALTER TABLE (see _sqlite_columns.py).

Filled for existing articles from their history: a field changed in a record with a user (a curator's save in
the admin; imports record none) counts as curated.
"""

from django.db import migrations, models

from articles.migrations._sqlite_columns import column_adder

FIELDS = ("title", "title_original", "publisher", "published", "dateline", "byline", "is_aid", "duplicate_of")
COLUMNS = [f"{name}_id" if name == "duplicate_of" else name for name in FIELDS]


def curated_fields_field():
    field = models.JSONField(
        blank=True, default=list, verbose_name="fields set by a curator",
        help_text="A re-import of a changed file keeps these as the curator left them",
    )
    field.set_attributes_from_name("curated_fields")
    return field


add_column, drop_column = column_adder(
    "article", curated_fields_field,
    "text NOT NULL DEFAULT '[]' CHECK ((JSON_VALID({column}) OR {column} IS NULL))",
)


def curated_from_history(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    History = apps.get_model("articles", "HistoricalArticle")
    curated, previous = {}, {}
    rows = History.objects.order_by("id", "history_date", "history_id").values("id", "history_user_id", *COLUMNS)
    for row in rows.iterator():
        before = previous.get(row["id"])
        if before is not None and row["history_user_id"] is not None:
            changed = {name for name, column in zip(FIELDS, COLUMNS) if row[column] != before[column]}
            curated.setdefault(row["id"], set()).update(changed)
        previous[row["id"]] = row
    for pk, names in curated.items():
        if names:
            Article.objects.filter(pk=pk).update(curated_fields=[name for name in FIELDS if name in names])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0008_merged_figures_are_kept"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="article", name="curated_fields", field=curated_fields_field()),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="curated_fields",
            field=models.JSONField(
                blank=True, default=list, verbose_name="fields set by a curator",
                help_text="A re-import of a changed file keeps these as the curator left them",
            ),
        ),
        migrations.RunPython(curated_from_history, migrations.RunPython.noop),
    ]
