"""Reading categories, tags and authors with all their translations."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from cms.models import (
    Author,
    AuthorTranslation,
    CategoryTranslation,
    TagTranslation,
)


async def category_translations(ids: list[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Translations per category id (every category when ``ids`` is None)."""
    qs = (
        CategoryTranslation.all()
        if ids is None
        else CategoryTranslation.filter(category_id__in=ids)
    )
    rows = await qs.order_by("category_id").values("category_id", "locale", "name", "slug")
    return _group(rows, "category_id")


async def tag_translations(ids: list[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    qs = TagTranslation.all() if ids is None else TagTranslation.filter(tag_id__in=ids)
    rows = await qs.order_by("tag_id").values("tag_id", "locale", "name", "slug")
    return _group(rows, "tag_id")


async def authors(ids: list[int] | None = None) -> list[dict[str, Any]]:
    qs = Author.all() if ids is None else Author.filter(id__in=ids)
    return await qs.order_by("name", "id").values("id", "name", "slug")


async def author_bios(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    rows = await AuthorTranslation.filter(author_id__in=ids).values("author_id", "locale", "bio")
    return _group(rows, "author_id")


async def find_author(slug: str) -> int | None:
    row = await Author.filter(slug=slug).first().values("id")
    return row["id"] if row else None


def _group(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


async def find_category(slug: str) -> int | None:
    """The category with ``slug`` in any locale."""
    row = await CategoryTranslation.filter(slug=slug).order_by("id").first().values("category_id")
    return row["category_id"] if row else None


async def find_tag(slug: str) -> int | None:
    row = await TagTranslation.filter(slug=slug).order_by("id").first().values("tag_id")
    return row["tag_id"] if row else None
