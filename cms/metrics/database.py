"""What the database says at scrape time: the job queue, and the connection pool.

The job queue is shared by every process, so it is read from the database when Prometheus
scrapes, not counted in memory: two small statements, answered from the ``(status, run_at)``
index. Finished jobs (``done``) stay in the table as history and are not counted: the queue
is what is waiting, running or failed.

The pool is read from the database client Cinq already holds. On PostgreSQL that is asyncpg's
pool (its size, idle connections and maximum). SQLite has one connection behind one lock, with
nothing worth a gauge: the pool metrics are left out there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from tortoise import connections

from cms.models import JobStatus
from cms.services.sql import fetch

log = logging.getLogger(__name__)

#: A scrape does not wait longer than this for the database (SQLite's one connection may be
#: held by a long transaction); the scrape then says so with ``cinq_database_up 0``.
TIMEOUT = 2.0
#: The states a job is counted in.
QUEUE_STATES = (JobStatus.PENDING, JobStatus.RUNNING, JobStatus.FAILED)

_COUNTS = (
    "SELECT kind, status, COUNT(*) AS jobs FROM job "  # noqa: S608 - constants only
    f"WHERE status IN ({', '.join(repr(str(state)) for state in QUEUE_STATES)}) "
    "GROUP BY kind, status"
)
# Due: what a worker would claim now (see cms.jobs.queue), pending since ``run_at`` or
# abandoned by a dead process since its lease ran out.
_OLDEST_DUE = (
    "SELECT MIN(CASE WHEN status = 'pending' THEN run_at ELSE locked_until END) AS due "
    "FROM job WHERE (status = 'pending' AND run_at <= ?) "
    "OR (status = 'running' AND locked_until < ?)"
)


@dataclass
class Snapshot:
    """One scrape's reading of the database; ``up`` is False when it did not answer."""

    up: bool = False
    jobs: dict[tuple[str, str], int] = field(default_factory=dict)
    oldest_due_age: float = 0.0
    pool: tuple[int, int, int] | None = None  # size, idle, max
    error: str | None = None


async def read() -> Snapshot:
    """Read the snapshot; ``up`` is False when the database failed or took too long."""
    snapshot = Snapshot(pool=_pool())
    now = datetime.now(UTC)
    try:
        async with asyncio.timeout(TIMEOUT):
            rows = await fetch(_COUNTS)
            due = await fetch(_OLDEST_DUE, [now, now], datetimes=["due"])
    except Exception as error:  # any failure reads as "the database is down"
        snapshot.error = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return snapshot
    snapshot.up = True
    snapshot.jobs = {(row["kind"], str(row["status"])): row["jobs"] for row in rows}
    oldest = due[0]["due"] if due else None
    if oldest is not None:
        snapshot.oldest_due_age = max(0.0, (now - oldest).total_seconds())
    return snapshot


def _pool() -> tuple[int, int, int] | None:
    try:
        client = connections.get("default")
    except Exception:  # the ORM is not open (yet, or any more)
        return None
    # Tortoise keeps asyncpg's pool in a private attribute and offers no accessor; read it
    # defensively, and report nothing if a Tortoise release moves it.
    pool = getattr(client, "_pool", None)
    if not isinstance(pool, asyncpg.Pool):
        return None
    return pool.get_size(), pool.get_idle_size(), pool.get_max_size()


class DatabaseCollector(Collector):
    """Reports the latest :class:`Snapshot`; the scrape handler refreshes it just before.

    ``kinds`` are the job kinds this app runs: each gets a series in every state, zero
    included, so that an alert on ``failed`` sees 0 rather than nothing.
    """

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = tuple(kinds)
        self.snapshot = Snapshot()
        self._failing = False

    async def refresh(self) -> None:
        """Read a new snapshot; a failure is logged when it begins, not at every scrape."""
        snapshot = await read()
        if not snapshot.up and not self._failing:
            log.warning("metrics: the database did not answer: %s", snapshot.error)
        elif snapshot.up and self._failing:
            log.info("metrics: the database answers again")
        self._failing = not snapshot.up
        self.snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        snapshot = self.snapshot
        up = GaugeMetricFamily(
            "cinq_database_up",
            f"1 when the database answered this scrape's queries within {TIMEOUT:g} s.",
        )
        up.add_metric([], 1 if snapshot.up else 0)
        yield up
        if snapshot.up:
            jobs = GaugeMetricFamily(
                "cinq_jobs",
                "Background jobs in the queue (every process's), by kind and state.",
                labels=["kind", "state"],
            )
            counts = {(kind, str(state)): 0 for kind in self.kinds for state in QUEUE_STATES}
            counts.update(snapshot.jobs)
            for (kind, state), count in sorted(counts.items()):
                jobs.add_metric([kind, state], count)
            yield jobs
            yield GaugeMetricFamily(
                "cinq_jobs_oldest_due_age_seconds",
                "How long the oldest job a worker could run now has been waiting (0: none).",
                value=snapshot.oldest_due_age,
            )
        if snapshot.pool is not None:
            size, idle, most = snapshot.pool
            pool = GaugeMetricFamily(
                "cinq_database_pool_connections",
                "Connections of this process's PostgreSQL pool, by state.",
                labels=["state"],
            )
            pool.add_metric(["busy"], size - idle)
            pool.add_metric(["idle"], idle)
            yield pool
            yield GaugeMetricFamily(
                "cinq_database_pool_max_connections",
                "The most connections this process's PostgreSQL pool opens.",
                value=most,
            )
