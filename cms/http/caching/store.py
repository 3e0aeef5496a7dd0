"""The public response cache: anonymous answers, per process, emptied by any write.

A key is a digest of the exact request an anonymous client sent (see
:class:`~cms.http.caching.middleware.CachedAnswers`). An entry lives until the change feed
moves (any committed write of content, in any process) or ``ttl`` passes, whichever comes
first; the ``ttl`` bounds answers that depend on the clock (upcoming events, say).

Correct before clever: a write empties the whole cache, and an answer computed while a write
landed is not kept (its generation no longer matches). The cache counts its hits and misses
for the metrics.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.routing import BaseRoute

from cms.services.change_log import ChangeFeed

#: Larger answers are not kept: they would crowd out the rest.
MAX_ENTRY_BYTES = 512_000
#: What all kept answers may weigh together, per process.
MAX_TOTAL_BYTES = 64_000_000


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A kept answer, with what the request-observing layer further out reads about the
    request that made it (its route and GraphQL operation), so that a replay is counted and
    logged as the answer it repeats."""

    generation: int
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    route: BaseRoute | None = None
    operation_name: str | None = None


class ResponseCache:
    """Kept answers by key, least recently used first out, bounded in count and bytes."""

    def __init__(
        self, feed: ChangeFeed, *, entries: int, ttl: float, max_bytes: int = MAX_TOTAL_BYTES
    ) -> None:
        self.feed = feed
        self.capacity = entries
        self.ttl = ttl
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, CachedResponse] = OrderedDict()
        self._bytes = 0
        # Lookups answered from the cache, and not: read by the metrics when scraped.
        self.hits = 0
        self.misses = 0
        feed.on_change(self.clear)

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    @property
    def size(self) -> int:
        """The bytes of the kept bodies."""
        return self._bytes

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def get(self, key: bytes) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if entry.generation != self.feed.generation or entry.expires < time.monotonic():
            self._drop(key)
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(
        self,
        key: bytes,
        generation: int,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: str,
        route: BaseRoute | None = None,
        operation_name: str | None = None,
    ) -> None:
        """Keep an answer computed at ``generation``, unless a write has landed since."""
        if generation != self.feed.generation or len(body) > MAX_ENTRY_BYTES:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = CachedResponse(
            generation,
            time.monotonic() + self.ttl,
            status,
            headers,
            body,
            etag,
            route,
            operation_name,
        )
        self._bytes += len(body)
        while len(self._entries) > self.capacity or self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        self._bytes -= len(self._entries.pop(key).body)

    def __len__(self) -> int:
        return len(self._entries)
