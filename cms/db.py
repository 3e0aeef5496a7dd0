"""Database lifecycle: Tortoise configuration, start-up, migrations and shutdown."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as run_migrations

from cms.settings import Settings

log = logging.getLogger(__name__)

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
    """Apply every pending migration (the SQLite file is created on first use)."""
    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite://")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        await run_migrations(config=tortoise_config(settings))
    finally:
        await Tortoise.close_connections()


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
