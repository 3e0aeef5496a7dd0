"""The ASGI layer in front of the router that answers anonymous requests from the response
cache, so a hit costs about what a static response does.

A key is a digest of the exact request an anonymous client sent: the method, the query string
(GET) or the body (POST), and whether the client asked for
``application/graphql-response+json``. The operation, its variables and the locale are all in
it. Whoever answers decides what may be kept: an answer whose
:class:`~cms.http.state.RequestState` names a public ETag (see :mod:`cms.http.caching.policy`
and :func:`cms.http.conditional.validated`). A kept answer also keeps what the
request-observing layer further out reads (the route, the GraphQL operation), so a replayed
answer is counted and logged as the one it repeats.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http.caching.store import CachedResponse, ResponseCache
from cms.http.conditional import etag_matches
from cms.http.state import request_state
from cms.services.sessions import COOKIE

#: A request carrying it is a signed-in person's, never answered from the cache.
SESSION_COOKIE = COOKIE.encode() + b"="
#: Headers a 304 repeats (RFC 9110 §15.4.5).
REVALIDATION = (b"etag", b"cache-control", b"vary")


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
            if entry.route is not None:
                scope["route"] = entry.route
            request_state(scope).operation_name = entry.operation_name
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
        state = request_state(scope)
        if state.public_etag is not None and status == 200:
            body = b"".join(chunks)
            route = scope.get("route")
            operation = state.operation_name
            self.cache.put(key, generation, 200, headers, body, state.public_etag, route, operation)


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
    body = b"".join(chunks)
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return body, replay


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
