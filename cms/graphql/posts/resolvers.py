"""Turning post rows into GraphQL objects, batch by batch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Collection

from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.loaders import Loaders
from cms.graphql.posts.inputs import PostOrder
from cms.graphql.posts.types import Post, PostConnection, PostEdge
from cms.graphql.selection import selected
from cms.services import posts as service


async def build_posts(
    info: Info,
    rows: list[dict],
    chain: tuple[str, ...],
    wanted: Collection[str] = (),
    published_only: bool = True,
) -> list[Post | None]:
    """Posts for ``rows`` seen through ``chain``; None where no translation is in it.

    Their relations load themselves through the request's DataLoaders, whatever path reached
    them. ``wanted`` (the fields the client selected, when known) only starts the loads of a
    whole page at once, alongside its translations, instead of after them: it saves a round
    trip, and changes no answer. With ``published_only`` False (a preview), draft
    translations show too.
    """
    loaders = info.context.loaders_for(published_only)
    ids = [row["id"] for row in rows]
    translations, *_ = await asyncio.gather(
        loaders.post_translations.load_many(ids), *_prefetch(loaders, rows, wanted)
    )
    return [
        Post.build(row, found, chain, published_only)
        for row, found in zip(rows, translations, strict=True)
    ]


def _prefetch(
    loaders: Loaders, rows: list[dict], wanted: Collection[str]
) -> list[Awaitable[object]]:
    """Loads of the relations in ``wanted`` for the whole page, for the resolvers to find."""

    def keys(column: str) -> list[int]:
        return list(dict.fromkeys(row[column] for row in rows if row[column] is not None))

    jobs: list[Awaitable[object]] = []
    if "category" in wanted:
        jobs.append(loaders.category.load_many(keys("category_id")))
    if "author" in wanted:
        jobs.append(loaders.author.load_many(keys("author_id")))
    if "tags" in wanted:
        jobs.append(loaders.post_tags.load_many([row["id"] for row in rows]))
    return jobs


async def load_post(
    info: Info,
    post_id: int,
    chain: tuple[str, ...],
    wanted: set[str],
    published_only: bool = True,
    *,
    with_trash: bool = False,
) -> Post | None:
    """One post; with ``with_trash`` (previews only), also when it is in the trash."""
    loaders = info.context.loaders_for(published_only)
    row = await (loaders.post_with_trash if with_trash else loaders.post).load(post_id)
    if row is None:
        return None
    (post,) = await build_posts(info, [row], chain, wanted, published_only)
    return post


async def post_connection(
    info: Info,
    chain: tuple[str, ...],
    filter: service.PostFilter,
    order_by: PostOrder,
    first: int,
    after: str | None,
    published_only: bool = True,
) -> PostConnection:
    context = info.context
    order = service.PostOrder(order_by.value)
    query = service.PostQuery(
        chain=chain,
        filter=filter,
        order=order,
        first=context.page_size(first),
        after=after,
        published_only=published_only,
    )
    try:
        page = await service.list_posts(query)
    except service.InvalidCursor:
        raise BadUserInput(
            "'after' is not a cursor returned by this list and ordering.", field="after"
        ) from None
    wanted = selected(info, "edges", "node") | selected(info, "nodes")
    posts = await build_posts(info, page.rows, chain, wanted, published_only)
    edges = [
        PostEdge(cursor=service.encode_cursor(order, row), node=post)
        for row, post in zip(page.rows, posts, strict=True)
        if post is not None
    ]
    return PostConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None
        ),
        query=query,
    )
