"""Serving stored files.

Public: image renditions (metadata-free, made by the background job) and PDFs (as
attachments). Both are content-addressed, so they are cached for a year as immutable, with a
strong ETag and 304 answers; ranges are honoured. An image's untouched original, which may
carry GPS and camera data, is served to writers only (a token, or the web app's session),
never cached.

Ranges follow RFC 9110 §14 (:class:`MediaFile`): a ``Range`` in another unit or not a valid
byte-range set is ignored (200 with the whole file), a set no byte of the file satisfies is
416 with ``Content-Range: bytes */SIZE``. A path naming a file that cannot exist (an id out
of the database's range, a NUL) is simply not found.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from cms.http import params
from cms.http.conditional import etag_matches, strong_etag
from cms.http.errors import error_response
from cms.media.storage import LocalStorage
from cms.models import Media
from cms.services.permissions import Permission, Viewer

_RENDITION_TYPES = {
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
IMMUTABLE = "public, max-age=31536000, immutable"


def media_routes(storage: LocalStorage) -> list[Route]:
    async def public(request: Request) -> Response:
        key = params.path_text(request, "key")
        content_type = await _public_type(key) if key else None
        found = _existing(storage, key) if key and content_type else None
        if found is None or content_type is None:
            return error_response(404, "No such file.", "NOT_FOUND")
        etag = strong_etag(key.encode())  # a key names its bytes for good
        headers = {
            "etag": etag,
            "cache-control": IMMUTABLE,
            "x-content-type-options": "nosniff",
        }
        if content_type == "application/pdf":
            headers["content-disposition"] = "attachment"
        if etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        path, stat_result = found
        return MediaFile(path, media_type=content_type, headers=headers, stat_result=stat_result)

    async def original(request: Request) -> Response:
        media_id = params.path_id(request, "media_id")
        if media_id is None:
            return error_response(404, "No such file.", "NOT_FOUND")
        viewer: Viewer = request.user
        if viewer.is_anonymous:
            return error_response(
                401,
                "Originals need a token or a signed-in session.",
                "UNAUTHENTICATED",
                {"www-authenticate": "Bearer"},
            )
        if not viewer.can(Permission.CREATE_POSTS):
            return error_response(403, "This token may not read originals.", "FORBIDDEN")
        media = await Media.get_or_none(id=media_id)
        found = _existing(storage, media.storage_key) if media else None
        if media is None or found is None:
            return error_response(404, "No such file.", "NOT_FOUND")
        path, stat_result = found
        return MediaFile(
            path,
            media_type=media.content_type,
            filename=media.original_filename,
            headers={"cache-control": "private, no-store", "x-content-type-options": "nosniff"},
            stat_result=stat_result,
        )

    return [
        Route("/media/original/{media_id}", original, methods=["GET", "HEAD"]),
        Route("/media/{key:path}", public, methods=["GET", "HEAD"]),
    ]


class MediaFile(FileResponse):
    """A file answering ``Range`` as RFC 9110 §14.2 says.

    Starlette's FileResponse refuses with a plain-text 400 what the RFC says to ignore (another
    unit, a malformed set) and answers 416 when any one range is beyond the file, where the
    RFC asks for the ranges that are satisfiable. The header is read here first: ignored ones
    are taken out of the request, satisfiable ones are passed on in a form Starlette reads as
    meant, and an unsatisfiable set is answered here. Needs ``stat_result``.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        header = headers.get("range")
        if header is not None and scope["method"] in {"GET", "HEAD"}:
            assert self.stat_result is not None
            size = self.stat_result.st_size
            if_range = headers.get("if-range")
            ranges = byte_ranges(header, size) if self._if_range_holds(if_range) else None
            if ranges == []:
                refusal = error_response(
                    416,
                    f"No range asked for starts within the file's {size} bytes.",
                    "RANGE_NOT_SATISFIABLE",
                    {"content-range": f"bytes */{size}", "cache-control": "no-store"},
                )
                await refusal(scope, receive, send)
                return
            kept = [(name, value) for name, value in scope["headers"] if name != b"range"]
            if ranges:
                spec = ",".join(f"{first}-{last}" for first, last in ranges)
                kept.append((b"range", f"bytes={spec}".encode("latin-1")))
            scope = {**scope, "headers": kept}
        await super().__call__(scope, receive, send)

    def _if_range_holds(self, if_range: str | None) -> bool:
        """RFC 9110 §13.1.5: a range applies only if ``If-Range`` (when sent) names this very
        representation, by strong ETag or by its exact Last-Modified date."""
        if if_range is None:
            return True
        if if_range.startswith("W/"):
            return False
        return if_range in {self.headers.get("etag"), self.headers.get("last-modified")}


#: More ranges than this in one request are ignored, as Starlette does: a client has no use
#: for them, and each costs a part header and a seek (RFC 9110 §14.2 allows ignoring them).
MAX_RANGES = 100
_RANGE_SPEC = re.compile(r"([0-9]+)-([0-9]*)|-([0-9]+)")


def byte_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The satisfiable ranges of ``Range: header`` over a file of ``size`` bytes, as inclusive
    ``(first, last)`` offsets (RFC 9110 §14.1.2).

    None when the header is to be ignored: another unit, a set that is not valid (a range
    whose last byte comes before its first included), or too many ranges. An empty list when
    no range is satisfiable: the answer is 416.
    """
    unit, equals, spec = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    parts = [part.strip() for part in spec.split(",")]
    parts = [part for part in parts if part]  # a list may hold empty elements (§5.6.1)
    if not parts or len(parts) > MAX_RANGES:
        return None
    ranges = []
    for part in parts:
        match = _RANGE_SPEC.fullmatch(part)
        if match is None:
            return None
        first_text, last_text, suffix_text = match.groups()
        if suffix_text is not None:
            length = _offset(suffix_text)
            if length > 0 and size > 0:
                ranges.append((max(size - length, 0), size - 1))
            continue
        first = _offset(first_text)
        last = _offset(last_text) if last_text else None
        if last is not None and last < first:
            return None
        if first < size:
            ranges.append((first, size - 1 if last is None else min(last, size - 1)))
    return ranges


def _offset(digits: str) -> int:
    """A byte offset; past 18 digits it is beyond any file, and kept from costing a huge
    int parse."""
    return int(digits) if len(digits) <= 18 else 10**18


async def _public_type(key: str) -> str | None:
    if key.startswith("renditions/"):
        return _RENDITION_TYPES.get(key[key.rfind(".") :])
    if key.startswith("blobs/"):
        sha256 = key.rsplit("/", 1)[-1]
        if _SHA256.fullmatch(sha256) and await Media.exists(
            sha256=sha256, content_type="application/pdf"
        ):
            return "application/pdf"
    return None


def _existing(storage: LocalStorage, key: str) -> tuple[Path, os.stat_result] | None:
    """The stored file under ``key`` and its status, or None if there is no such file."""
    try:
        path = storage.path(key)
        stat_result = path.stat()
    except (OSError, ValueError):  # ValueError: a key escaping the root, or holding a NUL
        return None
    return (path, stat_result) if stat.S_ISREG(stat_result.st_mode) else None
