"""GraphQL types for search results."""

from __future__ import annotations

import strawberry
from strawberry import Private

from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.graphql.events.resolvers import load_events
from cms.graphql.events.types import Event
from cms.graphql.posts.resolvers import load_post
from cms.graphql.posts.types import Post
from cms.services import search as service

SearchKindEnum = strawberry.enum(
    service.SearchKind, name="SearchResultKind", description="What a search result is."
)


@strawberry.type(description="A published post or event that matches a search.")
class SearchResult:
    kind: SearchKindEnum  # type: ignore[valid-type]
    score: float = strawberry.field(
        description="Relevance, higher for better matches; comparable within one search only."
    )
    title: str = strawberry.field(description="The title in the searched locale.")
    snippet: str = strawberry.field(
        description="HTML: a short passage of the text, the matched words in "
        "<mark>…</mark>, everything else escaped."
    )
    hit_id: Private[int]
    chain: Private[tuple[str, ...]]

    # Loaded when asked, for the whole page at once through the request's loaders.

    @strawberry.field(description="The post, when `kind` is POST.")
    async def post(self, info: Info) -> Post | None:
        if self.kind is not service.SearchKind.POST:
            return None
        return await load_post(info, self.hit_id, self.chain)

    @strawberry.field(description="The event, when `kind` is EVENT.")
    async def event(self, info: Info) -> Event | None:
        if self.kind is not service.SearchKind.EVENT:
            return None
        found = await load_events(info, [self.hit_id], self.chain)
        return found[0] if found else None


@strawberry.type
class SearchResultEdge:
    cursor: str
    node: SearchResult


@strawberry.type(description="A page of search results, best match first.")
class SearchResultConnection:
    edges: list[SearchResultEdge]
    page_info: PageInfo
    query: Private[service.SearchQuery]

    @strawberry.field(description="Results on this page, without cursors.")
    def nodes(self) -> list[SearchResult]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many results match, across all pages.")
    async def total_count(self) -> int:
        return await service.count(self.query)
