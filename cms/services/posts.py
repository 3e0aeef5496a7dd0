"""Reading posts: the hot read paths, in one place.

These functions return plain rows (dicts from Tortoise's ``.values()``), not model instances:
on list pages the ORM's object construction costs more than the database does. Every function
that can reach unpublished content takes ``published_only``; the public API always passes True.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from cms.models import CategoryTranslation, Post, PostStatus, PostTranslation, TagTranslation

POST_FIELDS = (
    "id",
    "series_number",
    "status",
    "published_at",
    "author_id",
    "category_id",
    "created_at",
    "updated_at",
)
TRANSLATION_FIELDS = (
    "id",
    "post_id",
    "locale",
    "title",
    "slug",
    "excerpt",
    "seo_title",
    "seo_description",
    "updated_at",
)
BODY_FIELDS = ("id", "body", "body_html", "body_text", "headings", "word_count", "reading_minutes")


class PostOrder(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    SERIES_NUMBER = "series_number"


class InvalidCursor(ValueError):
    """A pagination cursor that this server did not issue for this ordering."""


@dataclass(frozen=True)
class PostFilter:
    category_id: int | None = None
    category_slug: str | None = None
    tag_id: int | None = None
    tag_slug: str | None = None
    author_id: int | None = None
    author_slug: str | None = None
    series_number: int | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None


@dataclass(frozen=True)
class PostQuery:
    """One page request: which posts, in which order, after which cursor."""

    chain: tuple[str, ...]
    filter: PostFilter = PostFilter()
    order: PostOrder = PostOrder.NEWEST
    first: int = 20
    after: str | None = None
    published_only: bool = True


@dataclass(frozen=True)
class PostPage:
    rows: list[dict[str, Any]]
    has_next: bool


def _base(query: PostQuery) -> QuerySet[Post]:
    """Posts matching the filter, visible to the caller, with a translation in the chain."""
    qs = Post.filter(
        id__in=Subquery(PostTranslation.filter(locale__in=query.chain).values("post_id"))
    )
    if query.published_only:
        qs = qs.filter(status=PostStatus.PUBLISHED)
    f = query.filter
    if f.category_id is not None:
        qs = qs.filter(category_id=f.category_id)
    if f.category_slug is not None:
        qs = qs.filter(
            category_id__in=Subquery(
                CategoryTranslation.filter(slug=f.category_slug).values("category_id")
            )
        )
    if f.tag_id is not None:
        qs = qs.filter(tags__id=f.tag_id)
    if f.tag_slug is not None:
        tag_ids = Subquery(TagTranslation.filter(slug=f.tag_slug).values("tag_id"))
        qs = qs.filter(tags__id__in=tag_ids)
    if f.author_id is not None:
        qs = qs.filter(author_id=f.author_id)
    if f.author_slug is not None:
        qs = qs.filter(author__slug=f.author_slug)
    if f.series_number is not None:
        qs = qs.filter(series_number=f.series_number)
    if f.published_after is not None:
        qs = qs.filter(published_at__gte=f.published_after)
    if f.published_before is not None:
        qs = qs.filter(published_at__lt=f.published_before)
    if query.order is PostOrder.SERIES_NUMBER:
        qs = qs.filter(series_number__isnull=False)
    return qs


_ORDERING = {
    PostOrder.NEWEST: ("-published_at", "-id"),
    PostOrder.OLDEST: ("published_at", "id"),
    PostOrder.SERIES_NUMBER: ("series_number", "id"),
}
_SORT_KEY = {
    PostOrder.NEWEST: "published_at",
    PostOrder.OLDEST: "published_at",
    PostOrder.SERIES_NUMBER: "series_number",
}


async def list_posts(query: PostQuery) -> PostPage:
    """One page of posts, keyset-paginated: one statement whatever the page's depth."""
    qs = _base(query)
    if query.after is not None:
        key, last_id = decode_cursor(query.order, query.after)
        field = _SORT_KEY[query.order]
        if query.order is PostOrder.NEWEST:
            qs = qs.filter(Q(**{f"{field}__lt": key}) | Q(**{field: key, "id__lt": last_id}))
        else:
            qs = qs.filter(Q(**{f"{field}__gt": key}) | Q(**{field: key, "id__gt": last_id}))
    rows = await qs.order_by(*_ORDERING[query.order]).limit(query.first + 1).values(*POST_FIELDS)
    return PostPage(rows=rows[: query.first], has_next=len(rows) > query.first)


async def count_posts(query: PostQuery) -> int:
    return await _base(query).count()


def encode_cursor(order: PostOrder, row: dict[str, Any]) -> str:
    key = row[_SORT_KEY[order]]
    if isinstance(key, datetime):
        key = key.isoformat()
    raw = json.dumps([order.value, key, row["id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(order: PostOrder, cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, key, last_id = json.loads(raw)
        if name != order.value or not isinstance(last_id, int):
            raise InvalidCursor(cursor)
        if order is PostOrder.SERIES_NUMBER:
            if not isinstance(key, int):
                raise InvalidCursor(cursor)
            return key, last_id
        return datetime.fromisoformat(key), last_id
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidCursor(cursor) from exc


async def posts_by_id(ids: list[int], *, published_only: bool) -> list[dict[str, Any]]:
    qs = Post.filter(id__in=ids)
    if published_only:
        qs = qs.filter(status=PostStatus.PUBLISHED)
    return await qs.values(*POST_FIELDS)


async def translations_of(post_ids: list[int]) -> list[dict[str, Any]]:
    """The light columns of every translation of these posts (bodies are loaded apart)."""
    return await PostTranslation.filter(post_id__in=post_ids).values(*TRANSLATION_FIELDS)


async def bodies(translation_ids: list[int]) -> list[dict[str, Any]]:
    return await PostTranslation.filter(id__in=translation_ids).values(*BODY_FIELDS)


async def tag_ids_of(post_ids: list[int]) -> list[tuple[int, int]]:
    """``(post_id, tag_id)`` pairs for these posts."""
    rows = await Post.filter(id__in=post_ids, tags__id__isnull=False).values_list("id", "tags__id")
    return [(post_id, tag_id) for post_id, tag_id in rows]


async def find_by_slug(slug: str, chain: tuple[str, ...], *, published_only: bool) -> int | None:
    """The post with ``slug`` in any locale; a match in an earlier locale of ``chain`` wins."""
    qs = PostTranslation.filter(slug=slug)
    if published_only:
        qs = qs.filter(post__status=PostStatus.PUBLISHED)
    matches = await qs.values("post_id", "locale")
    if not matches:
        return None
    rank = {locale: index for index, locale in enumerate(chain)}
    best = min(matches, key=lambda row: (rank.get(row["locale"], len(chain)), row["post_id"]))
    return best["post_id"]


async def series_of(category_ids: list[int], *, published_only: bool) -> list[dict[str, Any]]:
    """``(category_id, series_number, id)`` of the numbered posts in these categories."""
    qs = Post.filter(category_id__in=category_ids, series_number__isnull=False)
    if published_only:
        qs = qs.filter(status=PostStatus.PUBLISHED)
    return await qs.order_by("series_number").values("id", "category_id", "series_number")
