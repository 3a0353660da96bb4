"""Writing and selecting many rows at once, without a Python object per row.

Django's `bulk_create` prepares every value of every object in Python and sends one
parameter per value, and a filter on a list of ids sends one parameter per id; for the
night register's imports (hundreds of thousands of stays, persons and log entries a month)
that preparation costs more than the database's work. Here:

- `rows_insert` sends rows with `COPY … FROM STDIN` on PostgreSQL (the driver formats rows
  in compiled code) and one prepared statement run per row on SQLite (`executemany`);
- `temporary_table` and `ids_table` put rows or ids in a temporary table, to join with
  instead of `IN (…)` with a parameter per value; `rows_delete` deletes by such a table,
  and `rows_update` sets columns from one (one `UPDATE … FROM`, where `bulk_update` sends
  a `CASE` with a parameter per value).

Only for plain values that the driver adapts as Django would store them: text, integers,
booleans, dates, and aware datetimes (stored as UTC). Model defaults, `save()` and signals
do not run: the caller gives every column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from itertools import count

import polars as pl
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.expressions import RawSQL


def rows_insert(
    model, fields: Sequence[str], rows: Sequence[Sequence], *, returning: str | None = None
) -> list | None:
    """Insert `rows` (tuples in the order of `fields`, model field names) into `model`'s table.

    With `returning="id"` (PostgreSQL only), the primary keys of the new rows, in order:
    taken from the table's sequence first, then sent with the rows.
    """
    if not rows:
        return [] if returning else None
    meta = model._meta
    if returning and (connection.vendor != "postgresql" or returning != meta.pk.name):
        raise NotImplementedError("rows_insert returns primary keys, on PostgreSQL only")
    columns = [meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    if connection.vendor == "postgresql":
        keys = None
        if returning:
            keys = _keys_reserve(meta, len(rows))
            columns = [meta.pk, *columns]
            rows = [(key, *row) for key, row in zip(keys, rows, strict=True)]
        names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
        # Names from the model, quoted; values as COPY data, never as SQL.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return keys
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])
    return None


def rows_frame(cursor, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of a `SELECT` (no parameters) as a polars frame with `schema` (the select's
    columns, in order: integers, text, dates). On PostgreSQL through `COPY … TO STDOUT`
    read by polars in compiled code: for a hundred thousand rows a fraction of turning each
    into a tuple of Python objects, as `fetchall` does (and still does on SQLite)."""
    if connection.vendor != "postgresql":
        cursor.execute(sql)
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")
    with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, NULL '\\N')") as copy:
        data = b"".join(bytes(block) for block in copy)
    if not data:
        return pl.DataFrame(schema=schema)
    # NULL as \N, so that an empty text stays "" (a quoted empty field) and a missing date
    # is null.
    return pl.read_csv(
        data,
        has_header=False,
        new_columns=list(schema),
        schema=schema,
        null_values="\\N",
        empty_string_is_null=False,
    )


def rows_delete(model, pks: Iterable[int]) -> None:
    """Delete `model`'s rows with these primary keys, in one statement. As `rows_insert`:
    no signals, no cascade; for tables that nothing refers to."""
    pks = list(pks)
    if not pks:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with ids_table(pks) as ids, connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM {ids})")  # noqa: S608


def rows_update(model, fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Set `fields` (model field names) of `model`'s rows: each row is (primary key, *values
    in the order of `fields`). As `rows_insert`: plain values (a JSON field's as its JSON
    text), no `save()`, no signals."""
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    with (
        temporary_table(
            [
                ("id", "bigint"),
                *((f"v{i}", field.db_type(connection)) for i, field in enumerate(columns)),
            ],
            rows,
        ) as values,
        connection.cursor() as cursor,
    ):
        assignments = ", ".join(
            f"{quote(field.column)} = v.v{i}" for i, field in enumerate(columns)
        )
        # Names from the model and our own code, quoted; values from the temporary table.
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {values} AS v WHERE {table}.{key} = v.id"  # noqa: S608
        )


@contextmanager
def temporary_table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence]) -> Iterator[str]:
    """A temporary table with `columns` ((name, SQL type) pairs) holding `rows`, by name, for
    the duration of the block: `WHERE person_id IN (SELECT id FROM <name>)` instead of a
    parameter per id. Names and types come from the caller's code, never from input.

    The table is kept for the connection and emptied, not dropped: PostgreSQL holds the lock
    of a table created and dropped in a transaction until the transaction ends, and one
    import (a month of thirty daily lists per location, applied one by one in the import's
    transaction) made thousands of them and ran out of lock slots ("out of shared memory").
    A block inside another block with the same columns gets a table of its own."""
    in_use = _tables_in_use()
    signature = hashlib.sha256(repr(list(columns)).encode()).hexdigest()[:12]
    name = next(
        f"welkom_rows_{signature}_{slot}"
        for slot in count()
        if f"welkom_rows_{signature}_{slot}" not in in_use
    )
    names = ", ".join(column for column, _type in columns)
    in_use.add(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} "
                f"({', '.join(f'{c} {t}' for c, t in columns)})"
            )
            _emptied(cursor, name)  # rows left by a block that ended in an error
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(f"ANALYZE {name}")  # so that the planner knows its size
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {name} ({names}) VALUES ({placeholders})",  # noqa: S608
                    [tuple(_sqlite_value(v) for v in row) for row in rows],
                )
        yield name
        # Not on an error: a statement in a failed transaction would hide the error, and the
        # next block with these columns empties the table first.
        with connection.cursor() as cursor:
            _emptied(cursor, name)
    finally:
        in_use.discard(name)


def _tables_in_use() -> set[str]:
    """The names of the temporary tables of this thread's connection that a block holds."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's; `connection` is a shared proxy
    return wrapper.__dict__.setdefault("welkom_temporary_tables_in_use", set())


def _emptied(cursor, name: str) -> None:
    # TRUNCATE takes the lock the table already has; on SQLite, DELETE without WHERE is its
    # truncate.
    cursor.execute(
        f"TRUNCATE {name}" if connection.vendor == "postgresql" else f"DELETE FROM {name}"  # noqa: S608
    )


def ids_table(ids: Iterable[int]) -> AbstractContextManager[str]:
    """`temporary_table` of one column `id` holding the distinct `ids`, as its primary key:
    when the planner misjudges how many rows a join brings (dates past its statistics, as
    every new night is), its worst plan probes the key instead of reading the table for
    each row."""
    return temporary_table([("id", "bigint PRIMARY KEY")], ((value,) for value in sorted(set(ids))))


def in_table(table: str, column: str = "id") -> RawSQL:
    """For a filter: `Stay.objects.filter(person_id__in=in_table(name))`, where `name` is a
    table from `temporary_table` or `ids_table`."""
    return RawSQL(f"SELECT {column} FROM {table}", ())  # noqa: S608 S611 -- names from our own code


def _keys_reserve(meta, how_many: int) -> list[int]:
    table, column = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, how_many],
        )
        return [row[0] for row in cursor.fetchall()]


def _sqlite_value(value) -> object:
    if isinstance(value, datetime):
        # As Django's SQLite backend stores an aware datetime: naive, in UTC.
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value
