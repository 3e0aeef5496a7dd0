"""Arguments of post lists, shared by every field that lists posts."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from cms.graphql.posts.enums import PostStatusEnum, TranslationState
from cms.services import posts as service

MAX_SEARCH = 200


@strawberry.enum(description="How a list of posts is sorted.")
class PostOrder(Enum):
    NEWEST = service.PostOrder.NEWEST.value
    OLDEST = service.PostOrder.OLDEST.value
    SERIES_NUMBER = strawberry.enum_value(
        service.PostOrder.SERIES_NUMBER.value,
        description="Lowest series number first; posts without a number are left out.",
    )
    UPDATED = strawberry.enum_value(
        service.PostOrder.UPDATED.value, description="Most recently changed first."
    )


@strawberry.input(description="Posts by the state of their translation in one locale.")
class TranslationFilter:
    locale: str = strawberry.field(description="A configured locale.")
    state: TranslationState | None = strawberry.field(
        default=None,
        description="Null: any translation in that locale. OUTDATED lists the translations "
        "to bring up to date. Without `preview`, only published translations count.",
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
    status: list[PostStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Any of these statuses (public lists hold published posts only). An "
        "empty list matches no post.",
    )
    search: str | None = strawberry.field(
        default=None,
        description=f"Words (at most {MAX_SEARCH} characters) that must each occur in a "
        "title or slug of some translation, in any locale; case does not matter, and "
        "accents do not either where the slug holds the word.",
    )
    trashed: bool | None = strawberry.field(
        default=False,
        description="True: only posts in the trash. Needs `preview: true` (else "
        "BAD_USER_INPUT) and the right to restore posts (else FORBIDDEN).",
    )
    translation: TranslationFilter | None = strawberry.field(
        default=None, description="Posts by the state of their translation in one locale."
    )
