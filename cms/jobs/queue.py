"""Enqueuing, claiming and finishing jobs.

A job is a row, written in the caller's transaction, so it exists exactly when the write
that caused it does. Claiming marks it running with a lease: on PostgreSQL with
``FOR UPDATE SKIP LOCKED``, so several app processes take different jobs without waiting on
each other; on SQLite (one writer at a time) with a conditional UPDATE. A job whose lease ran
out (its process died) is claimed again, so jobs survive a crash or a restart. Failures retry
with exponential backoff, and the last error is kept.

Leases are short (:data:`LEASE`) and renewed while the job runs (:func:`renew`, every
:data:`HEARTBEAT`, by :class:`~cms.jobs.worker.Worker`): a job of a process that was killed is
taken again within about a minute, while one that runs for an hour in a live process is never
taken from it. A claim is identified by the job's ``attempts``, which every claim increments:
renewing, completing and failing change the row only while that claim still holds it, so a
process that lost its lease (stalled past it) cannot overwrite what its successor records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.queryset import QuerySet

from cms.models import Job, JobStatus
from cms.services.sql import fetch

#: How long a claim holds a job without news from its process.
LEASE = timedelta(seconds=60)
#: How often a running job's lease is renewed: a few renewals may fail before it runs out.
HEARTBEAT = timedelta(seconds=15)
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(hours=1)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


async def enqueue(kind: str, payload: dict[str, Any], *, max_attempts: int = 5) -> Job:
    """Add a job; call it inside the transaction of the write that needs it."""
    return await Job.create(
        kind=kind, payload=payload, run_at=datetime.now(UTC), max_attempts=max_attempts
    )


_CLAIMABLE = "((status = 'pending' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))"


async def claim(now: datetime | None = None, *, lease: timedelta = LEASE) -> ClaimedJob | None:
    """Take the next due job for ``lease`` (renew it to keep it), or None when none is due."""
    now = now or datetime.now(UTC)
    postgres = connections.get("default").capabilities.dialect == "postgres"
    # SQLite has one writer at a time: the UPDATE is atomic without row locks.
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    rows = await fetch(
        "UPDATE job SET status = 'running', attempts = attempts + 1, locked_until = ?, "  # noqa: S608
        f"updated_at = ? WHERE id = (SELECT id FROM job WHERE {_CLAIMABLE} "
        f"ORDER BY run_at, id LIMIT 1{lock}) "
        "RETURNING id, kind, payload, attempts, max_attempts",
        [now + lease, now, now, now],
    )
    if not rows:
        return None
    row = rows[0]
    payload = row["payload"]
    if isinstance(payload, str):
        payload = json.loads(payload)
    return ClaimedJob(row["id"], row["kind"], payload, row["attempts"], row["max_attempts"])


async def renew(job: ClaimedJob, lease: timedelta = LEASE) -> bool:
    """Extend the claim on ``job`` to ``lease`` from now; False when it is no longer held."""
    now = datetime.now(UTC)
    return bool(await _held(job).update(locked_until=now + lease, updated_at=now))


async def complete(job: ClaimedJob) -> bool:
    """Mark ``job`` done; False when its claim was lost (another claim records the outcome)."""
    return bool(
        await _held(job).update(
            status=JobStatus.DONE, locked_until=None, last_error=None, updated_at=datetime.now(UTC)
        )
    )


async def fail(job: ClaimedJob, error: str) -> bool:
    """Record a failure; retry later with backoff, or give up. True when it gave up.

    A claim that was lost records nothing (and so never gives up).
    """
    now = datetime.now(UTC)
    if job.attempts >= job.max_attempts:
        return bool(
            await _held(job).update(
                status=JobStatus.FAILED, locked_until=None, last_error=error, updated_at=now
            )
        )
    delay = min(BACKOFF_BASE * 2 ** (job.attempts - 1), BACKOFF_MAX)
    await _held(job).update(
        status=JobStatus.PENDING,
        run_at=now + delay,
        locked_until=None,
        last_error=error,
        updated_at=now,
    )
    return False


def _held(job: ClaimedJob) -> QuerySet[Job]:
    """The job's row while this claim holds it: running, and claimed no time since."""
    return Job.filter(id=job.id, status=JobStatus.RUNNING, attempts=job.attempts)
