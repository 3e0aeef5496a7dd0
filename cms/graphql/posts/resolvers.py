"""Turning post rows into GraphQL objects, batch by batch."""

from __future__ import annotations

from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.posts.types import Post, PostConnection, PostEdge, PostOrder
from cms.services import posts as service


async def load_post(info: Info, post_id: int, chain: tuple[str, ...]) -> Post | None:
    loaders = info.context.loaders
    row = await loaders.post.load(post_id)
    if row is None:
        return None
    return Post.build(row, await loaders.post_translations.load(post_id), chain)


async def post_connection(
    info: Info,
    chain: tuple[str, ...],
    filter: service.PostFilter,
    order_by: PostOrder | None,
    first: int,
    after: str | None,
) -> PostConnection:
    context = info.context
    order = service.PostOrder(order_by.value) if order_by else service.PostOrder.NEWEST
    query = service.PostQuery(
        chain=chain,
        filter=filter,
        order=order,
        first=context.page_size(first),
        after=after,
        published_only=context.published_only,
    )
    try:
        page = await service.list_posts(query)
    except service.InvalidCursor:
        raise BadUserInput(
            "'after' is not a cursor returned by this list and ordering.", field="after"
        ) from None
    translations = await context.loaders.post_translations.load_many([r["id"] for r in page.rows])
    edges = []
    for row, rows in zip(page.rows, translations, strict=True):
        post = Post.build(row, rows, chain)
        if post is not None:
            edges.append(PostEdge(cursor=service.encode_cursor(order, row), node=post))
    return PostConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
        ),
        query=query,
    )
