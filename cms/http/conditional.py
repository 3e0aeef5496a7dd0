"""Validators for HTTP caches: strong ETags, and ``If-None-Match`` as RFC 9110 reads it."""

from __future__ import annotations

import hashlib


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
