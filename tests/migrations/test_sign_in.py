"""Undoing the sign-in migration keeps accounts and everything that hangs on them."""

from __future__ import annotations

from tortoise import connections

from cms import db
from cms.models import Role
from cms.services import accounts
from cms.settings import Settings
from tests.databases import fresh_database_url
from tests.migrating import in_own_process, migrate_to

BEFORE = "models.0007_webhooks"


async def _counts() -> dict[str, int]:
    conn = connections.get("default")
    counts = {}
    for table in ("account", "api_token"):
        rows = await conn.execute_query_dict(f"SELECT COUNT(*) AS n FROM {table}")
        counts[table] = rows[0]["n"]
    return counts


async def _migrate(url: str) -> dict:
    """An account with a password and a token, then the migration undone and redone."""
    settings = Settings(database_url=url)
    await migrate_to(settings, None)
    async with db.database(settings):
        account = await accounts.create_account(
            "ada@example.test", "Ada", Role.EDITOR, password="a long passphrase"
        )
        await accounts.issue_token(account, "laptop")
        before = await _counts()
    await migrate_to(settings, BEFORE)
    async with db.database(settings):
        undone = await _counts()
    await migrate_to(settings, None)
    async with db.database(settings):
        redone = await _counts()
    return {"before": before, "undone": undone, "redone": redone}


async def test_undoing_the_migration_keeps_accounts_and_their_tokens(backend, tmp_path) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        outcome = in_own_process("tests.migrations.test_sign_in", "_migrate", url)
    assert outcome["before"] == {"account": 1, "api_token": 1}
    assert outcome["undone"] == outcome["before"]
    assert outcome["redone"] == outcome["before"]
