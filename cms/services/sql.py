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
