"""GraphQL types for media."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import Private

from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.graphql.permissions import Requires
from cms.models import Media as MediaModel
from cms.models import MediaStatus
from cms.services import media as media_service
from cms.services.locales import pick
from cms.services.permissions import Permission

MediaStatusEnum = strawberry.enum(MediaStatus, name="MediaStatus")


@strawberry.enum(description="A file format renditions are made in.")
class ImageFormat(Enum):
    WEBP = strawberry.enum_value("webp", description="Every image has WebP renditions.")
    JPEG = strawberry.enum_value("jpeg", description="A JPEG's own family.")
    PNG = strawberry.enum_value("png", description="A PNG's own family (and a GIF's).")
    AVIF = strawberry.enum_value("avif", description="An AVIF's own family.")


@strawberry.enum(description="A crop around the focal point.")
class Aspect(Enum):
    SQUARE = strawberry.enum_value("1:1", description="1:1, in WebP.")
    WIDE = strawberry.enum_value("16:9", description="16:9, in WebP.")


AspectArg = Annotated[
    Aspect | None,
    strawberry.argument(description="A crop around the focal point; none for the whole image."),
]


@strawberry.type(description="Where the subject of an image is, from 0 to 1 across and down.")
class FocalPoint:
    x: float
    y: float


@strawberry.type(description="A derived image file.")
class Rendition:
    url: str
    width: int
    height: int
    format: ImageFormat


@strawberry.type(description="Alternative text in one locale.")
class AltText:
    locale: str
    text: str


@strawberry.type(description="A post using a file.")
class MediaUse:
    post_id: strawberry.ID
    title: str = strawberry.field(description="In the requested locale or its fallback.")
    as_cover: bool = strawberry.field(description="The file is the post's cover.")
    in_text_of: list[str] = strawberry.field(description="The locales whose text embeds the file.")


@strawberry.type(description="An uploaded image or PDF.")
class Media:
    id: strawberry.ID
    filename: str = strawberry.field(description="The name the file was uploaded with.")
    content_type: str = strawberry.field(description="Sniffed from the file's bytes.")
    size: int = strawberry.field(description="In bytes.")
    sha256: str
    width: int | None
    height: int | None
    focal_point: FocalPoint | None
    status: MediaStatusEnum  # type: ignore[valid-type]
    created_at: datetime
    placeholder: str | None = strawberry.field(
        description="A colour (#rrggbb) to show while the image loads."
    )
    alt_texts: Private[dict[str, str]]
    failure_text: Private[str | None]
    renditions: Private[list[dict[str, Any]]]
    public_key: Private[str | None]

    @strawberry.field(
        description="The public file: for an image, a full-size copy without metadata (null "
        "while it is being made); for a PDF, the file itself."
    )
    def url(self, info: Info) -> str | None:
        url = info.context.storage.url
        if self.content_type == "application/pdf":
            return url(self.public_key) if self.public_key else None
        # The first rendition is the full-size one in the original's family.
        return url(self.renditions[0]["key"]) if self.renditions else None

    def _matching(self, format: ImageFormat, aspect: Aspect | None) -> list[dict[str, Any]]:
        ratio = None if aspect is None else aspect.value
        found = (
            r for r in self.renditions if r["format"] == format.value and r.get("aspect") == ratio
        )
        return sorted(found, key=lambda r: r["width"])

    @strawberry.field(description="Renditions in one format, for an <img srcset>.")
    def srcset(
        self, info: Info, format: ImageFormat = ImageFormat.WEBP, aspect: AspectArg = None
    ) -> str:
        url = info.context.storage.url
        return ", ".join(f"{url(r['key'])} {r['width']}w" for r in self._matching(format, aspect))

    @strawberry.field(
        description="The smallest rendition at least `width` wide (the largest if none is)."
    )
    def rendition(
        self,
        info: Info,
        width: int,
        format: ImageFormat = ImageFormat.WEBP,
        aspect: AspectArg = None,
    ) -> Rendition | None:
        found = self._matching(format, aspect)
        if not found:
            return None
        chosen = next((r for r in found if r["width"] >= width), found[-1])
        return Rendition(
            url=info.context.storage.url(chosen["key"]),
            width=chosen["width"],
            height=chosen["height"],
            format=ImageFormat(chosen["format"]),
        )

    @strawberry.field(
        name="altTexts",
        description="Every alternative text as written, one per locale that has one, in the "
        "configured order of locales, with no fallback: what an editor edits.",
    )
    def alt_text_list(self, info: Info) -> list[AltText]:
        order = {code: index for index, code in enumerate(info.context.settings.locales)}
        written = sorted(self.alt_texts.items(), key=lambda item: (order.get(item[0], 99), item[0]))
        return [AltText(locale=locale, text=text) for locale, text in written if text]

    @strawberry.field(
        description="The locales in which readers see this image (published posts show it as "
        "their cover or in their text) but it has no alternative text written in that locale, "
        "in the configured order: what to write next.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def alt_missing_in(self, info: Info) -> list[str]:
        if not self.content_type.startswith("image/"):
            return []
        seen = await info.context.loaders.media.seen_in.load(int(self.id))
        return [
            code
            for code in info.context.settings.locales
            if code in seen and not self.alt_texts.get(code)
        ]

    @strawberry.field(
        description="Why the renditions could not be made, while `status` is FAILED "
        "(`retryMedia` tries again).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    def failure(self) -> str | None:
        return self.failure_text

    @strawberry.field(
        description="The posts using the file, drafts and trashed ones included: while there "
        "is one, the file cannot be deleted.",
        extensions=[Requires(Permission.READ_DRAFTS)],
    )
    async def used_by(self, info: Info, locale: LocaleArg = None) -> list[MediaUse]:
        chain = info.context.chain(locale)
        found = []
        for use in await media_service.uses(int(self.id)):
            rows = [{"locale": k, "title": v} for k, v in use.titles.items()]
            row = pick(rows, chain) or (rows[0] if rows else {"title": ""})
            found.append(
                MediaUse(
                    post_id=strawberry.ID(str(use.post_id)),
                    title=row["title"],
                    as_cover=use.cover,
                    in_text_of=list(use.locales),
                )
            )
        return found

    @strawberry.field(description="Alternative text in the locale or its fallbacks.")
    def alt(self, info: Info, locale: LocaleArg = None) -> str | None:
        rows = [{"locale": k, "alt": v} for k, v in self.alt_texts.items()]
        row = pick(rows, info.context.chain(locale))
        return row["alt"] if row else None

    @classmethod
    def build(cls, media: MediaModel) -> Media:
        focal = None
        if media.focal_x is not None and media.focal_y is not None:
            focal = FocalPoint(x=media.focal_x, y=media.focal_y)
        return cls(
            id=strawberry.ID(str(media.id)),
            filename=media.original_filename,
            content_type=media.content_type,
            size=media.size,
            sha256=media.sha256,
            width=media.width,
            height=media.height,
            focal_point=focal,
            status=media.status,
            created_at=media.created_at,
            placeholder=media.placeholder,
            alt_texts=dict(media.alt or {}),
            failure_text=media.failure,
            renditions=list(media.renditions or []),
            public_key=media.storage_key if media.content_type == "application/pdf" else None,
        )


@strawberry.input(description="Alternative text in one locale.")
class AltInput:
    locale: str
    text: str


@strawberry.input(description="Where the subject of an image is, from 0 to 1 across and down.")
class FocalPointInput:
    x: float
    y: float


def alt_map(values: list[AltInput] | None, locales: tuple[str, ...]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {value.locale: value.text.strip() for value in values if value.locale in locales}
