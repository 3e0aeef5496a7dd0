"""Arguments of post lists, shared by every field that lists posts."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from cms.services import posts as service


@strawberry.enum(description="How a list of posts is sorted.")
class PostOrder(Enum):
    NEWEST = service.PostOrder.NEWEST.value
    OLDEST = service.PostOrder.OLDEST.value
    SERIES_NUMBER = strawberry.enum_value(
        service.PostOrder.SERIES_NUMBER.value,
        description="Lowest series number first; posts without a number are left out.",
    )


@strawberry.input(description="Narrows a list of posts. Every condition given must hold.")
class PostFilter:
    category_id: strawberry.ID | None = None
    category_slug: str | None = strawberry.field(
        default=None, description="A category slug in any locale."
    )
    tag_id: strawberry.ID | None = None
    tag_slug: str | None = strawberry.field(default=None, description="A tag slug in any locale.")
    author_id: strawberry.ID | None = None
    author_slug: str | None = None
    series_number: int | None = None
    published_after: datetime | None = strawberry.field(
        default=None, description="Published at or after this instant."
    )
    published_before: datetime | None = strawberry.field(
        default=None, description="Published strictly before this instant."
    )
