"""Validators for HTTP caches: strong ETags, and ``If-None-Match`` as RFC 9110 reads it."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response

from cms.http.state import request_state


def strong_etag(data: bytes) -> str:
    """A strong ETag naming these exact bytes."""
    return '"' + hashlib.sha256(data).hexdigest()[:40] + '"'


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match: header`` holds ``etag``; it compares weakly (§13.1.2), so
    ``W/"x"`` matches ``"x"``, and ``*`` matches anything."""
    if not header:
        return False
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def validated(request: Request, body: bytes, media_type: str, cache_control: str) -> Response:
    """``body`` with a strong ETag and ``cache_control``, or 304 when the client holds it.

    The answer is public: the response cache may keep it until the next write.
    """
    etag = strong_etag(body)
    request_state(request.scope).public_etag = etag
    headers = {"etag": etag, "cache-control": cache_control}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
