"""The search query."""

from __future__ import annotations

from typing import Annotated

import strawberry

from cms.graphql.common import LocaleArg, PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.search.types import SearchResult, SearchResultConnection, SearchResultEdge
from cms.services import search as service
from cms.services.cursors import InvalidCursor

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
        except InvalidCursor:
            raise BadUserInput("'after' is not a cursor of this search.", field="after") from None
        edges = [
            SearchResultEdge(
                cursor=hit.cursor,
                node=SearchResult(
                    kind=hit.kind,
                    score=hit.score,
                    title=hit.title,
                    snippet=hit.snippet,
                    hit_id=hit.id,
                    chain=chain,
                ),
            )
            for hit in page.hits
        ]
        return SearchResultConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next=page.has_next, has_previous=bool(after)
            ),
            query=request,
        )
