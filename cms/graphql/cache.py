"""The public response cache: anonymous query answers, per process, emptied by any write.

A key is a digest of the exact request an anonymous client sent: the method, the query string
(GET) or the body (POST), and whether the client asked for
``application/graphql-response+json``. The operation, its variables and the locale are all in
it. An entry lives until the change feed moves (any committed write of content, in any
process) or ``ttl`` passes, whichever comes first; the ``ttl`` bounds answers that depend on
the clock (upcoming events, say).

Correct before clever: a write empties the whole cache, and an answer computed while a write
landed is not kept (its generation no longer matches).

:class:`CachedAnswers` is the ASGI layer in front of the router that replays entries, so a hit
costs about what a static response does. The GraphQL view decides what may be kept: it marks
the request's scope ``cms.cacheable`` (an anonymous query answered without errors) and gives
the answer's ETag in ``cms.etag``; public resources (feeds, sitemaps, calendars) do the same.
A kept answer also keeps what the request-observing layer further out reads from the scope
(:data:`OBSERVED`: the route, the GraphQL operation), so a replayed answer is counted and logged
as the one it repeats; the cache counts its hits and misses for the metrics.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http.conditional import etag_matches
from cms.services.changes import ChangeFeed
from cms.services.sessions import COOKIE

#: Larger answers are not kept: they would crowd out the rest.
MAX_ENTRY_BYTES = 512_000
#: What all kept answers may weigh together, per process.
MAX_TOTAL_BYTES = 64_000_000
#: A request carrying it is a signed-in person's, never answered from the cache.
SESSION_COOKIE = COOKIE.encode() + b"="
#: Headers a 304 repeats (RFC 9110 §15.4.5).
REVALIDATION = (b"etag", b"cache-control", b"vary")
#: Scope entries the inner layers set while answering, given back to the scope on a replay
#: (for :class:`cms.metrics.observe.Observe`).
OBSERVED = ("route", "cms.operation_name")


@dataclass(frozen=True, slots=True)
class CachedResponse:
    generation: int
    expires: float
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str
    observed: tuple[tuple[str, Any], ...] = ()


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
        observed: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        """Keep an answer computed at ``generation``, unless a write has landed since."""
        if generation != self.feed.generation or len(body) > MAX_ENTRY_BYTES:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = CachedResponse(
            generation, time.monotonic() + self.ttl, status, headers, body, etag, observed
        )
        self._bytes += len(body)
        while len(self._entries) > self.capacity or self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        self._bytes -= len(self._entries.pop(key).body)

    def __len__(self) -> int:
        return len(self._entries)


class CachedAnswers:
    """Answers anonymous requests from the cache, and fills it on a miss.

    Two kinds of request are looked up, when they carry neither an Authorization header nor
    the web app's session cookie:

    - GraphQL at ``graphql_path``: GET, or a JSON POST whose declared length is at most
      ``max_body`` (anything larger goes on to the size limits);
    - GET of public resources under ``prefixes`` (feeds, sitemaps, calendars), keyed by host
      too, since their self links name it.

    Keys are SHA-256 digests of the request, so what a client sends does not weigh on memory.
    It sits inside the CORS and request-id layers: those headers are per request, not kept.
    """

    def __init__(
        self,
        app: ASGIApp,
        cache: ResponseCache,
        graphql_path: str,
        prefixes: tuple[str, ...],
        max_body: int,
    ) -> None:
        self.app = app
        self.cache = cache
        self.graphql_path = graphql_path
        self.prefixes = prefixes
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.cache.enabled:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        graphql = path == self.graphql_path
        if not graphql and not path.startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        length = accept = if_none_match = host = content_type = None
        for name, value in scope["headers"]:
            # A repeated header counts by its first value, as Starlette reads it.
            if name == b"authorization" or (name == b"cookie" and SESSION_COOKIE in value):
                await self.app(scope, receive, send)
                return
            if name == b"accept":
                accept = value if accept is None else accept
            elif name == b"content-length":
                length = value if length is None else length
            elif name == b"content-type":
                content_type = value if content_type is None else content_type
            elif name == b"if-none-match":
                if if_none_match is None:
                    if_none_match = value.decode("latin-1")
            elif name == b"host":
                host = value if host is None else host
        query_string: bytes = scope["query_string"]
        if not graphql:
            if method != "GET":
                await self.app(scope, receive, send)
                return
            parts = (b"R", scope["scheme"].encode(), host or b"", scope["raw_path"], query_string)
            key = hashlib.sha256(b"\0".join(parts)).digest()
        else:
            media = b"1" if accept and b"application/graphql-response+json" in accept else b"0"
            small = length is not None and length.isdigit() and int(length) <= self.max_body
            if method == "GET" and len(query_string) <= self.max_body:
                key = hashlib.sha256(b"G" + media + query_string).digest()
            elif method == "POST" and small and _is_json(content_type):
                read = await _read_body(receive)
                if read is None:  # the client left before sending its whole body
                    return
                body, receive = read
                key = hashlib.sha256(b"P" + media + body).digest()
            else:
                await self.app(scope, receive, send)
                return

        await self.cache.feed.ensure_fresh()
        entry = self.cache.get(key)
        if entry is not None:
            scope.update(entry.observed)
            await _replay(entry, method, if_none_match, send)
            return
        generation = self.cache.feed.generation
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def recording_send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))  # before outer layers add theirs
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, recording_send)
        etag = scope.get("cms.etag")
        if scope.get("cms.cacheable") and etag and status == 200:
            observed = tuple((name, scope[name]) for name in OBSERVED if name in scope)
            self.cache.put(key, generation, 200, headers, b"".join(chunks), etag, observed)


def _is_json(content_type: bytes | None) -> bool:
    return content_type is not None and content_type.startswith(b"application/json")


async def _read_body(receive: Receive) -> tuple[bytes, Receive] | None:
    """The whole body, and a ``receive`` that hands it over again, then defers to the real
    one; None when the client disconnects first (nothing is run for it)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return pending[0]["body"], replay


async def _replay(
    entry: CachedResponse, method: str, if_none_match: str | None, send: Send
) -> None:
    """Send a kept answer as it was, or 304 when a GET's client holds the same bytes."""
    if method == "GET" and etag_matches(if_none_match, entry.etag):
        headers = [(k, v) for k, v in entry.headers if k in REVALIDATION]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
