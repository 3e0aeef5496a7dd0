"""Undoing the sign-in migration keeps accounts and everything that hangs on them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tortoise import Tortoise, connections

from tests.databases import fresh_database_url

BEFORE = "models.0007_webhooks"


async def _counts() -> dict[str, int]:
    conn = connections.get("default")
    counts = {}
    for table in ("account", "api_token"):
        rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n FROM {table}")
        counts[table] = rows[0]["n"]
    return counts


async def _migrate(url: str) -> dict:
    """An account with a password and a token, then the migration undone and redone. Runs in
    its own process: migrations re-initialise the ORM."""
    from tortoise.migrations.api import migrate

    from cms import db
    from cms.models import Role
    from cms.services import accounts
    from cms.settings import Settings

    settings = Settings(database_url=url)
    config = db.tortoise_config(settings)

    async def migrate_to(target: str | None) -> None:
        try:
            await migrate(config=config, target=target)
        finally:
            await Tortoise.close_connections()

    await migrate_to(None)
    async with db.database(settings):
        account = await accounts.create_account(
            "ada@example.test", "Ada", Role.EDITOR, password="a long passphrase"
        )
        await accounts.issue_token(account, "laptop")
        before = await _counts()
    await migrate_to(BEFORE)
    async with db.database(settings):
        undone = await _counts()
    await migrate_to(None)
    async with db.database(settings):
        redone = await _counts()
    return {"before": before, "undone": undone, "redone": redone}


async def test_undoing_the_migration_keeps_accounts_and_their_tokens(backend, tmp_path) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        script = (
            "import asyncio, json, sys\n"
            "from tests.migrations.test_sign_in import _migrate\n"
            "print(json.dumps(asyncio.run(_migrate(sys.argv[1]))))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script, url],
            cwd=Path(__file__).parents[2],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["before"] == {"account": 1, "api_token": 1}
    assert outcome["undone"] == outcome["before"]
    assert outcome["redone"] == outcome["before"]
