"""Turning post rows into GraphQL objects, batch by batch.

These functions are registered in :mod:`cms.graphql.posts.registry` for the fields of other
types that show posts (a category's posts, an event's posts, a post's neighbours).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from cms.graphql.common import PageInfo, held, selects
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.posts.inputs import PostOrder
from cms.graphql.posts.registry import PostBuilders, register
from cms.graphql.posts.types import Post, PostConnection, PostEdge
from cms.services import posts as service
from cms.services.cursors import InvalidCursor
from cms.services.posts import PostRow


async def build_posts(
    info: Info,
    rows: Sequence[PostRow],
    chain: tuple[str, ...],
    published_only: bool = True,
    related: service.Related | None = None,
) -> list[Post | None]:
    """Posts for ``rows`` seen through ``chain``; None where no translation is in it.

    Their translations, category, tags, author and cover go into the request's DataLoaders
    before the posts are built: primed from ``related`` (rows read with the page, in its own
    statement), loaded for the whole batch at once otherwise. The fields then read them from
    there without waiting, as they would read rows another path had loaded. With
    ``published_only`` False (a preview), draft translations show too.
    """
    loaders = info.context.loaders_for(published_only)
    if related is not None:
        loaders.posts.prime(related)
    ids = [row["id"] for row in rows]
    wanted: list[tuple[DataLoader[int, Any], list[int]]] = [
        (loaders.posts.translations, ids),
        (loaders.taxonomy.tags_of_post, ids),
        (loaders.taxonomy.category, _present(row["category_id"] for row in rows)),
        (loaders.taxonomy.author, _present(row["author_id"] for row in rows)),
        (info.context.loaders.media.by_id, _present(row["cover_id"] for row in rows)),
    ]
    # What was primed is read as it is; the rest loads in one turn of the loop, together.
    missing = [loader.load_many(keys) for loader, keys in wanted if held(loader, keys) is None]
    if missing:
        await asyncio.gather(*missing)
    translations = held(loaders.posts.translations, ids)
    assert translations is not None  # loaded just above
    return [
        Post.build(row, found, chain, published_only)
        for row, found in zip(rows, translations, strict=True)
    ]


def _present(ids: Iterable[int | None]) -> list[int]:
    return list(dict.fromkeys(i for i in ids if i is not None))


async def load_post(
    info: Info,
    post_id: int,
    chain: tuple[str, ...],
    published_only: bool = True,
    *,
    with_trash: bool = False,
) -> Post | None:
    """One post; with ``with_trash`` (previews only), also when it is in the trash."""
    loaders = info.context.loaders_for(published_only).posts
    row = await (loaders.with_trash if with_trash else loaders.by_id).load(post_id)
    if row is None:
        return None
    (post,) = await build_posts(info, [row], chain, published_only)
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
    """A page of the posts ``filter`` finds, in ``order_by``, after the cursor ``after``."""
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
        page = await service.list_posts(query, with_total=selects(info, "totalCount"))
    except InvalidCursor:
        raise BadUserInput(
            "'after' is not a cursor returned by this list and ordering.", field="after"
        ) from None
    posts = await build_posts(info, page.rows, chain, published_only, page.related)
    edges = [
        PostEdge(node=post, order=order, row=row)
        for row, post in zip(page.rows, posts, strict=True)
        if post is not None
    ]
    return PostConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            end_cursor=service.encode_cursor(order, edges[-1].row) if edges else None,
        ),
        query=query,
        total=page.total,
    )


register(
    PostBuilders(build_posts=build_posts, load_post=load_post, post_connection=post_connection)
)
