"""Read-only post queries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput, Forbidden
from cms.graphql.ids import parse_id
from cms.graphql.permissions import Requires
from cms.graphql.posts.inputs import PostFilter, PostOrder
from cms.graphql.posts.resolvers import load_post, post_connection
from cms.graphql.posts.types import Post, PostConnection
from cms.graphql.selection import selected
from cms.services import posts as service
from cms.services.permissions import Permission

PreviewArg = Annotated[
    bool,
    strawberry.argument(
        description="Show drafts and draft translations too: needs a token that may read drafts."
    ),
]


def _service_filter(value: PostFilter | None) -> service.PostFilter:
    if value is None:
        return service.PostFilter()
    return service.PostFilter(
        category_id=parse_id(value.category_id, "categoryId"),
        category_slug=value.category_slug,
        tag_id=parse_id(value.tag_id, "tagId"),
        tag_slug=value.tag_slug,
        author_id=parse_id(value.author_id, "authorId"),
        author_slug=value.author_slug,
        series_number=value.series_number,
        published_after=_instant(value.published_after, "publishedAfter"),
        published_before=_instant(value.published_before, "publishedBefore"),
    )


def _instant(value: datetime | None, field: str) -> datetime | None:
    """An instant needs an offset: "2026-03-01T13:00:00" alone could be any time zone's."""
    if value is not None and value.utcoffset() is None:
        raise BadUserInput(
            f"{field!r} needs a UTC offset, such as 2026-03-01T13:00:00-05:00 or …Z.", field=field
        )
    return value


@strawberry.type
class PostQueries:
    @strawberry.field(
        description="One post by id or by a slug of any locale. The returned `slug` is the "
        "canonical one for `resolvedLocale`: redirect when it differs from the one asked for.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
    )
    async def post(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: LocaleArg = None,
        preview: PreviewArg = False,
    ) -> Post | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of 'id' and 'slug'.", field="id")
        context = info.context
        chain = context.chain(locale)
        published_only = not preview
        post_id = parse_id(id, "id")
        if post_id is None:
            assert slug is not None
            post_id = await service.find_by_slug(slug, chain, published_only=published_only)
            if post_id is None:
                return None
        scoped = context.viewer.post_id
        if preview and scoped is not None and scoped != post_id:
            # A one-post preview token learns nothing of other drafts, not even that they exist.
            return None
        return await load_post(info, post_id, chain, selected(info), published_only)

    @strawberry.field(
        description="Posts with a translation in the locale or its fallbacks.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
    )
    async def posts(
        self,
        info: Info,
        locale: LocaleArg = None,
        filter: PostFilter | None = None,
        order_by: PostOrder = PostOrder.NEWEST,
        first: int = 20,
        after: str | None = None,
        preview: PreviewArg = False,
    ) -> PostConnection:
        context = info.context
        if preview and context.viewer.post_id is not None:
            raise Forbidden("A preview token for one post cannot list drafts.")
        chain = context.chain(locale)
        return await post_connection(
            info, chain, _service_filter(filter), order_by, first, after, not preview
        )
