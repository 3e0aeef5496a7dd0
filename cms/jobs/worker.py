"""The worker loop each app process runs: claim a due job, run its handler, repeat.

While a handler runs, a heartbeat renews the job's lease (:func:`cms.jobs.queue.renew`), so
the lease can be short: when the process dies, its jobs run again elsewhere once ``lease``
has passed, yet a job that takes longer than ``lease`` in a live process keeps it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from cms.backoff import Backoff
from cms.jobs import queue

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]
GiveUp = Callable[[dict[str, Any], str], Awaitable[None]]


class Worker:
    """Runs registered handlers for claimed jobs.

    ``lease`` is how long a claimed job stays with this process without a renewal, and so how
    long a dead process's job waits; ``heartbeat``, how often it is renewed (a fraction of
    ``lease``, so that a slow or failed renewal or two does not lose it).
    """

    def __init__(
        self, *, lease: timedelta = queue.LEASE, heartbeat: timedelta = queue.HEARTBEAT
    ) -> None:
        if not timedelta(0) < heartbeat < lease:
            raise ValueError("a worker's heartbeat must be shorter than its lease")
        self.lease = lease
        self.heartbeat = heartbeat
        self.handlers: dict[str, tuple[Handler, GiveUp | None]] = {}

    def register(self, kind: str, handler: Handler, on_give_up: GiveUp | None = None) -> None:
        self.handlers[kind] = (handler, on_give_up)

    async def run_once(self) -> bool:
        """Run one due job; False when there was none."""
        job = await queue.claim(lease=self.lease)
        if job is None:
            return False
        handler, on_give_up = self.handlers.get(job.kind, (None, None))
        beat = asyncio.create_task(self._keep_lease(job))
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {job.kind!r}")
            await handler(job.payload)
        except asyncio.CancelledError:
            raise  # shutting down: the lease runs out and another run takes it
        except Exception as exc:
            error: str | None = f"{type(exc).__name__}: {exc}"
        else:
            error = None
        finally:
            await _stop(beat)
        if error is None:
            if not await queue.complete(job):
                log.warning("job %s (%s) finished after losing its lease", job.id, job.kind)
            return True
        gave_up = await queue.fail(job, error)
        log.warning("job %s (%s) failed, attempt %s: %s", job.id, job.kind, job.attempts, error)
        if gave_up and on_give_up is not None:
            await on_give_up(job.payload, error)
        return True

    async def run_until_idle(self) -> int:
        done = 0
        while await self.run_once():
            done += 1
        return done

    async def run_forever(self, interval: float) -> None:
        backoff = Backoff("job worker", interval, log)
        while True:
            try:
                await self.run_until_idle()
                pause = backoff.succeeded()
            except asyncio.CancelledError:
                raise
            except Exception:
                pause = backoff.failed()
            await asyncio.sleep(pause)

    async def _keep_lease(self, job: queue.ClaimedJob) -> None:
        """Renew the lease on ``job`` every heartbeat, until cancelled or the lease is lost."""
        while True:
            await asyncio.sleep(self.heartbeat.total_seconds())
            try:
                held = await queue.renew(job, self.lease)
            except Exception:
                # A database hiccup: the next beat tries again, well before the lease ends.
                log.warning("job %s: renewing its lease failed", job.id, exc_info=True)
                continue
            if not held:
                log.warning(
                    "job %s (%s) lost its lease: it was taken again after %s without renewal",
                    job.id,
                    job.kind,
                    self.lease,
                )
                return


async def _stop(beat: asyncio.Task[None]) -> None:
    """Cancel the heartbeat and wait for it to end (without taking its cancellation as ours)."""
    beat.cancel()
    await asyncio.wait([beat])
