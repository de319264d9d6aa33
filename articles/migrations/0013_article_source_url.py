"""Article.url and what a fetch knows of it (issue 16): the address an article was read from, after redirects,
the address asked for, the HTTP status, when it was fetched or captured, its content type, and where its date
was read (its text, the page's metadata, an archive's capture date).

The text columns are added with ALTER TABLE on SQLite, as in 0009–0012 (see _sqlite_columns.py); the nullable
ones without a default Django adds with ALTER TABLE itself. Existing articles, all read from files, keep empty
addresses; those with a date read it from their text.
"""

from django.db import migrations, models

from articles.migrations._sqlite_columns import column_adder

PUBLISHED_FROM = [
    ("text", "the article's text"), ("metadata", "the page's metadata"), ("capture", "the archive's capture date"),
]


def url_field():
    return models.URLField(
        blank=True, max_length=2048, verbose_name="original address",
        help_text="The web address the article was read from, after redirects",
    )


def requested_url_field():
    return models.URLField(blank=True, max_length=2048, verbose_name="requested address")


def content_type_field():
    return models.CharField(blank=True, max_length=100, verbose_name="content type")


def published_from_field():
    return models.CharField(blank=True, choices=PUBLISHED_FROM, max_length=12, verbose_name="date read from")


TEXT_COLUMNS = {
    "url": (url_field, 2048),
    "requested_url": (requested_url_field, 2048),
    "content_type": (content_type_field, 100),
    "published_from": (published_from_field, 12),
}


def named(name, factory):
    def field():
        made = factory()
        made.set_attributes_from_name(name)
        return made

    return field


def add_text_columns():
    """One SeparateDatabaseAndState per text column: Django's state, the column added with ALTER TABLE."""
    operations = []
    for name, (factory, length) in TEXT_COLUMNS.items():
        add, drop = column_adder("article", named(name, factory), f"varchar({length}) NOT NULL DEFAULT ''")
        operations.append(migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(model_name="article", name=name, field=factory())],
            database_operations=[migrations.RunPython(add, drop)],
        ))
        operations.append(migrations.AddField(model_name="historicalarticle", name=name, field=factory()))
    return operations


def dated_from_text(apps, schema_editor):
    apps.get_model("articles", "Article").objects.filter(published__isnull=False).update(published_from="text")


def status_field():
    return models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="HTTP status")


def fetched_at_field():
    return models.DateTimeField(
        blank=True, null=True, verbose_name="fetched or captured",
        help_text="When the page was fetched, or captured by the web archive it was read from",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_metric_fulfilled_by"),
    ]

    operations = [
        *add_text_columns(),
        migrations.AddField(model_name="article", name="http_status", field=status_field()),
        migrations.AddField(model_name="historicalarticle", name="http_status", field=status_field()),
        migrations.AddField(model_name="article", name="fetched_at", field=fetched_at_field()),
        migrations.AddField(model_name="historicalarticle", name="fetched_at", field=fetched_at_field()),
        migrations.RunPython(dated_from_text, migrations.RunPython.noop),
    ]
