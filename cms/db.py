"""Database lifecycle: Tortoise configuration, start-up, migrations and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as run_migrations
from tortoise.migrations.executor import MigrationExecutor

from cms.settings import Settings

log = logging.getLogger(__name__)

APP = "models"
# The advisory lock migrations hold on PostgreSQL ("Cinq" in ASCII).
_LOCK_KEY = 0x43696E71

MODEL_MODULES = [
    "cms.models.authors",
    "cms.models.taxonomy",
    "cms.models.posts",
    "cms.models.accounts",
    "cms.models.revisions",
    "cms.models.media",
    "cms.models.jobs",
    "cms.models.events",
    "cms.models.changes",
    "cms.models.webhooks",
    "cms.models.redirects",
    "cms.models.imports",
    "cms.models.shared",
]


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise configuration for ``settings`` (one app, ``models``, with migrations)."""
    return {
        "connections": {"default": _connection(settings.database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "cms.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _connection(url: str) -> str | dict[str, Any]:
    if url.startswith("sqlite:"):
        return url
    config = expand_db_url(url)
    # asyncpg resets every connection it takes back into the pool (RESET ALL, UNLISTEN *,
    # advisory unlocks): one more round trip per statement, for session state Cinq never
    # sets outside a transaction. Anything that does set some must use its own connection.
    config["credentials"].setdefault("reset", _keep_session)
    return config


async def _keep_session(connection: object) -> None:
    return None


def __getattr__(name: str) -> Any:
    # Read by Tortoise's own CLI (``tortoise makemigrations``) through pyproject.toml; computed
    # lazily so that importing this module never reads the environment.
    if name == "TORTOISE_ORM":
        return tortoise_config(Settings.from_env())
    raise AttributeError(name)


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[None]:
    """Open the connections for the duration of the block, and always close them.

    The global fallback lets every task (uvicorn's request tasks, background loops) reach the
    ORM, not just the task that opened it.
    """
    try:
        await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
        yield
    finally:
        # Also after a failed start: aiosqlite's thread would otherwise keep the process alive.
        await Tortoise.close_connections()


async def migrate(settings: Settings) -> None:
    """Apply every pending migration (the SQLite file is created on first use).

    Two processes migrating at once (two containers starting together) take turns: the
    second finds nothing left to do. PostgreSQL serialises them with an advisory lock, SQLite
    with a lock on a file beside the database.
    """
    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite://")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    async with _migration_lock(settings):
        try:
            await run_migrations(config=tortoise_config(settings))
        finally:
            await Tortoise.close_connections()


#: Seconds a start-up check waits for PostgreSQL to answer.
CONNECT_TIMEOUT = 10.0


class DatabaseUnreachable(RuntimeError):
    """The configured database cannot be reached; the message says what to check."""


async def check_reachable(settings: Settings) -> None:
    """Connect once, outside the ORM, to fail at start with a sentence rather than later with
    a traceback per request (and never hang on a SQLite file whose folder cannot exist)."""
    where = redacted(settings.database_url)
    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite://")
        if path == ":memory:":
            return
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(_touch_sqlite, path)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnreachable(
                f"cannot open the SQLite database {where}: {exc}. Check CMS_DATABASE_URL and "
                "that the folder is writable."
            ) from None
        return
    parts = urlsplit(settings.database_url)
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
    try:
        connection = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        raise DatabaseUnreachable(
            f"cannot reach the database at {where}: {exc or type(exc).__name__}. Is the server "
            "running, and are CMS_DATABASE_URL's host, port, user and database right?"
        ) from None
    await connection.close()


def _touch_sqlite(path: str) -> None:
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as connection:
        connection.execute("SELECT 1")


def redacted(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class MigrationState:
    applied: list[str]  # in the order they were applied
    pending: list[str]  # in the order they would be


async def migration_state(settings: Settings) -> MigrationState:
    """Which migrations the database has and which it lacks, without changing anything."""
    config = tortoise_config(settings)
    try:
        await Tortoise.init(config=config, init_connections=False)
        return await _state(connections.get("default"), config)
    finally:
        await Tortoise.close_connections()


async def pending_migrations(settings: Settings) -> list[str]:
    """The migrations an open database still lacks (for readiness checks)."""
    return (await _state(connections.get("default"), tortoise_config(settings))).pending


async def _state(connection: BaseDBAsyncClient, config: dict[str, Any]) -> MigrationState:
    executor = MigrationExecutor(connection, config["apps"])
    steps = await executor.plan()
    applied = await executor.recorder.applied_migrations()
    return MigrationState(
        applied=[key.name for key in applied if key.app_label == APP],
        pending=[
            step.migration.name
            for step in steps
            if not step.backward and step.migration.app_label == APP
        ],
    )


@asynccontextmanager
async def _migration_lock(settings: Settings) -> AsyncIterator[None]:
    if not settings.is_sqlite:
        parts = urlsplit(settings.database_url)
        dsn = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
        holder = await asyncpg.connect(dsn, timeout=30)
        try:
            await holder.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
            yield
        finally:
            await holder.close()  # which releases the lock
        return
    path = settings.database_url.removeprefix("sqlite://")
    if path == ":memory:":
        yield
        return
    with open(f"{path}.migrate-lock", "a") as lock:  # noqa: ASYNC230 - opening is instant
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def refresh_statistics() -> None:
    """Refresh the planner's statistics after a bulk load, so the next queries plan well.

    PostgreSQL's autovacuum would get there within a minute; a benchmark or a first visitor
    should not pay for plans made on empty-table estimates meanwhile.
    """
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        await conn.execute_script("ANALYZE")
    else:
        await conn.execute_script("VACUUM (ANALYZE)")


async def ping() -> bool:
    """True when the database answers a trivial query."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.warning("database ping failed", exc_info=True)
        return False
    return True
