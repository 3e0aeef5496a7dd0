"""Uploads: the GraphQL multipart request spec, streamed by :mod:`cms.files.multipart`.

Strawberry's default spools every file through the system temp folder with no cap; here the
files go straight to storage's temporary area, counted against the upload cap. Against
cross-site request forgery, a multipart request must carry a header that forces a CORS
preflight (``Apollo-Require-Preflight`` or ``X-Apollo-Operation-Name``, as Apollo's upload
client sends); and a caller who may not upload is refused before a byte of the body is read.
The files no resolver kept are the caller's to discard (:meth:`ParsedUpload.discard`) when the
request ends, whatever its outcome.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from strawberry.file_uploads.utils import replace_placeholders_with_files

from cms.files import multipart
from cms.files.multipart import ParsedUpload
from cms.files.storage import Storage
from cms.graphql.endpoint.decoding import MAX_JSON_DEPTH, TOO_DEEP, depth_exceeds
from cms.services.media import may_upload
from cms.services.permissions import Viewer

#: Headers that force a browser's CORS preflight; an upload must carry one of them.
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")


class UploadNeedsCaller(Exception):
    """An anonymous upload: answered 401, as for any request that needs a caller."""


async def receive(request: Request, storage: Storage, max_bytes: int) -> ParsedUpload:
    """The multipart body of ``request``, its files in storage's temporary area.

    The checks come first: the preflight header, then the caller (``request.user``) and their
    right to upload; only then is the body read.
    """
    headers = request.headers
    if not any(headers.get(name) for name in PREFLIGHT_HEADERS):
        raise HTTPException(
            400,
            "Uploads need an Apollo-Require-Preflight header (protection against "
            "cross-site request forgery).",
        )
    viewer: Viewer = request.user
    if viewer.is_anonymous:
        raise UploadNeedsCaller
    if not may_upload(viewer):
        raise HTTPException(403, "This token may not upload files.")
    try:
        return await multipart.parse(
            headers.get("content-type", ""), request.stream(), storage, max_bytes
        )
    except multipart.MultipartError as error:
        raise HTTPException(error.status, str(error)) from None
    except RecursionError:
        raise HTTPException(400, TOO_DEEP) from None


def operations(upload: ParsedUpload) -> dict[str, Any]:
    """The upload's operations, each file in the place its map names."""
    if not isinstance(upload.operations, dict | list):
        raise HTTPException(400, "The operations field must be a JSON object.")
    if depth_exceeds(upload.operations, MAX_JSON_DEPTH):
        raise HTTPException(400, TOO_DEEP)
    try:
        # Strawberry walks a batch (a list) as well, but annotates only a dict.
        return replace_placeholders_with_files(upload.operations, upload.files_map, upload.files)  # type: ignore[arg-type]
    except (KeyError, IndexError, TypeError, ValueError):
        raise HTTPException(400, "The map names a path the operations do not have.") from None
