"""Slowing down repeated failed authentication from one client.

After ``limit`` failures within ``window`` seconds, a client is refused (HTTP 429 with
Retry-After) until its oldest failure leaves the window, without its token being looked at.

Failures are kept in the database, so every process of a site, on one machine or several,
counts them together: N processes do not allow N times the tries. Each process reads a
client's count at most once every :data:`READ_EVERY` seconds (its own failures count at once),
so a site of N processes allows at most one extra try per process in that time. The rows
older than the window are deleted as failures come in.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import cast

from cms.models import AuthFailure

#: How long a process trusts what it last read of a client's failures.
READ_EVERY = 1.0
#: Old rows are deleted once every this many failures recorded by a process.
CLEAN_EVERY = 100


class FailureThrottle:
    def __init__(self, limit: int = 10, window: float = 60.0, max_clients: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        # Client → (when read, the latest failures' times, newest first), per process.
        self._read: dict[str, tuple[float, list[datetime]]] = {}
        self._recorded = 0

    async def retry_after(self, client: str) -> float:
        """Seconds ``client`` must wait before trying again; 0 when it may try now."""
        failures = await self._failures(client)
        if len(failures) < self.limit:
            return 0.0
        oldest = failures[self.limit - 1]
        return max(0.0, (oldest - _now()).total_seconds() + self.window)

    async def failed(self, client: str) -> None:
        now = _now()
        await AuthFailure.create(client=client[:64], at=now)
        read = self._read.get(client)
        if read is not None:
            self._read[client] = (read[0], [now, *read[1]][: self.limit])
        self._recorded += 1
        if self._recorded % CLEAN_EVERY == 0:
            await AuthFailure.filter(at__lt=now - timedelta(seconds=self.window)).delete()

    async def _failures(self, client: str) -> list[datetime]:
        read = self._read.get(client)
        if read is not None and time.monotonic() - read[0] < READ_EVERY:
            return read[1]
        horizon = _now() - timedelta(seconds=self.window)
        failures = cast(
            list[datetime],
            await AuthFailure.filter(client=client[:64], at__gt=horizon)
            .order_by("-at")
            .limit(self.limit)
            .values_list("at", flat=True),
        )
        if client not in self._read and len(self._read) >= self.max_clients:
            self._read.pop(next(iter(self._read)))
        self._read[client] = (time.monotonic(), failures)
        return failures


def _now() -> datetime:
    return datetime.now(UTC)
