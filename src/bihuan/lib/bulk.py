"""Inserting many rows at once: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create on PostgreSQL sends the values as quoted array literals, which costs more
than the rest of a load together; COPY streams them in the wire format instead.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import JSONField, Model


def insert(model: type[Model], rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert `rows`, each a dict of concrete columns by attname (the automatic primary key left
    out; a column left out takes the field's default), and return the new primary keys in row
    order when `ids` is set (else []). Runs inside the caller's transaction; the values must
    already be valid."""
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
    with connection.cursor() as cursor:
        keys = []
        if ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.auto_field.column, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
            columns.insert(0, meta.auto_field.column)

        defaults = {f.attname: f.get_default() for f in fields}

        def values(n: int, row: dict) -> list:
            out = [row.get(f.attname, defaults[f.attname]) for f in fields]
            for i, f in json_fields:
                out[i] = f.get_db_prep_save(out[i], connection)
            return [keys[n], *out] if ids else out

        copy_rows(cursor, meta.db_table, columns, (values(n, row) for n, row in enumerate(rows)))
    return keys


def copy_rows(cursor: CursorWrapper, table: str, columns: list[str], rows: Iterable[Sequence]) -> None:
    """COPY rows (values in column order) into `table` on PostgreSQL, through the caller's cursor."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
