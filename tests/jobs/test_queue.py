"""Jobs are claimed once, retried with backoff, and survive the death of their process."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from cms.jobs import queue
from cms.jobs.worker import Worker
from cms.models import Job, JobStatus, Media, MediaStatus, Role
from cms.services import accounts
from tests.media.test_renditions import UPLOAD, jpeg_with_gps
from tests.media.test_uploads import PREFLIGHT, multipart
from tests.servers import app_env, free_port, spawn, wait_up
from tests.waiting import until


async def test_a_failing_job_is_retried_with_backoff_then_given_up(settings) -> None:
    calls: list[dict] = []
    given_up: list[str] = []

    async def flaky(payload: dict) -> None:
        calls.append(payload)
        raise RuntimeError(f"attempt {len(calls)} failed")

    async def give_up(payload: dict, error: str) -> None:
        given_up.append(error)

    worker = Worker()
    worker.register("test.flaky", flaky, give_up)
    job = await queue.enqueue("test.flaky", {"n": 1}, max_attempts=3)

    for attempt in (1, 2):
        assert await worker.run_once() is True
        row = await Job.get(id=job.id)
        assert (row.status, row.attempts) == (JobStatus.PENDING, attempt)
        assert row.last_error == f"RuntimeError: attempt {attempt} failed"
        assert row.run_at > datetime.now(UTC)  # backing off
        assert await worker.run_once() is False  # not due yet
        await Job.filter(id=job.id).update(run_at=datetime.now(UTC) - timedelta(seconds=1))

    assert await worker.run_once() is True
    row = await Job.get(id=job.id)
    assert (row.status, row.attempts) == (JobStatus.FAILED, 3)
    assert given_up == ["RuntimeError: attempt 3 failed"]
    assert len(calls) == 3


async def test_a_job_abandoned_by_a_dead_process_runs_again(settings) -> None:
    job = await queue.enqueue("test.noop", {})
    claimed = await queue.claim()
    assert claimed is not None and claimed.id == job.id
    assert await queue.claim() is None  # leased to the (now dead) claimer

    await Job.filter(id=job.id).update(locked_until=datetime.now(UTC) - timedelta(seconds=1))
    done: list[int] = []
    worker = Worker()

    async def noop(payload: dict) -> None:
        done.append(1)

    worker.register("test.noop", noop)
    assert await worker.run_until_idle() == 1
    assert done == [1]
    assert (await Job.get(id=job.id)).status is JobStatus.DONE


async def test_concurrent_claimers_take_each_job_once(settings) -> None:
    jobs = [await queue.enqueue("test.noop", {"n": n}) for n in range(6)]

    claims = await asyncio.gather(*(queue.claim() for _ in range(10)))

    taken = sorted(c.id for c in claims if c is not None)
    assert taken == sorted(j.id for j in jobs)


async def test_a_slow_job_does_not_hold_up_the_next_one(settings) -> None:
    """The app runs several worker loops: a receiver that hangs delays only its own job."""
    release, fast_ran = asyncio.Event(), asyncio.Event()
    done: list[str] = []
    worker = Worker()

    async def slow(payload: dict) -> None:
        await release.wait()
        done.append("slow")

    async def fast(payload: dict) -> None:
        done.append("fast")
        fast_ran.set()

    worker.register("test.slow", slow)
    worker.register("test.fast", fast)
    await queue.enqueue("test.slow", {})
    await queue.enqueue("test.fast", {})
    loops = [asyncio.create_task(worker.run_forever(0.05)) for _ in range(2)]

    async def both_done() -> bool:
        return await Job.filter(status=JobStatus.DONE).count() == 2

    try:
        await asyncio.wait_for(fast_ran.wait(), 10)
        assert done == ["fast"]  # while the slow one still waits
        release.set()
        await until(both_done, "the worker to record both jobs done")
    finally:
        for loop in loops:
            loop.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
    assert done == ["fast", "slow"]
    assert await Job.filter(status=JobStatus.DONE).count() == 2


@pytest.mark.server
async def test_jobs_pending_when_the_app_is_killed_complete_after_a_restart(settings) -> None:
    account = await accounts.create_account("a@example.test", "A", Role.AUTHOR)
    secret = (await accounts.issue_token(account, "upload")).secret
    env = app_env(settings, CMS_SCHEDULER_INTERVAL="0")
    port = free_port()
    first = spawn({**env, "CMS_JOB_POLL_INTERVAL": "0"}, port)  # takes uploads, runs no job
    try:
        await wait_up(f"http://127.0.0.1:{port}")
        files = multipart(
            UPLOAD, {"0": ("a.jpg", jpeg_with_gps(), "image/jpeg")}, {"0": "variables.file"}
        )
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"http://127.0.0.1:{port}/graphql",
                files=files,
                headers={"authorization": f"Bearer {secret}", **PREFLIGHT},
            )
        media_id = int(response.json()["data"]["uploadMedia"]["media"]["id"])
        assert (await Media.get(id=media_id)).status is MediaStatus.PROCESSING
    finally:
        first.send_signal(signal.SIGKILL)  # no shutdown: the job is left pending
        first.communicate(timeout=10)

    port = free_port()
    second = spawn({**env, "CMS_JOB_POLL_INTERVAL": "0.2"}, port)

    async def ready() -> bool:
        return (await Media.get(id=media_id)).status is MediaStatus.READY

    try:
        await until(ready, "the restarted app to make the renditions", within=30)
    finally:
        second.terminate()
        output = second.communicate(timeout=20)[0]
    assert "Traceback" not in output, output
    assert (await Media.get(id=media_id)).status is MediaStatus.READY
    assert await Job.filter(status=JobStatus.DONE).count() == 1
