"""Reading categories, tags and authors with all their translations.

Every page of posts reads these, so they go through parameterized SQL (see
:mod:`cms.services.sql`). Translations come in the order they were written, so the
first-written one is the last-resort fallback.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, TypeVar, cast

from cms.services.sql import fetch, placeholders


class CategoryTranslationRow(TypedDict):
    """A category's name in one locale, with the category's own ``parent_id``."""

    category_id: int
    locale: str
    name: str
    slug: str
    parent_id: int | None


class TagTranslationRow(TypedDict):
    tag_id: int
    locale: str
    name: str
    slug: str


class PostTagRow(TagTranslationRow):
    """A translation of a tag of the post ``post_id``."""

    post_id: int


class AuthorRow(TypedDict):
    id: int
    name: str
    slug: str


class AuthorBioRow(TypedDict):
    author_id: int
    locale: str
    bio: str


_Row = TypeVar("_Row", bound=Mapping[str, Any])


async def category_translations(
    ids: list[int] | None = None,
) -> dict[int, list[CategoryTranslationRow]]:
    """Translations per category id (every category when ``ids`` is None), each row with the
    category's ``parent_id``."""
    where = "" if ids is None else f" WHERE t.category_id IN ({placeholders(len(ids))})"
    sql = (
        "SELECT t.category_id, t.locale, t.name, t.slug, c.parent_id "  # noqa: S608 - placeholders only
        f"FROM category_translation t JOIN category c ON c.id = t.category_id{where} "
        "ORDER BY t.category_id, t.id"
    )
    rows = cast(list[CategoryTranslationRow], await fetch(sql, ids or ()))
    return _group(rows, "category_id")


async def tag_translations(ids: list[int] | None = None) -> dict[int, list[TagTranslationRow]]:
    """Translations per tag id (every tag when ``ids`` is None)."""
    where = "" if ids is None else f" WHERE tag_id IN ({placeholders(len(ids))})"
    rows = await fetch(
        f"SELECT tag_id, locale, name, slug FROM tag_translation{where} "  # noqa: S608
        "ORDER BY tag_id, id",
        ids or (),
    )
    return _group(cast(list[TagTranslationRow], rows), "tag_id")


async def post_tags(post_ids: list[int]) -> list[PostTagRow]:
    """``post_id, tag_id, locale, name, slug`` for every tag translation of these posts."""
    rows = await fetch(
        "SELECT pt.post_id, tt.tag_id, tt.locale, tt.name, tt.slug FROM post_tag pt "  # noqa: S608
        "JOIN tag_translation tt ON tt.tag_id = pt.tag_id "
        f"WHERE pt.post_id IN ({placeholders(len(post_ids))}) ORDER BY tt.tag_id, tt.id",
        post_ids,
    )
    return cast(list[PostTagRow], rows)


async def authors(ids: list[int] | None = None) -> list[AuthorRow]:
    where = "" if ids is None else f" WHERE id IN ({placeholders(len(ids))})"
    rows = await fetch(f"SELECT id, name, slug FROM author{where} ORDER BY name, id", ids or ())  # noqa: S608
    return cast(list[AuthorRow], rows)


async def author_bios(ids: list[int]) -> dict[int, list[AuthorBioRow]]:
    rows = await fetch(
        "SELECT author_id, locale, bio FROM author_translation "  # noqa: S608
        f"WHERE author_id IN ({placeholders(len(ids))}) ORDER BY id",
        ids,
    )
    return _group(cast(list[AuthorBioRow], rows), "author_id")


async def find_author(slug: str) -> int | None:
    rows = await fetch("SELECT id FROM author WHERE slug = ?", [slug])
    return rows[0]["id"] if rows else None


async def find_category(slug: str, chain: tuple[str, ...]) -> int | None:
    """The category with ``slug`` in any locale; a match in an earlier locale of ``chain`` wins."""
    return await _find_term("category", slug, chain)


async def find_tag(slug: str, chain: tuple[str, ...]) -> int | None:
    """The tag with ``slug`` in any locale; a match in an earlier locale of ``chain`` wins."""
    return await _find_term("tag", slug, chain)


async def _find_term(kind: str, slug: str, chain: tuple[str, ...]) -> int | None:
    rows = await fetch(
        f"SELECT {kind}_id, locale FROM {kind}_translation WHERE slug = ? ORDER BY id",  # noqa: S608
        [slug],
    )
    if not rows:
        return None
    rank = {locale: index for index, locale in enumerate(chain)}
    best = min(rows, key=lambda row: rank.get(row["locale"], len(chain)))
    term_id: int = best[f"{kind}_id"]
    return term_id


def _group(rows: Sequence[_Row], key: str) -> dict[int, list[_Row]]:
    grouped: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)
