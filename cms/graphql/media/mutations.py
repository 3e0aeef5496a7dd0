"""Uploading media (GraphQL multipart request spec), and editing what is known of it."""

from __future__ import annotations

from dataclasses import field
from typing import cast

import strawberry
from strawberry.file_uploads import Upload

from cms.files.multipart import StoredUpload
from cms.graphql.context import Info
from cms.graphql.ids import required_id
from cms.graphql.media.types import AltInput, FocalPointInput, Media, alt_map
from cms.graphql.payloads import DeletePayload, MutationError, run
from cms.graphql.permissions import Requires
from cms.services import media as service
from cms.services.errors import ContentError
from cms.services.permissions import Permission


@strawberry.type
class MediaPayload:
    media: Media | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class MediaListPayload:
    media: list[Media] = field(default_factory=list)
    errors: list[MutationError] = field(default_factory=list)


def _focal(value: FocalPointInput | None) -> tuple[float, float] | None:
    return None if value is None else service.focal_point(value.x, value.y)


def _upload(value: object) -> StoredUpload:
    if not isinstance(value, StoredUpload):  # a JSON body cannot carry files
        raise ContentError("file", "INVALID", "Send files as a multipart request.")
    return value


async def _store(info: Info, files: list[object], details: service.MediaDetails) -> list[Media]:
    """Keep every file, or none; the kept files as the API shows them."""
    context = info.context
    uploads = [_upload(file) for file in files]
    assert context.storage is not None, "the endpoint gives every operation its storage"
    kept = await service.store_all(
        uploads,
        context.storage,
        details,
        account_id=context.viewer.account_id,
        max_pixels=context.settings.max_image_pixels,
    )
    return [Media.build(media) for media in kept]


@strawberry.type
class MediaMutations:
    @strawberry.mutation(
        description="Upload one image or PDF (multipart request, with an "
        "Apollo-Require-Preflight header).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def upload_media(
        self,
        info: Info,
        file: Upload,
        alt: list[AltInput] | None = None,
        focal_point: FocalPointInput | None = None,
    ) -> MediaPayload:
        async def write() -> MediaPayload:
            x, y = _focal(focal_point) or (None, None)
            details = service.MediaDetails(
                alt=alt_map(alt, info.context.settings.locales) or {}, focal_x=x, focal_y=y
            )
            (media,) = await _store(info, [file], details)
            return MediaPayload(media=media)

        return await run(MediaPayload, write)

    @strawberry.mutation(
        description="Upload several files at once: all are kept, or none.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def upload_media_files(self, info: Info, files: list[Upload]) -> MediaListPayload:
        async def write() -> MediaListPayload:
            kept = await _store(info, cast(list[object], files), service.MediaDetails(alt={}))
            return MediaListPayload(media=kept)

        return await run(MediaListPayload, write)

    @strawberry.mutation(
        description="Change a file's alternative text (locales given) or focal point.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def update_media(
        self,
        info: Info,
        id: strawberry.ID,
        alt: list[AltInput] | None = None,
        focal_point: FocalPointInput | None = None,
    ) -> MediaPayload:
        async def write() -> MediaPayload:
            media = await service.update_details(
                required_id(id),
                alt_map(alt, info.context.settings.locales),
                None if focal_point is None else (focal_point.x, focal_point.y),
            )
            return MediaPayload(media=Media.build(media))

        return await run(MediaPayload, write)

    @strawberry.mutation(
        description="Put a new file under an existing one (multipart request, with an "
        "Apollo-Require-Preflight header): its id, alternative text, focal point and the posts "
        "using it stay. An image is replaced by an image and a PDF by a PDF; an image is "
        "PROCESSING, its former renditions still served, until the new ones are made.",
        extensions=[Requires(Permission.EDIT_ANY_CONTENT)],
    )
    async def replace_media(self, info: Info, id: strawberry.ID, file: Upload) -> MediaPayload:
        async def write() -> MediaPayload:
            context = info.context
            assert context.storage is not None, "the endpoint gives every operation its storage"
            media = await service.replace(
                _upload(file),
                context.storage,
                required_id(id),
                max_pixels=context.settings.max_image_pixels,
            )
            return MediaPayload(media=Media.build(media))

        return await run(MediaPayload, write)

    @strawberry.mutation(
        description="Make a failed file's renditions again: it is PROCESSING until they are.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def retry_media(self, id: strawberry.ID) -> MediaPayload:
        async def write() -> MediaPayload:
            return MediaPayload(media=Media.build(await service.retry(required_id(id))))

        return await run(MediaPayload, write)

    @strawberry.mutation(
        description="Delete a file's record; its bytes go when no other record uses them.",
        extensions=[Requires(Permission.EDIT_ANY_CONTENT)],
    )
    async def delete_media(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            media_id = required_id(id)
            assert info.context.storage is not None, (
                "the endpoint gives every operation its storage"
            )
            await service.delete(info.context.storage, media_id)
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)
