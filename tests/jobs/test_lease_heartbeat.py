"""Leases are short and renewed while a job runs.

A job whose process was killed runs again elsewhere as soon as its short lease has passed (not
after minutes, with uploads stuck in PROCESSING meanwhile); a job that runs longer than the
lease in a live process is never taken from it. The tests shrink the lease from a minute to
a second or two.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from cms.jobs import queue
from cms.jobs.worker import Worker
from cms.models import Job, JobStatus
from tests.jobs.holder import HOLD
from tests.waiting import until

LEASE = timedelta(seconds=2)
HEARTBEAT = timedelta(seconds=0.25)


@contextlib.asynccontextmanager
async def holder(settings) -> AsyncIterator[asyncio.subprocess.Process]:
    """Another worker process, once it has claimed a job and started running it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.jobs.holder",
        settings.database_url,
        str(LEASE.total_seconds()),
        str(HEARTBEAT.total_seconds()),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line.startswith(b"holding"), line + await process.stdout.read()
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        output = (await process.communicate())[0].decode()
        assert "Traceback" not in output, output


def recording(ran: list[int]) -> Worker:
    """A worker in this process with the same short lease, noting the jobs it runs."""
    worker = Worker(lease=LEASE, heartbeat=HEARTBEAT)

    async def run(payload: dict) -> None:
        ran.append(payload["n"])

    worker.register(HOLD, run)
    return worker


async def test_a_job_of_a_killed_process_runs_elsewhere_once_its_short_lease_passes(
    settings,
) -> None:
    job = await queue.enqueue(HOLD, {"n": 1})
    ran: list[int] = []
    worker = recording(ran)

    async with holder(settings) as process:
        # Alive for twice the lease: its heartbeat keeps the job, however often we try.
        watched_until = time.monotonic() + 2 * LEASE.total_seconds()
        while time.monotonic() < watched_until:
            assert await worker.run_once() is False
            await asyncio.sleep(0.1)
        assert ran == []

        process.kill()
        await process.wait()
        killed = time.monotonic()

    async def taken_again() -> bool:
        await worker.run_once()
        return bool(ran)

    await until(taken_again, "the job to run again", within=LEASE.total_seconds() + 10)
    waited = time.monotonic() - killed

    assert ran == [1]
    assert waited < LEASE.total_seconds() + 1.5
    row = await Job.get(id=job.id)
    assert (row.status, row.attempts) == (JobStatus.DONE, 2)


async def test_a_long_job_in_a_live_worker_keeps_its_lease_until_it_ends(settings) -> None:
    job = await queue.enqueue("test.long", {})
    running, finish = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def long(payload: dict) -> None:
        runs.append("long")
        running.set()
        await finish.wait()

    async def stolen(payload: dict) -> None:
        runs.append("stolen")

    holding, other = (Worker(lease=LEASE, heartbeat=HEARTBEAT) for _ in range(2))
    holding.register("test.long", long)
    other.register("test.long", stolen)
    started = datetime.now(UTC)
    task = asyncio.create_task(holding.run_once())
    try:
        await asyncio.wait_for(running.wait(), 10)
        watched_until = time.monotonic() + 3 * LEASE.total_seconds()
        while time.monotonic() < watched_until:
            assert await other.run_once() is False
            await asyncio.sleep(0.1)
        row = await Job.get(id=job.id)
        assert row.status is JobStatus.RUNNING
        assert row.locked_until > started + 2 * LEASE  # renewed, again and again
        finish.set()
        assert await asyncio.wait_for(task, 10) is True
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert runs == ["long"]
    row = await Job.get(id=job.id)
    assert (row.status, row.attempts, row.locked_until) == (JobStatus.DONE, 1, None)


async def test_a_claim_that_lost_its_lease_can_neither_renew_nor_record(settings) -> None:
    """A process stalled past its lease finds the job taken: its late outcome is dropped."""
    job = await queue.enqueue("test.noop", {}, max_attempts=2)
    late = await queue.claim(lease=LEASE)
    assert late is not None
    await Job.filter(id=job.id).update(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    current = await queue.claim(lease=LEASE)
    assert current is not None and current.attempts == late.attempts + 1

    assert await queue.renew(late, LEASE) is False
    assert await queue.complete(late) is False
    assert await queue.fail(late, "RuntimeError: too late") is False
    row = await Job.get(id=job.id)
    assert (row.status, row.attempts, row.last_error) == (JobStatus.RUNNING, 2, None)

    assert await queue.renew(current, LEASE) is True
    assert await queue.fail(current, "RuntimeError: for real") is True  # its last attempt
    row = await Job.get(id=job.id)
    assert (row.status, row.last_error) == (JobStatus.FAILED, "RuntimeError: for real")
