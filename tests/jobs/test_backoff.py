"""A background loop whose database fails backs off and logs once per change of state,
instead of a traceback every poll: checked on a real database whose job table goes away and
comes back, in a process of its own (the test swaps tables under a running worker)."""

from __future__ import annotations

import asyncio
import logging

from tortoise import connections

from cms import db
from cms.backoff import Backoff
from cms.jobs import queue
from cms.jobs.worker import Worker
from cms.models import Job, JobStatus
from cms.settings import Settings
from tests.migrating import in_own_process, migrate_to
from tests.waiting import until

#: How long the database stays broken under the running worker, in seconds.
OUTAGE = 2.0


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

        async def noop(payload: dict) -> None:
            pass

        worker.register("test.noop", noop)
        first = await queue.enqueue("test.noop", {})

        async def working() -> bool:
            return (await Job.get(id=first.id)).status is JobStatus.DONE

        loop = asyncio.create_task(worker.run_forever(0.01))
        await until(working, "the worker to run a first job")
        await conn.execute_script('ALTER TABLE "job" RENAME TO "job_away"')
        await until(lambda: bool(records), "the worker to log its first failure")
        await asyncio.sleep(OUTAGE)
        during = [r.getMessage() for r in records]
        await conn.execute_script('ALTER TABLE "job_away" RENAME TO "job"')
        # Noticed at the worker's next run, after a pause of up to 0.01 s × 2^8.
        await until(lambda: len(records) > len(during), "the worker to log its recovery")
        loop.cancel()
        after = [r.getMessage() for r in records]
    return {"during": during, "after": after}


def test_a_failing_worker_logs_once_then_once_more_when_it_recovers(tmp_path) -> None:
    # Two seconds of failures at a 10 ms interval would be 200 tracebacks without the backoff.
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
