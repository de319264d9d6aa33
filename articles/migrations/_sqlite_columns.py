"""Adding a column on SQLite without rebuilding the table (used by migrations 0009 and 0010).

Django's AddField rebuilds a SQLite table and recreates its indexes, and SQLite refuses the NULLS LAST of
article_aid_newest_first (migration 0003 creates that one with SQL of its own). So on SQLite the column is added
with ALTER TABLE, as SQL the caller gives; other databases get Django's AddField. The leading underscore keeps
Django from reading this module as a migration.
"""


def column_adder(model_name: str, field_factory, sqlite_definition: str):
    """RunPython functions (forwards, backwards) that add and drop the column of `field_factory()`.

    `sqlite_definition` is the column's SQL after its name, with `{column}` for the quoted name.
    """

    def add(apps, schema_editor):
        model = apps.get_model("articles", model_name)
        field = field_factory()
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.add_field(model, field)
            return
        quote = schema_editor.quote_name
        definition = sqlite_definition.format(column=quote(field.column))
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} ADD COLUMN {quote(field.column)} {definition}")

    def drop(apps, schema_editor):
        model = apps.get_model("articles", model_name)
        field = field_factory()
        if schema_editor.connection.vendor != "sqlite":
            schema_editor.remove_field(model, field)
            return
        quote = schema_editor.quote_name
        schema_editor.execute(f"ALTER TABLE {quote(model._meta.db_table)} DROP COLUMN {quote(field.column)}")

    return add, drop
