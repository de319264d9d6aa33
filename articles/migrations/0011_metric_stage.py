"""Metric.stage: planned, committed, achieved or unknown (issue 12), so that no total adds a plan to money spent.

On SQLite the column is added with ALTER TABLE, as in 0009 and 0010 (see _sqlite_columns.py), and its index
with CREATE INDEX. Existing figures no curator has decided on get the stage the import now gives them
(articles/text/stages.py), read at their span in their paragraph under the article's last heading before it;
a figure a curator decided on keeps the default, unknown, which puts it before a curator to set.
"""

from django.db import migrations, models

from articles.migrations._sqlite_columns import column_adder
from articles.text.stages import stage_of

MAX_LENGTH = 12
CHOICES = [("planned", "planned"), ("committed", "committed"), ("achieved", "achieved"), ("unknown", "unknown")]
UPDATE_CHUNK = 500


def stage_field():
    field = models.CharField(
        choices=CHOICES, db_index=True, default="unknown", max_length=MAX_LENGTH, verbose_name="stage",
        help_text=(
            "Planned, committed (allocated or signed) or achieved (delivered); unknown where the text gives no cue"
        ),
    )
    field.set_attributes_from_name("stage")
    return field


add_column, drop_column = column_adder("metric", stage_field, f"varchar({MAX_LENGTH}) NOT NULL DEFAULT 'unknown'")


def add_indexed_column(apps, schema_editor):
    add_column(apps, schema_editor)
    if schema_editor.connection.vendor == "sqlite":  # add_field made the index on the other databases
        for statement in schema_editor._field_indexes_sql(apps.get_model("articles", "Metric"), stage_field()):
            schema_editor.execute(statement)


def drop_indexed_column(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # SQLite refuses to drop a column an index still names
        model = apps.get_model("articles", "Metric")
        for name in schema_editor._constraint_names(model, ["stage"], index=True):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))
    drop_column(apps, schema_editor)


def stage_existing(apps, schema_editor):
    Metric = apps.get_model("articles", "Metric")
    Paragraph = apps.get_model("articles", "Paragraph")
    uncurated = Metric.objects.filter(status="extracted", origin="extracted", merged_by_curator=False)
    by_stage: dict[str, list[int]] = {}
    article_ids = uncurated.order_by("article_id").values_list("article_id", flat=True).distinct()
    for article_id in article_ids.iterator():
        paragraphs = Paragraph.objects.filter(article_id=article_id).order_by("position")
        texts, headings, heading = {}, {}, ""
        for pk, role, text in paragraphs.values_list("pk", "role", "text"):
            texts[pk], headings[pk] = text, heading
            if role == "heading":
                heading = text  # reaches every paragraph after it, as the extractor reads it
        rows = uncurated.filter(article_id=article_id).values_list(
            "pk", "paragraph_id", "start", "end", "number_text", "year_start", "article__published")
        for pk, paragraph_id, start, end, number_text, year_start, published in rows:
            text = texts[paragraph_id]
            if text[start:end] != number_text:
                continue  # not where the extractor found it: left for a curator
            stage = stage_of(text, start, end, headings[paragraph_id], published.year if published else None,
                             year_start)
            if stage != "unknown":
                by_stage.setdefault(stage, []).append(pk)
    for stage, pks in by_stage.items():
        for at in range(0, len(pks), UPDATE_CHUNK):
            Metric.objects.filter(pk__in=pks[at:at + UPDATE_CHUNK]).update(stage=stage)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0010_metric_hold_reason"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="metric", name="stage", field=stage_field())],
            database_operations=[migrations.RunPython(add_indexed_column, drop_indexed_column)],
        ),
        migrations.AddField(model_name="historicalmetric", name="stage", field=stage_field()),
        migrations.RunPython(stage_existing, migrations.RunPython.noop),
    ]
