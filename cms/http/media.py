"""Serving stored files.

Public: image renditions (metadata-free, made by the background job) and PDFs (as
attachments). Both are content-addressed, so they are cached for a year as immutable, with a
strong ETag and 304 answers; ranges are honoured. An image's untouched original, which may
carry GPS and camera data, is served to writers only (a token, or the web app's session),
never cached.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

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
IMMUTABLE = "public, max-age=31536000, immutable"


def media_routes(storage: LocalStorage) -> list[Route]:
    async def public(request: Request) -> Response:
        key = request.path_params["key"]
        content_type = await _public_type(key)
        path = _existing(storage, key) if content_type else None
        if path is None or content_type is None:
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
        return FileResponse(path, media_type=content_type, headers=headers)

    async def original(request: Request) -> Response:
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
        media = await Media.get_or_none(id=request.path_params["media_id"])
        path = _existing(storage, media.storage_key) if media else None
        if media is None or path is None:
            return error_response(404, "No such file.", "NOT_FOUND")
        return FileResponse(
            path,
            media_type=media.content_type,
            filename=media.original_filename,
            headers={"cache-control": "private, no-store", "x-content-type-options": "nosniff"},
        )

    return [
        Route("/media/original/{media_id:int}", original, methods=["GET", "HEAD"]),
        Route("/media/{key:path}", public, methods=["GET", "HEAD"]),
    ]


async def _public_type(key: str) -> str | None:
    if key.startswith("renditions/"):
        return _RENDITION_TYPES.get(key[key.rfind(".") :])
    if key.startswith("blobs/"):
        sha256 = key.rsplit("/", 1)[-1]
        if await Media.exists(sha256=sha256, content_type="application/pdf"):
            return "application/pdf"
    return None


def _existing(storage: LocalStorage, key: str):
    try:
        path = storage.path(key)
    except ValueError:
        return None
    return path if path.is_file() else None
