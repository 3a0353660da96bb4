"""Inserting many rows at once, without a Python object and a bound parameter per value.

Django's `bulk_create` prepares every value of every object in Python and sends one
parameter per value; for the night register's imports (hundreds of thousands of stays and
log entries a month) that preparation costs more than the database's work. Here a batch is
sent as one array per column: on PostgreSQL `INSERT … SELECT * FROM unnest(…)`, on SQLite
one prepared statement run per row by the driver (`executemany`).

Only for plain values that the driver adapts as Django would store them: text, integers,
booleans, dates, and aware datetimes (stored as UTC). Model defaults, `save()` and signals
do not run: the caller gives every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection


def rows_insert(
    model, fields: Sequence[str], rows: Sequence[Sequence], *, returning: str | None = None
) -> list | None:
    """Insert `rows` (tuples in the order of `fields`, model field names) into `model`'s table.

    With `returning` (PostgreSQL only), the values of that column of the new rows, in order.
    """
    if not rows:
        return [] if returning else None
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{_array_type(field)}" for field in columns)
        # Names from the model, quoted; values only as parameters.
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
        if returning:
            sql += f" RETURNING {connection.ops.quote_name(meta.get_field(returning).column)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            return [row[0] for row in cursor.fetchall()] if returning else None
    if returning:
        raise NotImplementedError("rows_insert returns values on PostgreSQL only")
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])
    return None


def _array_type(field) -> str:
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    return db_type.split("(")[0] + "[]"  # varchar(200) → varchar[]


def _sqlite_value(value):
    if isinstance(value, datetime):
        # As Django's SQLite backend stores an aware datetime: naive, in UTC.
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value
