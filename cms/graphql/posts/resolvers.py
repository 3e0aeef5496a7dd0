"""Turning post rows into GraphQL objects, batch by batch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.loaders import Loaders
from cms.graphql.posts.inputs import PostOrder
from cms.graphql.posts.types import Post, PostConnection, PostEdge
from cms.graphql.selection import selected
from cms.graphql.taxonomy.types import Author, Category, Tag
from cms.services import posts as service


async def build_posts(
    info: Info,
    rows: list[dict],
    chain: tuple[str, ...],
    wanted: set[str],
    published_only: bool = True,
) -> list[Post | None]:
    """Posts for ``rows`` seen through ``chain``, with the relations in ``wanted`` attached.

    Relations are loaded for the whole batch at once, concurrently, so a page of posts costs
    one statement per relation and its fields are plain attributes, not a resolver per post.
    With ``published_only`` False (a preview), draft translations show too.
    """
    context = info.context
    loaders = context.loaders_for(published_only)
    # What the terms and authors of a previewed post lead to: drafts too, unless the token
    # previews this one post only.
    around = published_only or context.viewer.post_id is not None
    jobs: list[Awaitable[object]] = [loaders.post_translations.load_many([r["id"] for r in rows])]
    if "category" in wanted:
        jobs.append(_categories(loaders, rows, chain, around))
    if "author" in wanted:
        jobs.append(_authors(loaders, rows, chain, around))
    if "tags" in wanted:
        jobs.append(_tags(loaders, rows, chain, around))
    translations, *relations = await asyncio.gather(*jobs)
    posts = [
        Post.build(row, found, chain, published_only)
        for row, found in zip(rows, translations, strict=True)
    ]
    names = [name for name in ("category", "author", "tags") if name in wanted]
    for name, values in zip(names, relations, strict=True):
        for post, value in zip(posts, values, strict=True):
            if post is not None:
                setattr(post, name, value)
    return posts


async def _categories(
    loaders: Loaders, rows: list[dict], chain: tuple[str, ...], published_only: bool
) -> list:
    keys = [row["category_id"] for row in rows]
    ids = [key for key in keys if key is not None]
    found = await loaders.category.load_many(ids)
    by_id = {
        i: Category.build(i, t, chain, published_only) for i, t in zip(ids, found, strict=True) if t
    }
    return [by_id.get(key) for key in keys]


async def _authors(
    loaders: Loaders, rows: list[dict], chain: tuple[str, ...], published_only: bool
) -> list:
    keys = [row["author_id"] for row in rows]
    found = await loaders.author.load_many([k for k in keys if k is not None])
    by_id = {row["id"]: Author.build(row, chain, published_only) for row in found if row}
    return [by_id.get(key) for key in keys]


async def _tags(
    loaders: Loaders, rows: list[dict], chain: tuple[str, ...], published_only: bool
) -> list:
    per_post = await loaders.post_tags.load_many([row["id"] for row in rows])
    result = []
    for translations in per_post:
        by_tag: dict[int, list[dict]] = {}
        for translation in translations:
            by_tag.setdefault(translation["tag_id"], []).append(translation)
        result.append(Tag.build_sorted(by_tag, chain, published_only))
    return result


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
