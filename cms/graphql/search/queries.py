"""The search query."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry

from cms.graphql.common import LocaleArg, PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.events.resolvers import build_events
from cms.graphql.events.types import Event
from cms.graphql.posts.resolvers import build_posts
from cms.graphql.posts.types import Post
from cms.graphql.search.types import SearchResult, SearchResultConnection, SearchResultEdge
from cms.graphql.selection import selected
from cms.services import search as service

QueryArg = Annotated[
    str,
    strawberry.argument(
        description=f"Plain words, all of which must match (at most {service.MAX_QUERY_LENGTH} "
        "characters); accents and word endings do not matter."
    ),
]


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Published posts and events whose translation in `locale` matches "
        "`query`, best match first."
    )
    async def search(
        self,
        info: Info,
        query: QueryArg,
        locale: LocaleArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> SearchResultConnection:
        context = info.context
        chain = context.chain(locale)
        try:
            request = service.SearchQuery(
                text=query, locale=chain[0], first=context.page_size(first), after=after
            )
        except service.InvalidQuery as exc:
            raise BadUserInput(str(exc), field="query") from None
        try:
            page = await service.search(request)
        except service.InvalidCursor:
            raise BadUserInput("'after' is not a cursor of this search.", field="after") from None
        wanted = selected(info, "edges", "node") | selected(info, "nodes")
        posts, events = await asyncio.gather(
            _posts(info, page.hits, chain) if "post" in wanted else _nothing(),
            _events(info, page.hits, chain) if "event" in wanted else _nothing(),
        )
        edges = [
            SearchResultEdge(
                cursor=hit.cursor,
                node=SearchResult(
                    kind=hit.kind,
                    score=hit.score,
                    title=hit.title,
                    snippet=hit.snippet,
                    post=posts.get(hit.id) if hit.kind is service.SearchKind.POST else None,
                    event=events.get(hit.id) if hit.kind is service.SearchKind.EVENT else None,
                ),
            )
            for hit in page.hits
        ]
        return SearchResultConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
            ),
            query=request,
        )


async def _posts(info: Info, hits: list[service.Hit], chain: tuple[str, ...]) -> dict[int, Post]:
    """The page's posts, built in one batch with the relations the client selected."""
    ids = [hit.id for hit in hits if hit.kind is service.SearchKind.POST]
    if not ids:
        return {}
    rows = [row for row in await info.context.loaders.post.load_many(ids) if row is not None]
    wanted = selected(info, "edges", "node", "post") | selected(info, "nodes", "post")
    built = await build_posts(info, rows, chain, wanted)
    return {int(post.id): post for post in built if post is not None}


async def _events(info: Info, hits: list[service.Hit], chain: tuple[str, ...]) -> dict[int, Event]:
    ids = [hit.id for hit in hits if hit.kind is service.SearchKind.EVENT]
    return await build_events(info, ids, chain) if ids else {}


async def _nothing() -> dict[int, Any]:
    return {}
