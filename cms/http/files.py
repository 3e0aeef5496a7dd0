"""Serving stored files.

Public: image renditions (metadata-free, made by the background job) and PDFs (as
attachments). Both are content-addressed, so they are cached for a year as immutable, with a
strong ETag and 304 answers; ranges are honoured. An image's untouched original, which may
carry GPS and camera data, is served to writers only (a token, or the web app's session),
never cached. The bytes are streamed from the storage, by key: no route knows where, or on
what, they are kept.

Ranges follow RFC 9110 §14 (:func:`stored_file_response`): a ``Range`` in another unit or not
a valid byte-range set is ignored (200 with the whole file), a set no byte of the file
satisfies is 416 with ``Content-Range: bytes */SIZE``. A path naming a file that cannot exist
(an id out of the database's range, a NUL) is simply not found.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from email.utils import formatdate
from secrets import token_hex
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from cms.files.storage import InvalidKey, Storage, StoredFile
from cms.http import params
from cms.http.conditional import etag_matches, strong_etag
from cms.http.errors import error_response
from cms.models import Media
from cms.services.media import may_read_originals
from cms.services.permissions import Viewer

_RENDITION_TYPES = {
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
IMMUTABLE = "public, max-age=31536000, immutable"


def media_routes(storage: Storage) -> list[Route]:
    async def public(request: Request) -> Response:
        key = params.path_text(request, "key")
        content_type = await _public_type(key) if key else None
        found = await _existing(storage, key) if key and content_type else None
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
        return stored_file_response(request, storage, found, content_type, headers)

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
        if not may_read_originals(viewer):
            return error_response(403, "This token may not read originals.", "FORBIDDEN")
        media = await Media.get_or_none(id=media_id)
        found = await _existing(storage, media.storage_key) if media else None
        if media is None or found is None:
            return error_response(404, "No such file.", "NOT_FOUND")
        headers = {
            "cache-control": "private, no-store",
            "x-content-type-options": "nosniff",
            "content-disposition": _attachment(media.original_filename),
        }
        return stored_file_response(request, storage, found, media.content_type, headers)

    return [
        Route("/media/original/{media_id}", original, methods=["GET", "HEAD"]),
        Route("/media/{key:path}", public, methods=["GET", "HEAD"]),
    ]


def stored_file_response(
    request: Request, storage: Storage, file: StoredFile, media_type: str, headers: dict[str, str]
) -> Response:
    """The whole of a stored file, or the ranges of it ``Range`` asks for (RFC 9110 §14.2).

    A ``Range`` to be ignored (another unit, a malformed set, an ``If-Range`` naming another
    representation) gets the whole file; a set no byte satisfies gets 416; one range, 206 with
    ``Content-Range``; several, 206 as ``multipart/byteranges``, overlapping or touching ranges
    merged. ``headers`` may set the ETag; otherwise the storage's is sent.
    """
    headers = {
        "etag": file.etag,
        "last-modified": formatdate(file.modified, usegmt=True),
        **headers,
        "accept-ranges": "bytes",
        "content-length": str(file.size),
    }
    header = request.headers.get("range")
    if_range = request.headers.get("if-range")
    ranges = None
    if header is not None and _if_range_holds(if_range, headers):
        ranges = byte_ranges(header, file.size)
    if ranges == []:
        return error_response(
            416,
            f"No range asked for starts within the file's {file.size} bytes.",
            "RANGE_NOT_SATISFIABLE",
            {"content-range": f"bytes */{file.size}", "cache-control": "no-store"},
        )
    if not ranges:
        return _answer(request, 200, headers, media_type, lambda: storage.read(file.key))
    merged = _merged(ranges)
    if len(merged) == 1:
        first, last = merged[0]
        headers["content-range"] = f"bytes {first}-{last}/{file.size}"
        headers["content-length"] = str(last - first + 1)
        return _answer(
            request, 206, headers, media_type, lambda: storage.read(file.key, first, last + 1)
        )
    return _multipart_answer(request, storage, file, media_type, headers, merged)


def _multipart_answer(
    request: Request,
    storage: Storage,
    file: StoredFile,
    media_type: str,
    headers: dict[str, str],
    ranges: list[tuple[int, int]],
) -> Response:
    """206 with several ranges, as ``multipart/byteranges`` (RFC 9110 §14.6)."""
    boundary = token_hex(13)
    parts = [
        (
            f"--{boundary}\r\nContent-Type: {media_type}\r\n"
            f"Content-Range: bytes {first}-{last}/{file.size}\r\n\r\n"
        ).encode("latin-1")
        for first, last in ranges
    ]
    closing = f"--{boundary}--".encode("latin-1")
    length = sum(
        len(part) + last - first + 1 + 2 for part, (first, last) in zip(parts, ranges, strict=True)
    )
    headers["content-length"] = str(length + len(closing))
    return _answer(
        request,
        206,
        headers,
        f"multipart/byteranges; boundary={boundary}",
        lambda: _byteranges(storage, file.key, ranges, parts, closing),
    )


def _answer(
    request: Request,
    status: int,
    headers: dict[str, str],
    media_type: str,
    body: Callable[[], AsyncIterator[bytes]],
) -> Response:
    """The answer with its bytes streamed from the storage; to HEAD, the headers only."""
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=media_type)
    return StreamingResponse(body(), status, headers=headers, media_type=media_type)


def _if_range_holds(if_range: str | None, headers: dict[str, str]) -> bool:
    """RFC 9110 §13.1.5: a range applies only if ``If-Range`` (when sent) names this very
    representation, by strong ETag or by its exact Last-Modified date."""
    if if_range is None:
        return True
    if if_range.startswith("W/"):
        return False
    return if_range in {headers["etag"], headers["last-modified"]}


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges in order, those that overlap or touch made one: each byte is sent once."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


async def _byteranges(
    storage: Storage,
    key: str,
    ranges: list[tuple[int, int]],
    parts: list[bytes],
    closing: bytes,
) -> AsyncIterator[bytes]:
    """The body of a ``multipart/byteranges`` answer: each part's header, its bytes, CRLF."""
    for part, (first, last) in zip(parts, ranges, strict=True):
        yield part
        async for chunk in storage.read(key, first, last + 1):
            yield chunk
        yield b"\r\n"
    yield closing


def _attachment(filename: str) -> str:
    """``Content-Disposition`` offering the file under the name its uploader gave it."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


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


async def _existing(storage: Storage, key: str) -> StoredFile | None:
    """The stored file under ``key``, or None if there is no such file."""
    try:
        return await storage.stat(key)
    except InvalidKey:  # a key escaping the root, or holding a NUL
        return None
