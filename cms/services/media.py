"""Keeping an upload: check what it is, measure it, store it once, record it; then changing
what is known of it, and deleting it.

The type comes from the file's first bytes (never its name or declared type) and must be on
the allow-list. An image's size is read from its header, with Pillow restricted to the sniffed
format and its decompression-bomb warning raised as an error, before anything decodes pixels.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from PIL import Image, UnidentifiedImageError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from cms.files.multipart import StoredUpload
from cms.files.renditions import render
from cms.files.s3 import STAGING
from cms.files.sniff import IMAGE_TYPES, sniff
from cms.files.storage import Storage
from cms.jobs import queue
from cms.models import Media, MediaStatus, Post, PostStatus, PostTranslation
from cms.services import embeds, visibility
from cms.services.errors import ContentError, not_found
from cms.services.permissions import Permission, Viewer
from cms.services.webhooks.diffs import media_ready

RENDITIONS_JOB = "media.renditions"

_PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
    "image/avif": "AVIF",
}


def may_upload(viewer: Viewer) -> bool:
    """Whether ``viewer`` may send files: whoever may write content. It is checked before an
    upload's body is read, so refused bytes are never stored."""
    return viewer.can(Permission.CREATE_CONTENT)


def may_read_originals(viewer: Viewer) -> bool:
    """Whether ``viewer`` may download an original as uploaded, metadata and all (the public
    sees only renditions, stripped of it): whoever may upload."""
    return may_upload(viewer)


@dataclass(frozen=True)
class MediaDetails:
    alt: dict[str, str]
    focal_x: float | None = None
    focal_y: float | None = None


async def _checked(
    upload: StoredUpload, storage: Storage, max_pixels: int
) -> tuple[str, int | None, int | None]:
    """An upload's sniffed type, and its size when it is an image; refused otherwise."""
    content_type = sniff(upload.head)
    if content_type is None:
        raise ContentError(
            "file",
            "INVALID",
            f"{upload.filename!r} is not a JPEG, PNG, WebP, AVIF, GIF or PDF file.",
        )
    width = height = None
    if content_type in IMAGE_TYPES:
        width, height = await _dimensions(upload, storage, content_type, max_pixels)
    return content_type, width, height


async def _dimensions(
    upload: StoredUpload, storage: Storage, content_type: str, max_pixels: int
) -> tuple[int, int]:
    """An image's size, from its header: in its scratch file, or, for an upload streamed
    into an object store, in the first bytes kept in memory (the whole file is fetched back
    only when its header lies beyond them)."""
    if upload.staged is None:
        return await asyncio.to_thread(_image_size, upload.temp_path, content_type, max_pixels)
    try:
        return await asyncio.to_thread(
            _image_size, io.BytesIO(upload.probe), content_type, max_pixels
        )
    except _Unreadable:
        if len(upload.probe) >= upload.size:
            raise  # the whole file was there
    async with storage.local_file(upload.staged) as path:
        return await asyncio.to_thread(_image_size, path, content_type, max_pixels)


async def store(
    upload: StoredUpload,
    storage: Storage,
    details: MediaDetails,
    *,
    account_id: int | None,
    max_pixels: int,
) -> Media:
    """Record an uploaded file as a new media row, its bytes stored under their hash."""
    content_type, width, height = await _checked(upload, storage, max_pixels)
    image = content_type in IMAGE_TYPES
    key = await storage.commit(upload)
    try:
        async with holding(upload.sha256):
            await _still_stored(storage, upload)
            media = await Media.create(
                original_filename=upload.filename,
                content_type=content_type,
                size=upload.size,
                sha256=upload.sha256,
                storage_key=key,
                width=width,
                height=height,
                alt=details.alt,
                focal_x=details.focal_x,
                focal_y=details.focal_y,
                status=MediaStatus.PROCESSING if image else MediaStatus.READY,
                created_by_id=account_id,
            )
            if image:
                await queue.enqueue(RENDITIONS_JOB, {"media_id": media.id})
            else:
                await media_ready(media)
        return media
    except BaseException:
        await forget_blob(storage, upload.sha256, key)
        raise
    finally:
        await storage.discard(upload)


async def replace(
    upload: StoredUpload, storage: Storage, media_id: int, *, max_pixels: int
) -> Media:
    """Put new bytes under an existing file: its id, alternative text, focal point and every
    post using it stay. An image stays an image and a PDF a PDF, so that no embed changes
    kind. An image's renditions are made again from the new bytes; until they are, readers
    get the former ones (and the former size), whose bytes go once the new ones are in place
    (see :func:`make_renditions`)."""
    content_type, _width, _height = await _checked(upload, storage, max_pixels)
    image = content_type in IMAGE_TYPES
    key = await storage.commit(upload)
    try:
        async with holding(upload.sha256):
            await _still_stored(storage, upload)
            media = await Media.select_for_update().get_or_none(id=media_id)
            if media is None:
                raise not_found("media", media_id)
            if (media.content_type in IMAGE_TYPES) != image:
                raise ContentError(
                    "file", "INVALID", "Replace an image with an image, and a PDF with a PDF."
                )
            former = {"sha256": media.sha256, "key": media.storage_key}
            # An image's former renditions stay listed, and served, until the new ones are.
            await Media.filter(id=media_id).update(
                original_filename=upload.filename,
                content_type=content_type,
                size=upload.size,
                sha256=upload.sha256,
                storage_key=key,
                failure=None,
                status=MediaStatus.PROCESSING if image else MediaStatus.READY,
            )
            await media.refresh_from_db()
            if image:
                await queue.enqueue(RENDITIONS_JOB, {"media_id": media.id, "replaced": former})
            else:
                await media_ready(media)
    except BaseException:
        await forget_blob(storage, upload.sha256, key)
        raise
    finally:
        await storage.discard(upload)
    if not image:
        await forget_blob(storage, former["sha256"], former["key"])
    return media


@asynccontextmanager
async def holding(sha256: str) -> AsyncIterator[None]:
    """A transaction in which the bytes ``sha256`` are held against every other process's
    use of them, so that whether a row uses them and whether they are stored agree.

    Recording a file (:func:`store`, :func:`replace`) checks that its bytes are still stored
    and writes its row under this hold; forgetting bytes (:func:`forget_blob`, :func:`sweep`)
    checks that no row uses them and deletes them under it. So bytes are never deleted from
    under a file being recorded, on any node. On PostgreSQL the hold is an advisory lock for
    the transaction, keyed by the hash; SQLite (one writer, one process) has its transactions
    take turns already.
    """
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            await connection.execute_query(
                "SELECT pg_advisory_xact_lock($1, $2)", [_BLOB_LOCKS, _lock_key(sha256)]
            )
        yield


#: The advisory locks' first key, for held bytes ("Blob" in ASCII).
_BLOB_LOCKS = 0x426C6F62


def _lock_key(sha256: str) -> int:
    """A signed 32-bit number from the hash (two hashes sharing one only take turns)."""
    return int(sha256[:8], 16) - (1 << 31)


async def _still_stored(storage: Storage, upload: StoredUpload) -> None:
    """Store the upload's bytes again if they went meanwhile: another file that used the same
    bytes was deleted between this upload's commit and its hold."""
    await storage.commit(upload)


async def forget_blob(storage: Storage, sha256: str, key: str) -> None:
    """Delete stored bytes, and what was derived from them, once no media row uses them."""
    async with holding(sha256):
        if await Media.exists(sha256=sha256):
            return
        await storage.delete(key)
        await storage.delete_prefix(renditions_prefix(sha256))


async def sweep(storage: Storage, grace: timedelta) -> int:
    """Delete stored bytes no file uses, once older than ``grace``: what a process stopped
    between storing an upload and recording it left behind (an upload in flight stores its
    bytes before its row, hence the grace), staging objects included. Returns how many
    originals went, each with its renditions."""
    cutoff = (datetime.now(UTC) - grace).timestamp()
    used = set(cast(list[str], await Media.all().values_list("sha256", flat=True)))
    gone = 0
    for prefix in ("blobs", "renditions"):
        orphans = {
            stored.key
            async for stored in storage.list(prefix)
            if _digest_of(stored.key) not in used and stored.modified < cutoff
        }
        for key in sorted(orphans):
            digest = _digest_of(key)
            async with holding(digest):
                if await Media.exists(sha256=digest):  # recorded meanwhile
                    continue
                await storage.delete(key)
            gone += prefix == "blobs"
    # Uploads streamed into an object store wait under a staging key until recorded.
    async for stored in storage.list(STAGING):
        if stored.modified < cutoff:
            await storage.delete(stored.key)
    return gone


def _digest_of(key: str) -> str:
    """The content address a key belongs to: blobs/ab/DIGEST, renditions/ab/DIGEST/NAME."""
    parts = key.split("/")
    return parts[2] if len(parts) > 2 else ""


def renditions_prefix(sha256: str) -> str:
    return f"renditions/{sha256[:2]}/{sha256}"


async def make_renditions(
    storage: Storage, max_pixels: int, media_id: int, replaced: dict[str, str] | None = None
) -> None:
    """The background job: derive the public files of an uploaded image. After
    :func:`replace`, ``replaced`` names the former bytes: they go once the new renditions are
    in place, if no other file uses them."""
    media = await Media.get_or_none(id=media_id)
    if media is None:
        return  # deleted meanwhile
    prefix = renditions_prefix(media.sha256)
    focal = (
        (media.focal_x, media.focal_y)
        if media.focal_x is not None and media.focal_y is not None
        else (0.5, 0.5)
    )
    # Rendered locally into a private folder, then kept whole: a reader of a rendition's
    # address never gets part of a file, and the original is read where it is stored.
    async with storage.local_file(media.storage_key) as original, storage.scratch_folder() as out:
        made, placeholder = await asyncio.to_thread(
            render, original, media.content_type, out, max_pixels, focal
        )
        await storage.put_folder(prefix, out)
    full = made[0]  # orientation applied: the size readers see
    async with in_transaction():
        updated = await Media.filter(id=media_id).update(
            width=full.width,
            height=full.height,
            renditions=[
                {
                    "width": r.width,
                    "height": r.height,
                    "format": r.format,
                    "aspect": r.aspect,
                    "key": f"{prefix}/{r.name}",
                }
                for r in made
            ],
            placeholder=placeholder,
            status=MediaStatus.READY,
            failure=None,
        )
        if updated:  # (not deleted while rendering)
            await media_ready(await Media.get(id=media_id))
    if replaced is not None and replaced["sha256"] != media.sha256:
        await forget_blob(storage, replaced["sha256"], replaced["key"])


#: How much of a failure's reason is kept.
MAX_FAILURE = 500


async def renditions_failed(media_id: int, error: str) -> None:
    """The renditions could not be made, after every attempt: the file is FAILED, with why."""
    await Media.filter(id=media_id).update(
        status=MediaStatus.FAILED, failure=error[:MAX_FAILURE] or "Unknown error."
    )


async def retry(media_id: int) -> Media:
    """Make a failed file's renditions again: it is PROCESSING until they are made."""
    async with in_transaction():
        media = await Media.select_for_update().get_or_none(id=media_id)
        if media is None:
            raise not_found("media", media_id)
        if media.status is not MediaStatus.FAILED:
            raise ContentError("id", "INVALID", "Only a file whose renditions failed is retried.")
        await Media.filter(id=media_id).update(status=MediaStatus.PROCESSING, failure=None)
        await queue.enqueue(RENDITIONS_JOB, {"media_id": media.id})
    await media.refresh_from_db()
    return media


def focal_point(x: float, y: float) -> tuple[float, float]:
    """``(x, y)`` checked as a focal point: where crops centre, from 0 to 1 on each axis."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ContentError("focalPoint", "INVALID", "A focal point is from 0 to 1 on each axis.")
    return x, y


async def store_all(
    uploads: Sequence[StoredUpload],
    storage: Storage,
    details: MediaDetails,
    *,
    account_id: int | None,
    max_pixels: int,
) -> list[Media]:
    """Keep every file, or none: a refused file undoes the ones kept before it."""
    kept: list[Media] = []
    try:
        for upload in uploads:
            kept.append(
                await store(upload, storage, details, account_id=account_id, max_pixels=max_pixels)
            )
    except BaseException:
        for media in kept:
            await media.delete()
            await forget_blob(storage, media.sha256, media.storage_key)
        raise
    return kept


async def update_details(
    media_id: int, alt: dict[str, str] | None, focal: tuple[float, float] | None
) -> Media:
    """Change a file's alternative text (the locales given) or its focal point; an image's
    crops are made again around a new point."""
    async with in_transaction():
        media = await Media.select_for_update().get_or_none(id=media_id)
        if media is None:
            raise not_found("media", media_id)
        if alt is not None:
            media.alt = {**media.alt, **alt}
        if focal is not None:
            media.focal_x, media.focal_y = focal_point(*focal)
            if media.content_type in IMAGE_TYPES:
                await queue.enqueue(RENDITIONS_JOB, {"media_id": media.id})
        await media.save()
    return media


@dataclass(frozen=True)
class MediaUse:
    """A post using a file: as its cover, or in the body of one of its translations."""

    post_id: int
    cover: bool
    #: The translations whose body embeds the file.
    locales: tuple[str, ...]
    #: The post's title in each of its locales.
    titles: dict[str, str]


async def uses(media_id: int) -> list[MediaUse]:
    """The posts (trashed ones included) using the file, by id."""
    covers: set[int] = {
        post_id for (post_id,) in await Post.filter(cover_id=media_id).values_list("id")
    }
    bodies: dict[int, list[str]] = {}
    # The marker's attribute narrows the rows in SQL; the body's own reading decides.
    candidates = await PostTranslation.filter(body_html__contains=f'data-id="{media_id}"').values(
        "post_id", "locale", "body_html"
    )
    for row in candidates:
        if media_id in embeds.embedded_ids(row["body_html"]):
            bodies.setdefault(row["post_id"], []).append(row["locale"])
    used = sorted(covers | bodies.keys())
    titles: dict[int, dict[str, str]] = {}
    for row in await PostTranslation.filter(post_id__in=used).values("post_id", "locale", "title"):
        titles.setdefault(row["post_id"], {})[row["locale"]] = row["title"]
    return [
        MediaUse(
            post_id=post_id,
            cover=post_id in covers,
            locales=tuple(sorted(bodies.get(post_id, ()))),
            titles=titles.get(post_id, {}),
        )
        for post_id in used
    ]


async def seen_in(media_ids: Sequence[int]) -> dict[int, set[str]]:
    """The locales in which readers see each file: those of the published translations of
    public posts that have it as their cover or embed it in their text."""
    found: dict[int, set[str]] = {media_id: set() for media_id in media_ids}
    if not found:
        return found
    public = PostTranslation.filter(
        visibility.public_translation_filter(),
        post__status=PostStatus.PUBLISHED,
        post__deleted_at__isnull=True,
    )
    for row in await public.filter(post__cover_id__in=list(found)).values(
        "locale", cover="post__cover_id"
    ):
        found[row["cover"]].add(row["locale"])
    # The markers' attribute narrows the rows in SQL; the body's own reading decides.
    marked = Q(
        *(Q(body_html__contains=f'data-id="{media_id}"') for media_id in found),
        join_type=Q.OR,
    )
    for row in await public.filter(marked).values("locale", "body_html"):
        for media_id in embeds.embedded_ids(row["body_html"]):
            if media_id in found:
                found[media_id].add(row["locale"])
    return found


async def delete(storage: Storage, media_id: int) -> None:
    """Delete a file's record, unless a post (trashed ones included) uses it, as its cover or
    in a body; its bytes go when no other record uses them."""
    async with in_transaction():
        media = await Media.select_for_update().get_or_none(id=media_id)
        if media is None:
            raise not_found("media", media_id)
        used = await uses(media_id)
        if used:
            covers = sum(1 for use in used if use.cover)
            bodies = sum(1 for use in used if use.locales)
            raise ContentError(
                "id",
                "CONFLICT",
                f"{len(used)} post(s), trashed ones included, use it: {covers} as their cover, "
                f"{bodies} in their text.",
            )
        await media.delete()
    await forget_blob(storage, media.sha256, media.storage_key)


class _Unreadable(ContentError):
    def __init__(self) -> None:
        super().__init__("file", "INVALID", "The image cannot be read.")


def _image_size(path: Path | io.BytesIO, content_type: str, max_pixels: int) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[_PILLOW_FORMATS[content_type]]) as image:
                width, height = image.size  # from the header: no pixel is decoded
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _Unreadable from None
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return width, height


def _too_many_pixels(max_pixels: int) -> ContentError:
    return ContentError(
        "file", "INVALID", f"The image has too many pixels; the limit is {max_pixels}."
    )
