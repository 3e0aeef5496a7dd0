"""The worker loop each app process runs: claim a due job, run its handler, repeat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from cms.jobs import queue

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]
GiveUp = Callable[[dict[str, Any], str], Awaitable[None]]


class Worker:
    def __init__(self) -> None:
        self.handlers: dict[str, tuple[Handler, GiveUp | None]] = {}

    def register(self, kind: str, handler: Handler, on_give_up: GiveUp | None = None) -> None:
        self.handlers[kind] = (handler, on_give_up)

    async def run_once(self) -> bool:
        """Run one due job; False when there was none."""
        job = await queue.claim()
        if job is None:
            return False
        handler, on_give_up = self.handlers.get(job.kind, (None, None))
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {job.kind!r}")
            await handler(job.payload)
        except asyncio.CancelledError:
            raise  # shutting down: the lease runs out and another run takes it
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            gave_up = await queue.fail(job, error)
            log.warning("job %s (%s) failed, attempt %s: %s", job.id, job.kind, job.attempts, error)
            if gave_up and on_give_up is not None:
                await on_give_up(job.payload, error)
        else:
            await queue.complete(job)
        return True

    async def run_until_idle(self) -> int:
        done = 0
        while await self.run_once():
            done += 1
        return done

    async def run_forever(self, interval: float) -> None:
        while True:
            try:
                await self.run_until_idle()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("worker: a run failed; retrying in %s s", interval)
            await asyncio.sleep(interval)
