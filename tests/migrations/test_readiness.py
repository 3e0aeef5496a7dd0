"""/readyz tells an orchestrator not to send traffic to a database that lacks migrations."""

from __future__ import annotations

import httpx
import pytest

from cms import db
from cms.app import create_app
from cms.settings import Settings
from tests.databases import BACKENDS, POSTGRES_URL, fresh_database_url
from tests.migrating import in_own_process, migrate_to

BEFORE = "models.0009_translation_sources"


async def _readiness(settings: Settings) -> dict:
    async with db.database(settings):
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
            response = await http.get("/readyz")
    return {"status": response.status_code, "body": response.json()}


async def readiness_before_and_after(url: str) -> dict:
    settings = Settings(database_url=url)
    await migrate_to(settings, BEFORE)
    before = await _readiness(settings)
    await migrate_to(settings, None)
    return {"before": before, "after": await _readiness(settings)}


@pytest.mark.parametrize("backend", BACKENDS)
async def test_readyz_is_503_while_migrations_are_pending(backend, tmp_path) -> None:
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip("set CMS_TEST_POSTGRES_URL to run the PostgreSQL tests")
    async with fresh_database_url(backend, tmp_path) as url:
        result = in_own_process(__name__, "readiness_before_and_after", url)
    before = result["before"]
    assert before["status"] == 503
    (error,) = before["body"]["errors"]
    assert error["extensions"]["code"] == "NOT_READY"
    assert (
        "lacks 4 migration(s) (0010_transfer, 0011_password_links, 0012_media_failure, "
        "0013_shared_state): run `cms migrate`" in error["message"]
    )
    assert result["after"] == {"status": 200, "body": {"status": "ready"}}
