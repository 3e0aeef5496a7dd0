"""Posts written before translations recorded their sources get what a save would record,
and undoing the migration keeps every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise import connections

from cms import db
from cms.settings import Settings
from tests.databases import fresh_database_url
from tests.migrating import in_own_process, migrate_to

BEFORE = "models.0008_sign_in"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
# post id: (locale, seconds after T0) of each translation, in the order they were written
POSTS = {
    1: [("en-CA", 0), ("fr-CA", 0.3)],  # written together: the default locale is the source
    2: [("en-CA", 0), ("fr-CA", 86400)],  # French added a day later: English is the source
    3: [("en-CA", 0)],
}


async def _write_old_rows() -> None:
    """Posts and translations with the columns they had before the migration."""
    conn = connections.get("default")
    sqlite = conn.capabilities.dialect == "sqlite"

    def marks(count: int) -> str:
        return ", ".join("?" if sqlite else f"${n}" for n in range(1, count + 1))

    def when(seconds: float) -> object:
        instant = T0 + timedelta(seconds=seconds)
        return str(instant) if sqlite else instant

    for post_id, translations in POSTS.items():
        await conn.execute_query(
            f"INSERT INTO post (id, status, version, created_at, updated_at) VALUES ({marks(5)})",
            [post_id, "draft", 1, when(0), when(0)],
        )
        for locale, seconds in translations:
            await conn.execute_query(
                "INSERT INTO post_translation (post_id, locale, status, title, slug, excerpt, "
                "body, body_html, body_text, headings, word_count, reading_minutes, created_at, "
                f"updated_at) VALUES ({marks(14)})",
                [
                    post_id,
                    locale,
                    "draft",
                    "T",
                    f"t-{post_id}-{locale.lower()}",
                    "",
                    "",
                    "",
                    "",
                    "[]",
                    0,
                    0,
                    when(seconds),
                    when(seconds),
                ],
            )


async def _rows() -> dict:
    conn = connections.get("default")
    posts = await conn.execute_query_dict("SELECT id, source_locale FROM post ORDER BY id")
    translations = await conn.execute_query_dict(
        "SELECT post_id, locale, text_version, source_locale, source_version "
        "FROM post_translation ORDER BY post_id, locale"
    )
    return {"posts": posts, "translations": translations}


async def _count() -> int:
    conn = connections.get("default")
    return (await conn.execute_query_dict("SELECT COUNT(*) AS n FROM post_translation"))[0]["n"]


async def _migrate(url: str) -> dict:
    """Migrate ``url`` to just before, write old rows, migrate to the latest, read them; then
    down and up again."""
    settings = Settings(database_url=url)
    await migrate_to(settings, BEFORE)
    async with db.database(settings):
        await _write_old_rows()
    await migrate_to(settings, None)
    async with db.database(settings):
        migrated = await _rows()
    await migrate_to(settings, BEFORE)
    async with db.database(settings):
        undone = await _count()
    await migrate_to(settings, None)
    async with db.database(settings):
        redone = await _rows()
    return {"migrated": migrated, "undone": undone, "redone": redone}


async def test_existing_posts_get_a_source_and_nothing_starts_outdated(backend, tmp_path) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        outcome = in_own_process("tests.migrations.test_translation_sources", "_migrate", url)

    migrated = outcome["migrated"]
    assert migrated["posts"] == [
        {"id": 1, "source_locale": "fr-CA"},
        {"id": 2, "source_locale": "en-CA"},
        {"id": 3, "source_locale": "en-CA"},
    ]
    assert [tuple(row.values()) for row in migrated["translations"]] == [
        (1, "en-CA", 1, "fr-CA", 1),
        (1, "fr-CA", 1, None, None),
        (2, "en-CA", 1, None, None),
        (2, "fr-CA", 1, "en-CA", 1),
        (3, "en-CA", 1, None, None),
    ]
    # Undoing it drops the columns, not the rows (nor what cascades from the posts).
    assert outcome["undone"] == 5
    assert outcome["redone"] == migrated
