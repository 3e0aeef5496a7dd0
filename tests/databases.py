"""Fresh, migrated databases for tests: a SQLite file, and PostgreSQL when configured.

``CMS_TEST_POSTGRES_URL`` names a PostgreSQL server (``postgres://postgres@127.0.0.1/test``);
each run creates its own uniquely named database there and drops it afterwards. When the
variable is set and the server is unreachable, the tests fail rather than skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

POSTGRES_URL = os.environ.get("CMS_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite", "postgres"]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _asyncpg_dsn(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))


@asynccontextmanager
async def fresh_database_url(backend: str, directory: Path) -> AsyncIterator[str]:
    """A URL of an empty database of ``backend`` that exists for the block's duration."""
    if backend == "sqlite":
        yield f"sqlite://{directory / f'cinq-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"cinq_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL), timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(POSTGRES_URL), timeout=10)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
