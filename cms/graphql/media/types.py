"""GraphQL types for media."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import Private

from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.models import Media as MediaModel
from cms.models import MediaStatus
from cms.services.locales import pick

MediaStatusEnum = strawberry.enum(MediaStatus, name="MediaStatus")


@strawberry.type(description="Where the subject of an image is, from 0 to 1 across and down.")
class FocalPoint:
    x: float
    y: float


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
    alt_texts: Private[dict[str, str]]

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
            alt_texts=dict(media.alt or {}),
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
