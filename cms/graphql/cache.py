"""The public response cache: anonymous query results, per process, emptied by any write.

A key is the exact request an anonymous client sent: the method, the query string (GET) or
the body (POST), and whether the client asked for ``application/graphql-response+json``. The
operation, its variables and the locale are all in it. An entry lives until the change feed
moves (any committed write of content, in any process) or ``ttl`` passes, whichever comes
first; the ``ttl`` bounds answers that depend on the clock (upcoming events, say).

Correct before clever: a write empties the whole cache, and a result computed while a write
landed is not kept (its generation no longer matches).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from cms.services.changes import ChangeFeed

#: Larger answers are not kept: they would crowd out the rest.
MAX_ENTRY_BYTES = 512_000


@dataclass(frozen=True, slots=True)
class CachedResponse:
    generation: int
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str


class ResponseCache:
    def __init__(self, feed: ChangeFeed, *, entries: int, ttl: float) -> None:
        self.feed = feed
        self.capacity = entries
        self.ttl = ttl
        self._entries: OrderedDict[bytes, CachedResponse] = OrderedDict()
        self.hits = 0
        self.misses = 0
        feed.on_change(self._entries.clear)

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def get(self, key: bytes) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        if entry.generation != self.feed.generation or entry.expires < time.monotonic():
            del self._entries[key]
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
    ) -> None:
        """Keep a response computed at ``generation``, unless a write has landed since."""
        if generation != self.feed.generation or len(body) > MAX_ENTRY_BYTES:
            return
        self._entries[key] = CachedResponse(
            generation, time.monotonic() + self.ttl, status, headers, body, etag
        )
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
