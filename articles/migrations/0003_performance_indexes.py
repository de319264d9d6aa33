"""Indexes for the newest-first lists of aid articles and a donor's latest figures.

Both sort `DESC NULLS LAST`. PostgreSQL needs that spelled out in the index to use it for such an ORDER BY;
SQLite rejects NULLS LAST in an index but its DESC order already puts NULLs last. So the database gets
vendor-specific SQL, while the migration state holds the same indexes as the models.
"""

from django.db import migrations, models

INDEXES = {
    "article_aid_newest_first": (
        'CREATE INDEX "article_aid_newest_first" ON "articles_article" '
        '("published" DESC{nulls_last}, "id" DESC) WHERE "is_aid"'
    ),
    "metric_province_latest": (
        'CREATE INDEX "metric_province_latest" ON "articles_metric" '
        '("province_id", "year_end" DESC{nulls_last}, "id" DESC)'
    ),
}


def create_indexes(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for sql in INDEXES.values():
        schema_editor.execute(sql.format(nulls_last=nulls_last))


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_curators_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create_indexes, drop_indexes)],
            state_operations=[
                migrations.AddIndex(
                    model_name="article",
                    index=models.Index(
                        models.OrderBy(models.F("published"), descending=True, nulls_last=True),
                        models.OrderBy(models.F("id"), descending=True),
                        condition=models.Q(("is_aid", True)), name="article_aid_newest_first",
                    ),
                ),
                migrations.AddIndex(
                    model_name="metric",
                    index=models.Index(
                        models.F("province"),
                        models.OrderBy(models.F("year_end"), descending=True, nulls_last=True),
                        models.OrderBy(models.F("id"), descending=True),
                        name="metric_province_latest",
                    ),
                ),
            ],
        ),
    ]
