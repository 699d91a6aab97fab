"""Inserting many rows at once: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create on PostgreSQL sends the values as quoted array literals, which costs more
than the rest of a load together; COPY streams them in the wire format instead.
"""

from django.db import connection
from django.db.models import JSONField, Model


def insert(model: type[Model], rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert `rows`, each a dict of every concrete column by attname (the automatic primary
    key left out), and return the new primary keys in row order when `ids` is set (else []).
    Runs inside the caller's transaction; the values must already be valid."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows])
        return [obj.pk for obj in created] if ids else []
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.auto_field]
    # JSON values need an adapter; every other value is written as it is.
    json_fields = [(i, f) for i, f in enumerate(fields) if isinstance(f, JSONField)]
    columns = [f.column for f in fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        keys = []
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.auto_field.column, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
            columns.insert(0, meta.auto_field.column)
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for n, row in enumerate(rows):
                values = [row[f.attname] for f in fields]
                for i, f in json_fields:
                    values[i] = f.get_db_prep_save(values[i], connection)
                copy.write_row([keys[n], *values] if ids else values)
    return keys
