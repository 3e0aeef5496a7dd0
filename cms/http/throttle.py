"""Slowing down repeated failed authentication from one client.

After ``limit`` failures within ``window`` seconds, a client is refused (HTTP 429 with
Retry-After) until its oldest failure leaves the window, without its token being looked at.
Counted per process, in memory, for a bounded number of clients: a guard against guessing and
hammering, not an accounting of every attempt.
"""

from __future__ import annotations

import time
from collections import deque


class FailureThrottle:
    def __init__(self, limit: int = 10, window: float = 60.0, max_clients: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, client: str) -> float:
        """Seconds ``client`` must wait before trying again; 0 when it may try now."""
        failures = self._recent(client)
        if failures is None or len(failures) < self.limit:
            return 0.0
        return max(0.0, failures[0] + self.window - time.monotonic())

    def failed(self, client: str) -> None:
        failures = self._recent(client)
        if failures is None:
            if len(self._failures) >= self.max_clients:
                self._failures.pop(next(iter(self._failures)))
            failures = self._failures[client] = deque(maxlen=self.limit)
        failures.append(time.monotonic())

    def _recent(self, client: str) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is not None:
            horizon = time.monotonic() - self.window
            while failures and failures[0] < horizon:
                failures.popleft()
        return failures
