"""A background loop whose database fails backs off and logs once per change of state,
instead of a traceback every poll: checked on a real database whose job table goes away and
comes back, in a process of its own (the test swaps tables under a running worker)."""

from __future__ import annotations

import asyncio
import logging

from tortoise import connections

from cms import db
from cms.backoff import Backoff
from cms.jobs.worker import Worker
from cms.settings import Settings
from tests.migrating import in_own_process, migrate_to


async def outage(url: str) -> dict:
    settings = Settings(database_url=url)
    await migrate_to(settings, None)
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger("cms.jobs.worker").addHandler(handler)
    async with db.database(settings):
        conn = connections.get("default")
        worker = Worker()
        loop = asyncio.create_task(worker.run_forever(0.01))
        await asyncio.sleep(0.3)
        await conn.execute_script('ALTER TABLE "job" RENAME TO "job_away"')
        await asyncio.sleep(2.0)
        during = [r.getMessage() for r in records]
        await conn.execute_script('ALTER TABLE "job_away" RENAME TO "job"')
        await asyncio.sleep(2.5)  # the longest pause so far is 0.01 × 2^8
        loop.cancel()
        after = [r.getMessage() for r in records]
    return {"during": during, "after": after}


def test_a_failing_worker_logs_once_then_once_more_when_it_recovers(tmp_path) -> None:
    # 2 s of failures at a 10 ms interval would be 200 tracebacks without the backoff.
    result = in_own_process(__name__, "outage", f"sqlite://{tmp_path / 'cinq.sqlite3'}")
    (failed,) = result["during"]
    assert failed.startswith("job worker: a run failed; retrying with growing pauses")
    assert len(result["after"]) == 2
    assert result["after"][1].startswith("job worker: working again after ")


def test_pauses_double_up_to_the_ceiling_and_reset_after_a_success() -> None:
    backoff = Backoff("loop", 1.0, logging.getLogger("tests.backoff"), ceiling=10.0)
    try:
        raise OSError("down")
    except OSError:
        pauses = [backoff.failed() for _ in range(6)]
    assert pauses == [2.0, 4.0, 8.0, 10.0, 10.0, 10.0]
    assert backoff.succeeded() == 1.0
    assert backoff.failures == 0
