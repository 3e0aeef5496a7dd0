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
    last: int | None = None,
    before: str | None = None,
) -> PostConnection:
    """A page of the posts ``filter`` finds, in ``order_by``: the ``first`` after the cursor
    ``after``, or, backward, the ``last`` before ``before`` (Relay's cursor connections)."""
    context = info.context
    backward = last is not None or before is not None
    if backward and after is not None:
        raise BadUserInput(
            "Page forward (first, after) or backward (last, before), not both ways at once.",
            field="after",
        )
    order = service.PostOrder(order_by.value)
    query = service.PostQuery(
        chain=chain,
        filter=filter,
        order=order,
        first=context.page_size(last if last is not None else first),
        after=after,
        published_only=published_only,
        before=before,
        backward=backward,
    )
    try:
        page = await service.list_posts(query, with_total=selects(info, "totalCount"))
    except InvalidCursor:
        which = "before" if before is not None else "after"
        raise BadUserInput(
            f"'{which}' is not a cursor returned by this list and ordering.", field=which
        ) from None
    posts = await build_posts(info, page.rows, chain, published_only, page.related)
    edges = [
        PostEdge(node=post, order=order, row=row)
        for row, post in zip(page.rows, posts, strict=True)
        if post is not None
    ]
    return PostConnection(
        edges=edges,
        page_info=PageInfo.of(
            [service.encode_cursor(order, edge.row) for edge in (edges[:1] + edges[-1:])],
            has_next=page.has_next,
            has_previous=page.has_previous,
        ),
        query=query,
        total=page.total,
    )


register(
    PostBuilders(build_posts=build_posts, load_post=load_post, post_connection=post_connection)
)
