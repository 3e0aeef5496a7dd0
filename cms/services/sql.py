"""Parameterized SQL through Tortoise's connection, for hot read paths.

Queries are written once with ``?`` placeholders; on PostgreSQL they become ``$1, $2, …``.
SQLite keeps timestamps as text (``2026-01-14 14:00:00+00:00``, as Tortoise writes them), so
datetime parameters are written and datetime columns read back in that form here, and callers
see aware datetimes on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from tortoise import connections

_PLACEHOLDER = re.compile(r"\?")


@lru_cache(maxsize=512)
def _numbered(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def dialect() -> str:
    """``sqlite`` or ``postgres``: for the few queries written once per database."""
    name: str = connections.get("default").capabilities.dialect
    return name


def placeholders(count: int) -> str:
    """``?, ?, ?`` for an ``IN (…)`` list of ``count`` values."""
    return ", ".join("?" * count)


async def fetch(
    sql: str, params: Sequence[Any] = (), *, datetimes: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts; columns named in ``datetimes`` come back as aware datetimes."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        params = [_to_sqlite(value) for value in params]
        rows: list[dict[str, Any]] = await conn.execute_query_dict(sql, params)
        columns = tuple(datetimes)
        if columns:
            for row in rows:
                for column in columns:
                    value = row[column]
                    if value is not None:
                        row[column] = datetime.fromisoformat(value)
        return rows
    rows = await conn.execute_query_dict(_numbered(sql), list(params))
    return rows


async def fetch_value(sql: str, params: Sequence[Any] = ()) -> Any:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query(sql, [_to_sqlite(value) for value in params])
    else:
        _, rows = await conn.execute_query(_numbered(sql), list(params))
    return rows[0][0] if rows else None


def json_rows(columns: Sequence[str], source: str, order_by: str) -> str:
    """A scalar subquery: the rows of ``SELECT columns source ORDER BY order_by`` as one JSON
    array of arrays, so that rows related to each row of a statement come back in it (read
    them with :func:`read_json_rows`). ``source`` is the ``FROM … WHERE …`` part; it may
    refer to the outer statement's columns.
    """
    if dialect() == "sqlite":
        # SQLite 3.40 has no ORDER BY inside an aggregate; it aggregates a subquery's rows in
        # the order the subquery gives them.
        named = ", ".join(f"{column} AS c{i}" for i, column in enumerate(columns))
        values = ", ".join(f"c{i}" for i in range(len(columns)))
        return (
            f"(SELECT json_group_array(json_array({values})) "  # noqa: S608 - no values here
            f"FROM (SELECT {named} {source} ORDER BY {order_by}))"
        )
    values = ", ".join(columns)
    return (
        f"(SELECT COALESCE(json_agg(json_build_array({values}) ORDER BY {order_by}), '[]') "
        f"{source})"
    )


def json_list(parts: Sequence[str]) -> str:
    """One JSON array holding the JSON values ``parts`` (subqueries of :func:`json_rows`): a
    row then has one value to decode, not one per part."""
    if dialect() == "sqlite":
        return "json_array(" + ", ".join(f"json({part})" for part in parts) + ")"
    return "json_build_array(" + ", ".join(parts) + ")"


def read_json_rows(
    value: str | list[list[Any]], names: Sequence[str], *, datetimes: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """The rows of a :func:`json_rows` column (as text, or already decoded) as dicts with
    ``names``; the columns named in ``datetimes`` as aware datetimes."""
    decoded = orjson.loads(value) if isinstance(value, str) else value
    rows = [dict(zip(names, values, strict=True)) for values in decoded]
    for column in datetimes:
        for row in rows:
            if row[column] is not None:
                row[column] = datetime.fromisoformat(row[column])
    return rows


def _to_sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))
    return value


async def take_write_lock() -> None:
    """Inside a transaction, take SQLite's write lock now (a no-op on PostgreSQL).

    A SQLite transaction that reads before it writes holds a snapshot; if another process
    commits in between, its first write fails at once with "database is locked" (WAL cannot
    move a snapshot forward). A write that changes nothing takes the lock first, so the
    transaction waits for the other writer instead, and its reads see the latest commit.
    """
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        await conn.execute_query("UPDATE content_change SET id = id WHERE 0")
