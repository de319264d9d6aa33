"""Fast inserts of new rows, given as {field attname: value}: the figures and sketches of an import.

Plain multi-row INSERT statements, measured several times faster than bulk_create for the thousands of figure
and sketch rows of an import (docs/benchmarks-history.md). The ORM query they replace is
`model.objects.bulk_create([model(**row) for row in rows])`; tests/test_rows.py checks that they store what it
stores, for every field type of the models the loader writes.
"""

from django.db import transaction

# Only these field types change a Python value on its way to the database; the rest pass as they are.
ADAPTED_FIELD_TYPES = {
    "DecimalField", "DateTimeField", "DateField", "TimeField", "JSONField", "UUIDField", "DurationField",
}


def insert_rows(model, rows: list[dict]) -> None:
    """Insert new rows, given as {field attname: value}, in multi-row statements, without fetching their keys.

    Neither model instances nor bulk_create: building an instance and compiling every value through the ORM's
    expression machinery cost more, for the thousands of figure and sketch rows of an import, than the text
    pipeline itself. A field missing from a row gets what bulk_create would give it (its default, or now for
    auto_now fields), computed once per call; values still pass through get_db_prep_save where the field's
    type needs an adapter.
    """
    table = _RowTable(model)
    with table.connection.cursor() as cursor:
        for _chunk, sql, params in table.statements(rows):
            cursor.execute(sql, params)


def create_rows(model, rows: list[dict]) -> list:
    """Insert new rows like insert_rows and return them as instances with their primary keys.

    Multi-row INSERT ... RETURNING: the keys come back in the order of the rows (as bulk_create relies on, on
    both SQLite 3.35+ and PostgreSQL). For the rows that later rows point at (the file, its articles).
    """
    table = _RowTable(model)
    returning = f" RETURNING {table.connection.ops.quote_name(model._meta.pk.column)}"
    created = []
    for chunk, sql, params in table.statements(rows):
        with table.connection.cursor() as cursor:
            cursor.execute(sql + returning, params)
            keys = [key for (key,) in cursor.fetchall()]
        for row, key in zip(chunk, keys, strict=True):
            instance = model(**{**table.defaults, **row})
            instance.pk = key
            instance._state.adding = False
            created.append(instance)
    return created


class _RowTable:
    """What insert_rows and create_rows need to know of a model's table, worked out once per call."""

    def __init__(self, model):
        self.model = model
        self.connection = transaction.get_connection()
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in self.fields]
        # Rows per multi-row INSERT: one round trip and one statement to parse, with bound values far below
        # either database's limit (32,766 on SQLite, 65,535 on PostgreSQL).
        self.rows_per_statement = max(1, 8000 // len(self.fields))
        template = model()
        self.defaults = {f.attname: f.pre_save(template, True) for f in self.fields}
        self.db_defaults = [f.get_db_prep_save(self.defaults[f.attname], self.connection) for f in self.fields]
        self.adapters = [f if f.get_internal_type() in ADAPTED_FIELD_TYPES else None for f in self.fields]

    def statements(self, rows: list[dict]):
        """(rows, INSERT statement, its parameters) for each chunk of `rows`."""
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        one_row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        for start in range(0, len(rows), self.rows_per_statement):
            chunk = rows[start : start + self.rows_per_statement]
            values = ", ".join([one_row] * len(chunk))
            sql = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES {values}"
            yield chunk, sql, [value for row in chunk for value in self._db_values(row)]

    def _db_values(self, row: dict) -> list:
        """The row's values for the INSERT, in column order; defaults (already adapted) for missing fields."""
        if not row.keys() <= self.defaults.keys():
            unknown = sorted(row.keys() - self.defaults.keys())
            raise ValueError(f"{self.model.__name__} has no field {', '.join(unknown)}")
        return [
            default if name not in row
            else row[name] if adapter is None
            else adapter.get_db_prep_save(row[name], self.connection)
            for name, adapter, default in zip(self.names, self.adapters, self.db_defaults, strict=True)
        ]
