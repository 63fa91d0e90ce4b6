"""Driver-level ``executemany`` for the sync's hot write path.

SQLAlchemy's ``conn.execute(insert(table), rows)`` runs every column of every row through its bind
processing (``UTCDateTime`` and friends) one value at a time; at hundreds of thousands of rows that was
about half of a sync's write time. Here each statement is rendered once per (table, columns, dialect), the
caller converts values that are the same for a whole batch (the sync timestamp) once with :func:`bind`,
and only the columns named ``convert`` (promoted datetimes) are processed per row, with the very processor
SQLAlchemy would have used, so the stored bytes are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, LargeBinary, Row, Table

Processor = Callable[[Any], Any]


def _processor(table: Table, column: str, dialect: Dialect) -> Processor | None:
    col_type = table.c[column].type
    if isinstance(col_type, LargeBinary):  # both drivers store ``bytes`` as the same BLOB / bytea
        return None
    proc: Processor | None = col_type.bind_processor(dialect)
    return proc


def bind(conn: Connection, table: Table, column: str, value: Any) -> Any:
    """``value`` as the driver must receive it for ``column`` (SQLAlchemy's own bind processing)."""
    proc = _processor(table, column, conn.dialect)
    return value if proc is None or value is None else proc(value)


@lru_cache(maxsize=512)
def _insert_sql(table: Table, columns: tuple[str, ...], dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(mark for _ in columns)
    return f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"


@lru_cache(maxsize=512)
def _update_sql(table: Table, columns: tuple[str, ...], key: str, dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sets = ", ".join(f"{quote(c)} = {mark}" for c in columns)
    return f"UPDATE {dialect.identifier_preparer.format_table(table)} SET {sets} WHERE {quote(key)} = {mark}"


def _converted(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], convert: Collection[str]
) -> Sequence[tuple[Any, ...]]:
    procs = [(i, _processor(table, c, conn.dialect)) for i, c in enumerate(columns) if c in convert]
    active = [(i, p) for i, p in procs if p is not None]
    if not active:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i, proc in active:
            if values[i] is not None:
                values[i] = proc(values[i])
        out.append(tuple(values))
    return out


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    convert: Collection[str] = (),
) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order, already driver-ready except the ``convert`` columns).

    PostgreSQL: ``COPY ... FROM STDIN`` on the same connection (so in the caller's transaction), which the
    server ingests several times cheaper than row-by-row INSERTs; the rows are new by construction (the
    writer selected the batch's existing ids first, and one sync per integration runs at a time)."""
    if not rows:
        return
    values = _converted(conn, table, columns, rows, convert)
    if conn.dialect.name == "postgresql":
        _copy(conn, table, columns, values)
        return
    conn.exec_driver_sql(_insert_sql(table, tuple(columns), conn.dialect), list(values))


def _copy(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    prep = conn.dialect.identifier_preparer
    sql = f"COPY {prep.format_table(table)} ({', '.join(prep.quote(c) for c in columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def update_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    *,
    key: str = "id",
    convert: Collection[str] = (),
) -> None:
    """UPDATE ... SET ``columns`` WHERE ``key`` = the last value of each row."""
    if rows:
        sql = _update_sql(table, tuple(columns), key, conn.dialect)
        conn.exec_driver_sql(sql, list(_converted(conn, table, [*columns, key], rows, convert)))


def _in_ids(conn: Connection, column: str, ids: Sequence[str]) -> tuple[str, tuple[Any, ...]]:
    """``column IN (ids)`` as SQL text and its parameters. PostgreSQL gets one array parameter (``= ANY``):
    an ``IN`` list of 500 placeholders made psycopg re-parse every statement (its query cache keys on the
    text, which changes with the count), about a tenth of a full sync's CPU there."""
    quoted = conn.dialect.identifier_preparer.quote(column)
    if conn.dialect.name == "postgresql":
        return f"{quoted} = ANY(%s)", (list(ids),)
    return f"{quoted} IN ({', '.join('?' for _ in ids)})", tuple(ids)


def select_by_ids(
    conn: Connection, table: Table, columns: Sequence[str], integration_id: str, ids: Sequence[str]
) -> list[Row[Any]]:
    """``columns`` of the integration's rows among ``ids``, as the driver returns them (no result
    processing: callers compare hashes as bytes and test timestamps only for NULL)."""
    if not ids:
        return []
    prep = conn.dialect.identifier_preparer
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    where, params = _in_ids(conn, "id", ids)
    sql = (
        f"SELECT {', '.join(prep.quote(c) for c in columns)} FROM {prep.format_table(table)} "
        f"WHERE {prep.quote('integration_id')} = {mark} AND {where}"
    )
    return list(conn.exec_driver_sql(sql, (integration_id, *params)))


def delete_by_ids(conn: Connection, table: Table, column: str, ids: Sequence[str]) -> None:
    """DELETE the rows of ``table`` whose ``column`` is among ``ids``."""
    if ids:
        where, params = _in_ids(conn, column, ids)
        conn.exec_driver_sql(
            f"DELETE FROM {conn.dialect.identifier_preparer.format_table(table)} WHERE {where}", params
        )


def bump_changed_at(
    conn: Connection, table: Table, integration_id: str, column: str, values: Sequence[Any], stamp: Any
) -> None:
    """Move ``effective_changed_at`` forward to ``stamp`` (already bound for the driver) on the integration's
    rows whose ``column`` is among ``values``; rows already at or past it are left alone."""
    if not values:
        return
    prep = conn.dialect.identifier_preparer
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    where, params = _in_ids(conn, column, values)
    moved = prep.quote("effective_changed_at")
    sql = (
        f"UPDATE {prep.format_table(table)} SET {moved} = {mark} "
        f"WHERE {prep.quote('integration_id')} = {mark} AND {where} AND {moved} < {mark}"
    )
    conn.exec_driver_sql(sql, (stamp, integration_id, *params, stamp))
