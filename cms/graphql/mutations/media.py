"""Uploading media (GraphQL multipart request spec), and editing what is known of it."""

from __future__ import annotations

from dataclasses import field
from typing import cast

import strawberry
from strawberry.file_uploads import Upload
from tortoise.transactions import in_transaction

from cms.graphql.context import Info
from cms.graphql.ids import parse_id
from cms.graphql.media.types import AltInput, FocalPointInput, Media, alt_map
from cms.graphql.mutations.payloads import DeletePayload, MutationError
from cms.graphql.permissions import Requires
from cms.jobs import queue
from cms.media.multipart import StoredUpload
from cms.media.sniff import IMAGE_TYPES
from cms.models import Media as MediaModel
from cms.models import Post
from cms.services import media as service
from cms.services.errors import ContentError, not_found
from cms.services.permissions import Permission


@strawberry.type
class MediaPayload:
    media: Media | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class MediaListPayload:
    media: list[Media] = field(default_factory=list)
    errors: list[MutationError] = field(default_factory=list)


def _focal(value: FocalPointInput | None) -> tuple[float | None, float | None]:
    if value is None:
        return None, None
    if not (0 <= value.x <= 1 and 0 <= value.y <= 1):
        raise ContentError("focalPoint", "INVALID", "A focal point is from 0 to 1 on each axis.")
    return value.x, value.y


def _upload(value: object) -> StoredUpload:
    if not isinstance(value, StoredUpload):  # a JSON body cannot carry files
        raise ContentError("file", "INVALID", "Send files as a multipart request.")
    return value


async def _keep(info: Info, files: list[object], details: service.MediaDetails) -> list[MediaModel]:
    """Keep every file, or none: a refused file undoes the ones kept before it."""
    context = info.context
    kept: list[MediaModel] = []
    try:
        for file in files:
            kept.append(
                await service.keep(
                    _upload(file),
                    context.storage,
                    details,
                    account_id=context.viewer.account_id,
                    max_pixels=context.settings.max_image_pixels,
                )
            )
    except BaseException:
        for media in kept:
            await media.delete()
            await service.forget_blob(context.storage, media.sha256, media.storage_key)
        raise
    return kept


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        description="Upload one image or PDF (multipart request, with an "
        "Apollo-Require-Preflight header).",
        extensions=[Requires(Permission.CREATE_POSTS)],
    )
    async def upload_media(
        self,
        info: Info,
        file: Upload,
        alt: list[AltInput] | None = None,
        focal_point: FocalPointInput | None = None,
    ) -> MediaPayload:
        try:
            x, y = _focal(focal_point)
            details = service.MediaDetails(
                alt=alt_map(alt, info.context.settings.locales) or {}, focal_x=x, focal_y=y
            )
            (media,) = await _keep(info, [file], details)
        except ContentError as error:
            return MediaPayload(errors=[MutationError.from_error(error)])
        return MediaPayload(media=Media.build(media))

    @strawberry.mutation(
        description="Upload several files at once: all are kept, or none.",
        extensions=[Requires(Permission.CREATE_POSTS)],
    )
    async def upload_media_files(self, info: Info, files: list[Upload]) -> MediaListPayload:
        try:
            kept = await _keep(info, cast(list[object], files), service.MediaDetails(alt={}))
        except ContentError as error:
            return MediaListPayload(errors=[MutationError.from_error(error)])
        return MediaListPayload(media=[Media.build(m) for m in kept])

    @strawberry.mutation(
        description="Change a file's alternative text (locales given) or focal point.",
        extensions=[Requires(Permission.CREATE_POSTS)],
    )
    async def update_media(
        self,
        info: Info,
        id: strawberry.ID,
        alt: list[AltInput] | None = None,
        focal_point: FocalPointInput | None = None,
    ) -> MediaPayload:
        try:
            media_id = parse_id(id, "id")
            async with in_transaction():
                media = await MediaModel.select_for_update().get_or_none(id=media_id)
                if media is None:
                    raise not_found("media", media_id)
                if alt is not None:
                    media.alt = {**media.alt, **(alt_map(alt, info.context.settings.locales) or {})}
                if focal_point is not None:
                    media.focal_x, media.focal_y = _focal(focal_point)
                    if media.content_type in IMAGE_TYPES:  # the crops follow the new point
                        await queue.enqueue(service.RENDITIONS_JOB, {"media_id": media.id})
                await media.save()
        except ContentError as error:
            return MediaPayload(errors=[MutationError.from_error(error)])
        return MediaPayload(media=Media.build(media))

    @strawberry.mutation(
        description="Delete a file's record; its bytes go when no other record uses them.",
        extensions=[Requires(Permission.EDIT_ANY_POST)],
    )
    async def delete_media(self, info: Info, id: strawberry.ID) -> DeletePayload:
        media_id = parse_id(id, "id")
        media = await MediaModel.get_or_none(id=media_id)
        if media is None:
            return DeletePayload(errors=[MutationError.from_error(not_found("media", media_id))])
        used = await Post.filter(cover_id=media_id).count()
        if used:
            message = f"{used} post(s), trashed ones included, use it as their cover."
            return DeletePayload(errors=[MutationError.of("id", "CONFLICT", message)])
        await media.delete()
        await service.forget_blob(info.context.storage, media.sha256, media.storage_key)
        return DeletePayload(deleted_id=id)
