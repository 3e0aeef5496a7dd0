"""Media queries, for writers (the public reaches media through the content using it)."""

from __future__ import annotations

import strawberry

from cms.graphql.ids import parse_id
from cms.graphql.media.types import Media
from cms.graphql.permissions import Requires
from cms.models import Media as MediaModel
from cms.services.permissions import Permission


@strawberry.type
class MediaQueries:
    @strawberry.field(
        description="One uploaded file.", extensions=[Requires(Permission.CREATE_CONTENT)]
    )
    async def media(self, id: strawberry.ID) -> Media | None:
        found = await MediaModel.get_or_none(id=parse_id(id, "id"))
        return Media.build(found) if found else None

    @strawberry.field(
        description="Uploaded files, newest first.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def media_list(
        self, first: int = 20, before_id: strawberry.ID | None = None
    ) -> list[Media]:
        query = MediaModel.all()
        if before_id is not None:
            query = query.filter(id__lt=parse_id(before_id, "beforeId"))
        rows = await query.order_by("-id").limit(min(max(first, 1), 100))
        return [Media.build(m) for m in rows]
