"""Pacing a background loop through failures: the job worker, the scheduler, the change feed.

While the database is down every run fails at once; looping at the normal interval would log
thousands of tracebacks a minute and hammer a server that is trying to come back. A
:class:`Backoff` doubles the pause after each consecutive failure, up to a ceiling, and logs
only when the state changes: the first failure (with its traceback), then the recovery (with
how long it lasted). The next run after a success waits the normal interval again.
"""

from __future__ import annotations

import logging
import time

CEILING = 60.0


class Backoff:
    def __init__(self, name: str, interval: float, log: logging.Logger, ceiling: float = CEILING):
        self.name = name
        self.interval = interval
        self.ceiling = max(ceiling, interval)
        self.log = log
        self.failures = 0
        self._failing_since = 0.0

    def succeeded(self) -> float:
        """Seconds to wait before the next run, after one that worked."""
        if self.failures:
            self.log.warning(
                "%s: working again after %s failed run(s) over %.0f s",
                self.name,
                self.failures,
                time.monotonic() - self._failing_since,
            )
            self.failures = 0
        return self.interval

    def failed(self) -> float:
        """Seconds to wait before the next run, after one that raised (call from ``except``)."""
        self.failures += 1
        if self.failures == 1:
            self._failing_since = time.monotonic()
            self.log.exception(
                "%s: a run failed; retrying with growing pauses (up to %.0f s), and logging "
                "again only once it works",
                self.name,
                self.ceiling,
            )
        # At least a tenth of a second even when the normal interval is 0 (poll on every read).
        return min(self.ceiling, max(self.interval, 0.1) * 2.0 ** min(self.failures, 16))
