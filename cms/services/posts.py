"""Reading posts: the hot read paths, in one place.

These functions return plain rows (dicts), not model instances: on list pages the ORM's query
building and object construction cost more than the database does, so the paths every page
takes are parameterized SQL (see :mod:`cms.services.sql`). Every function that can reach
unpublished content takes ``published_only``; the public API always passes True, and what
it then shows is :mod:`cms.services.visibility`'s rule.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import Any, TypedDict, cast

import orjson

from cms.models import PostStatus, PostTranslation, TranslationStatus
from cms.services import cursors, visibility
from cms.services.sql import (
    dialect,
    fetch,
    fetch_value,
    json_list,
    json_rows,
    placeholders,
    read_json_rows,
)
from cms.services.taxonomy import AuthorBioRow, AuthorRow, CategoryTranslationRow, PostTagRow
from cms.services.text import slugify
from cms.services.translation_sources import TranslationState


class PostRow(TypedDict):
    """A post's own columns, as the read paths select them (``_PAGE_COLUMNS``)."""

    id: int
    series_number: int | None
    status: str  # a PostStatus value
    version: int
    published_at: datetime | None
    publish_at: datetime | None
    unpublish_at: datetime | None
    updated_at: datetime
    author_id: int | None
    category_id: int | None
    cover_id: int | None
    source_locale: str | None
    created_by_id: int | None
    deleted_at: datetime | None


class ListedPostRow(PostRow):
    """A post on a page of :func:`list_posts`, with what the page is sorted on: a date (a
    publication date may be missing on rows written around the authoring service) or, in
    series order, the series number."""

    sort_key: datetime | int | None


class TranslationRow(TypedDict):
    """The light columns of a translation (``TRANSLATION_FIELDS``): no body."""

    id: int
    post_id: int
    locale: str
    status: str  # a TranslationStatus value
    title: str
    slug: str
    excerpt: str
    seo_title: str | None
    seo_description: str | None
    updated_at: datetime
    text_version: int
    source_locale: str | None
    source_version: int | None


class BodyRow(TypedDict):
    """A translation's body (``BODY_FIELDS``), by the translation's id."""

    id: int
    body: str
    body_html: str
    body_text: str
    headings: list[dict[str, Any]]  # {"level": 2, "text": "…", "anchor": "…"}
    word_count: int
    reading_minutes: int


class NeighbourRow(TypedDict):
    """The posts numbered just before and after post ``id`` in its category's series, among
    those a reader of a locale chain may see (None at either end, or out of a series)."""

    id: int
    previous_id: int | None
    next_id: int | None


class PostEventRow(TypedDict):
    post_id: int
    event_id: int


TRANSLATION_FIELDS = (
    "id",
    "post_id",
    "locale",
    "status",
    "title",
    "slug",
    "excerpt",
    "seo_title",
    "seo_description",
    "updated_at",
    "text_version",
    "source_locale",
    "source_version",
)
BODY_FIELDS = ("id", "body", "body_html", "body_text", "headings", "word_count", "reading_minutes")


class PostOrder(Enum):
    NEWEST = "newest"
    OLDEST = "oldest"
    SERIES_NUMBER = "series_number"
    UPDATED = "updated"


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
    # Any of these statuses (an empty tuple matches nothing).
    statuses: tuple[PostStatus, ...] | None = None
    # Words that must each occur in a title or slug of some translation.
    search: str | None = None
    # The trash instead of the posts outside it (never public).
    trashed: bool = False
    translation: TranslationFilter | None = None


@dataclass(frozen=True)
class TranslationFilter:
    """Posts whose translation in ``locale`` is in ``state`` (None: any existing one)."""

    locale: str
    state: TranslationState | None = None


@dataclass(frozen=True)
class PostQuery:
    """One page request: which posts, in which order, after which cursor."""

    chain: tuple[str, ...]
    filter: PostFilter = PostFilter()
    order: PostOrder = PostOrder.NEWEST
    #: How many posts the page holds (``last`` when it is read backward).
    first: int = 20
    after: str | None = None
    published_only: bool = True
    before: str | None = None
    #: Read backward: the ``first`` posts before ``before`` (or the list's last ones).
    backward: bool = False


@dataclass(frozen=True)
class Related:
    """What a page shows with each of its posts, read in the page's own statement: the
    translations each post may show, its tags, and its category's and author's rows."""

    translations: dict[int, list[TranslationRow]]  # by post id
    tags: dict[int, list[PostTagRow]]  # by post id
    categories: dict[int, list[CategoryTranslationRow]]  # by category id
    authors: dict[int, AuthorRow]  # by author id


@dataclass(frozen=True)
class PostPage:
    rows: list[ListedPostRow]
    has_next: bool
    related: Related
    #: Whether posts come before the page: known when reading backward; when reading
    #: forward, whether the page began after a cursor (as Relay allows).
    has_previous: bool = False
    #: How many posts match across all pages, when asked for and known from the page.
    total: int | None = None


_DIRECTION = {
    PostOrder.NEWEST: "DESC",
    PostOrder.OLDEST: "ASC",
    PostOrder.SERIES_NUMBER: "ASC",
    PostOrder.UPDATED: "DESC",
}


def _sort_expression(query: PostQuery) -> str:
    """What a list is sorted on (with the id to break ties), selected as ``sort_key``.

    Drafts have no publication date: in previews they sort by creation instead.
    """
    if query.order is PostOrder.SERIES_NUMBER:
        return "p.series_number"
    if query.order is PostOrder.UPDATED:
        return "p.updated_at"
    return "p.published_at" if query.published_only else "COALESCE(p.published_at, p.created_at)"


_PAGE_COLUMNS = (
    "p.id, p.series_number, p.status, p.version, p.published_at, p.publish_at, p.unpublish_at, "
    "p.updated_at, p.author_id, p.category_id, p.cover_id, p.source_locale, p.created_by_id, "
    "p.deleted_at"
)
_PAGE_DATETIMES = ("published_at", "publish_at", "unpublish_at", "updated_at", "deleted_at")


def _visible(
    chain: tuple[str, ...],
    published_only: bool,
    *,
    whole_set: bool = False,
    trashed: bool = False,
    alias: str = "p",
) -> tuple[list[str], list[Any]]:
    """Conditions on ``post p`` (or the ``alias`` given): not in the trash (or only in it,
    with ``trashed``: never public), and, for the public, public with a translation in
    ``chain`` that is too (see :mod:`cms.services.visibility`).

    A preview lists every post, since writers must find the drafts written only in another
    language too: a post without a translation in ``chain`` shows its source translation.

    A page probes the translations of the few posts it reads (EXISTS); a count over the whole
    set is cheaper as one scan of the (locale, status, post) index (IN).
    """
    p = alias
    if not published_only:
        return [f"{p}.deleted_at IS NOT NULL" if trashed else f"{p}.deleted_at IS NULL"], []
    if whole_set:
        translation = (
            f"{p}.id IN (SELECT t.post_id FROM post_translation t "  # noqa: S608
            f"WHERE t.locale IN ({placeholders(len(chain))})"
        )
    else:
        translation = (
            f"EXISTS (SELECT 1 FROM post_translation t WHERE t.post_id = {p}.id "  # noqa: S608
            f"AND t.locale IN ({placeholders(len(chain))})"
        )
    post, published = visibility.public_post(p), visibility.public_translation("t")
    conditions, params = [post.sql], [*post.params]
    if trashed:
        conditions.append(f"{p}.deleted_at IS NOT NULL")  # contradicts the public rule: no rows
    conditions.append(f"{translation} AND {published.sql})")
    params += [*chain, *published.params]
    return conditions, params


def _where(query: PostQuery, *, whole_set: bool = False) -> tuple[list[str], list[Any]]:
    """The conditions selecting the posts of ``query``, whatever the page."""
    f = query.filter
    conditions, params = _visible(
        query.chain, query.published_only, whole_set=whole_set, trashed=f.trashed
    )
    for value, condition in (
        (f.category_id, "p.category_id = ?"),
        (
            f.category_slug,
            "p.category_id IN (SELECT category_id FROM category_translation WHERE slug = ?)",
        ),
        (f.tag_id, "EXISTS (SELECT 1 FROM post_tag pt WHERE pt.post_id = p.id AND pt.tag_id = ?)"),
        (
            f.tag_slug,
            "EXISTS (SELECT 1 FROM post_tag pt JOIN tag_translation tt ON tt.tag_id = pt.tag_id "
            "WHERE pt.post_id = p.id AND tt.slug = ?)",
        ),
        (f.author_id, "p.author_id = ?"),
        (f.author_slug, "p.author_id IN (SELECT id FROM author WHERE slug = ?)"),
        (f.series_number, "p.series_number = ?"),
        (f.published_after, "p.published_at >= ?"),
        (f.published_before, "p.published_at < ?"),
    ):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    if f.statuses is not None:
        if f.statuses:
            conditions.append(f"p.status IN ({placeholders(len(f.statuses))})")
            params += [status.value for status in f.statuses]
        else:
            conditions.append("1 = 0")
    if f.search:
        for condition, values in search_conditions(f.search):
            conditions.append(condition)
            params += values
    if f.translation is not None:
        condition, values = translation_condition(f.translation, query.published_only)
        conditions.append(condition)
        params += values
    if query.order is PostOrder.SERIES_NUMBER:
        conditions.append("p.series_number IS NOT NULL")
    return conditions, params


def _like(value: str) -> str:
    """A LIKE pattern finding ``value`` anywhere, its wildcards taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_conditions(text: str) -> list[tuple[str, list[Any]]]:
    """One condition on ``post p`` per word of ``text``: some translation's title holds the
    word, whatever its case, or some slug holds the word's slug.

    SQLite's ``lower()`` folds ASCII letters only, so a title finds "ÉTÉ" by "été" only
    through the slug, which is ASCII and accent-free (the slug of "été" is "ete"): that is
    what makes accents and case fold alike on both databases.
    """
    conditions = []
    for word in dict.fromkeys(text.lower().split()):
        condition = "LOWER(t.title) LIKE ? ESCAPE '\\'"
        values: list[Any] = [_like(word)]
        slug = slugify(word)
        if slug:
            condition = f"({condition} OR t.slug LIKE ? ESCAPE '\\')"
            values.append(_like(slug))
        sql = (
            "EXISTS (SELECT 1 FROM post_translation t "  # noqa: S608
            f"WHERE t.post_id = p.id AND {condition})"
        )
        conditions.append((sql, values))
    return conditions


def translation_condition(f: TranslationFilter, published_only: bool) -> tuple[str, list[Any]]:
    """A condition on ``post p``: its translation in ``f.locale`` is in ``f.state``.

    The states are those of :func:`cms.services.translation_sources.locale_states`: OUTDATED
    when the translation it follows has a newer text than the version it records (the source
    is never outdated), else PUBLISHED when readers see it, else DRAFT; MISSING when there is
    none. For the public only published translations exist: a draft one counts as missing.
    """
    own = "t.post_id = p.id AND t.locale = ?"
    params: list[Any] = [f.locale]
    outdated = (
        "(t.source_locale IS NOT NULL "
        "AND (p.source_locale IS NULL OR t.locale <> p.source_locale) "
        "AND EXISTS (SELECT 1 FROM post_translation s WHERE s.post_id = t.post_id "
        "AND s.locale = t.source_locale AND s.text_version > t.source_version"
    )
    outdated_params: list[Any] = []
    if published_only:
        own_public = visibility.public_translation("t")
        source_public = visibility.public_translation("s")
        own += f" AND {own_public.sql}"
        params += own_public.params
        outdated += f" AND {source_public.sql}"
        outdated_params += source_public.params
    outdated += "))"
    exists = "EXISTS (SELECT 1 FROM post_translation t WHERE " + own  # noqa: S608
    if f.state is None:
        return exists + ")", params
    if f.state is TranslationState.MISSING:
        return "NOT " + exists + ")", params
    if f.state is TranslationState.OUTDATED:
        return f"{exists} AND {outdated})", params + outdated_params
    live = "(t.status = ? AND p.status = ?)"
    if f.state is TranslationState.DRAFT:
        live = "NOT " + live
    return (
        f"{exists} AND {live} AND NOT {outdated})",
        [*params, TranslationStatus.PUBLISHED.value, PostStatus.PUBLISHED.value, *outdated_params],
    )


_TAG_FIELDS = ("post_id", "tag_id", "locale", "name", "slug")
_CATEGORY_FIELDS = ("category_id", "locale", "name", "slug", "parent_id")
_AUTHOR_FIELDS = ("id", "name", "slug")


def _related_columns(published_only: bool) -> tuple[str, list[Any]]:
    """A column of ``post p`` holding its :class:`Related` rows (translations, tags, category,
    author, in one JSON value), with its parameters."""
    sql, params = _related_sql(dialect(), published_only)
    return sql, list(params)


@lru_cache(maxsize=4)
def _related_sql(database: str, published_only: bool) -> tuple[str, tuple[Any, ...]]:
    """What :func:`_related_columns` returns, written once per database and audience: every
    page of posts asks for it."""
    translations = "FROM post_translation rt WHERE rt.post_id = p.id"
    params: list[Any] = []
    if published_only:
        public = visibility.public_translation("rt")
        translations += f" AND {public.sql}"
        params += public.params
    columns = [
        json_rows([f"rt.{field}" for field in TRANSLATION_FIELDS], translations, "rt.id"),
        json_rows(
            ["pt.post_id", "tt.tag_id", "tt.locale", "tt.name", "tt.slug"],
            "FROM post_tag pt JOIN tag_translation tt ON tt.tag_id = pt.tag_id "
            "WHERE pt.post_id = p.id",
            "tt.tag_id, tt.id",
        ),
        json_rows(
            ["ct.category_id", "ct.locale", "ct.name", "ct.slug", "c.parent_id"],
            "FROM category_translation ct JOIN category c ON c.id = ct.category_id "
            "WHERE ct.category_id = p.category_id",
            "ct.id",
        ),
        json_rows(["a.id", "a.name", "a.slug"], "FROM author a WHERE a.id = p.author_id", "a.id"),
    ]
    return f"{json_list(columns)} AS related", tuple(params)


def _take_related(rows: list[dict[str, Any]]) -> Related:
    """The :class:`Related` rows of a page, taken out of its rows (which keep their own)."""
    related = Related({}, {}, {}, {})
    for row in rows:
        post_id = row["id"]
        translations, tags, category, authors = orjson.loads(row.pop("related"))
        found = read_json_rows(translations, TRANSLATION_FIELDS, datetimes=("updated_at",))
        related.translations[post_id] = cast(list[TranslationRow], found)
        related.tags[post_id] = cast(list[PostTagRow], read_json_rows(tags, _TAG_FIELDS))
        if row["category_id"] is not None:
            found_category = read_json_rows(category, _CATEGORY_FIELDS)
            related.categories[row["category_id"]] = cast(
                list[CategoryTranslationRow], found_category
            )
        for author in read_json_rows(authors, _AUTHOR_FIELDS):
            related.authors[author["id"]] = cast(AuthorRow, author)
    return related


async def list_posts(query: PostQuery, *, with_total: bool = False) -> PostPage:
    """One page of posts, keyset-paginated, with what it shows of each post (see
    :class:`Related`): one statement whatever the page's depth and size.

    ``with_total`` counts the posts of every page in the same statement (an uncorrelated
    subquery, run once); ``total`` is None only when the page is empty after a cursor, where
    the statement has no row to carry it (:func:`count_posts` tells then).
    """
    conditions, params = _where(query)
    key, direction = _sort_expression(query), _DIRECTION[query.order]
    later, earlier = (">", "<") if direction == "ASC" else ("<", ">")
    if query.after is not None:
        conditions.append(f"({key}, p.id) {later} (?, ?)")
        params.extend(decode_cursor(query.order, query.after))
    if query.before is not None:
        conditions.append(f"({key}, p.id) {earlier} (?, ?)")
        params.extend(decode_cursor(query.order, query.before))
    if query.backward:  # read from the end, then put the page back in the list's order
        direction = "DESC" if direction == "ASC" else "ASC"
    columns, column_params = _related_columns(query.published_only)
    if with_total:
        count, count_params = _count_statement(query)
        columns += f", ({count}) AS total"
        column_params += count_params
    dated = query.order is not PostOrder.SERIES_NUMBER
    rows = await fetch(
        f"SELECT {_PAGE_COLUMNS}, {key} AS sort_key, {columns} FROM post p "  # noqa: S608
        f"WHERE {' AND '.join(conditions)} "
        f"ORDER BY sort_key {direction}, p.id {direction} LIMIT ?",
        [*column_params, *params, query.first + 1],
        datetimes=(*_PAGE_DATETIMES, "sort_key") if dated else _PAGE_DATETIMES,
    )
    shown = rows[: query.first]
    more = len(rows) > query.first
    if query.backward:
        shown.reverse()
    total = None
    if with_total:
        # No row and no cursor: nothing matches at all.
        cursorless = query.after is None and query.before is None
        total = int(rows[0]["total"]) if rows else (0 if cursorless else None)
    return PostPage(
        rows=cast(list[ListedPostRow], shown),
        has_next=query.before is not None if query.backward else more,
        has_previous=more if query.backward else query.after is not None,
        related=_take_related(shown),
        total=total,
    )


async def count_posts(query: PostQuery) -> int:
    sql, params = _count_statement(query)
    return int(await fetch_value(sql, params))


def _count_statement(query: PostQuery) -> tuple[str, list[Any]]:
    """How many posts ``query`` finds on every page. Its alias is ``p``, as in the page's
    statement: inside that statement, the inner alias hides the outer one, so the count
    never depends on the page's row."""
    conditions, params = _where(query, whole_set=True)
    return f"SELECT COUNT(*) FROM post p WHERE {' AND '.join(conditions)}", params  # noqa: S608


def _cursor_scope(order: PostOrder) -> str:
    return f"posts/{order.value}"


def encode_cursor(order: PostOrder, row: ListedPostRow) -> str:
    """An opaque cursor after ``row``, a row of :func:`list_posts` (it carries ``sort_key``),
    valid for lists in the same ``order`` only."""
    return cursors.encode(_cursor_scope(order), row["sort_key"], row["id"])


def decode_cursor(order: PostOrder, cursor: str) -> tuple[datetime | int, int]:
    """The ``(sort_key, id)`` a cursor of :func:`encode_cursor` ends at;
    :class:`InvalidCursor` for a cursor of another ordering, or none of ours."""
    key, last_id = cursors.decode(_cursor_scope(order), cursor, 2)
    if order is PostOrder.SERIES_NUMBER:
        return cursors.int4(key), cursors.int4(last_id)
    return cursors.instant(key), cursors.int4(last_id)


@dataclass(frozen=True)
class PostsById:
    rows: list[PostRow]
    related: Related


async def posts_by_id(
    ids: list[int], *, published_only: bool, with_trash: bool = False
) -> PostsById:
    """Posts by id, with what is shown of each (in one statement); posts in the trash too
    with ``with_trash``, outside the public's reads (an editor opens one to restore it)."""
    related, params = _related_columns(published_only)
    sql = (
        f"SELECT {_PAGE_COLUMNS}, {related} FROM post p "  # noqa: S608
        f"WHERE p.id IN ({placeholders(len(ids))})"
    )
    params += ids
    if published_only:
        public = visibility.public_post("p")
        sql += f" AND {public.sql}"
        params += public.params
    elif not with_trash:
        sql += " AND p.deleted_at IS NULL"
    rows = await fetch(sql, params, datetimes=_PAGE_DATETIMES)
    return PostsById(cast(list[PostRow], rows), _take_related(rows))


async def translations_of(post_ids: list[int], *, published_only: bool) -> list[TranslationRow]:
    """The light columns of the translations of these posts (bodies are loaded apart)."""
    sql = (
        f"SELECT {', '.join(TRANSLATION_FIELDS)} FROM post_translation t "  # noqa: S608
        f"WHERE t.post_id IN ({placeholders(len(post_ids))})"
    )
    params: list[Any] = list(post_ids)
    if published_only:
        public = visibility.public_translation("t")
        sql += f" AND {public.sql}"
        params += public.params
    sql += " ORDER BY t.id"  # in the order they were written, as the page's rows are
    return cast(list[TranslationRow], await fetch(sql, params, datetimes=("updated_at",)))


async def bodies(translation_ids: list[int]) -> list[BodyRow]:
    rows = await PostTranslation.filter(id__in=translation_ids).values(*BODY_FIELDS)
    return cast(list[BodyRow], rows)


def _neighbour_columns(chain: tuple[str, ...], published_only: bool) -> tuple[str, list[Any]]:
    """``previous_id, next_id`` of ``post p``: the posts numbered just before and after it in
    its category, among those visible through ``chain``."""
    visible, params = _visible(chain, published_only, alias="s")
    columns = []
    for name, compare, direction in (("previous_id", "<", "DESC"), ("next_id", ">", "ASC")):
        columns.append(
            f"(SELECT s.id FROM post s WHERE s.category_id = p.category_id "  # noqa: S608
            f"AND s.series_number {compare} p.series_number AND {' AND '.join(visible)} "
            f"ORDER BY s.series_number {direction}, s.id {direction} LIMIT 1) AS {name}"
        )
    return ", ".join(columns), [*params, *params]


async def neighbours_of(
    post_ids: list[int], chain: tuple[str, ...], *, published_only: bool
) -> list[NeighbourRow]:
    """The series neighbours of these posts (see :class:`NeighbourRow`), in one statement."""
    columns, params = _neighbour_columns(chain, published_only)
    rows = await fetch(
        f"SELECT p.id, {columns} FROM post p "  # noqa: S608
        f"WHERE p.id IN ({placeholders(len(post_ids))})",
        [*params, *post_ids],
    )
    return cast(list[NeighbourRow], rows)


@dataclass(frozen=True)
class FullPost:
    """Everything a post's own page shows, read in one statement: the post and its
    :class:`Related` rows, the bodies of the translations it may show, its author's
    biographies, and its neighbours in its series."""

    row: PostRow
    related: Related
    bodies: list[BodyRow]
    bios: list[AuthorBioRow]
    neighbours: NeighbourRow


def _slug(slug: str, chain: tuple[str, ...], *, published_only: bool) -> tuple[str, list[Any]]:
    """A condition on ``post p``: it is the post a reader asking for ``slug`` through
    ``chain`` finds.

    That is the post with ``slug`` now, in any locale: a match in an earlier locale of
    ``chain`` wins, then the lowest id. When no post has it now, it is the post one of whose
    translations had it before (:class:`cms.models.PostSlug`), ranked the same way; its
    current slug then tells the frontend where to redirect. Old slugs are stored in NFC, as
    imported non-ASCII ones are, so a path decoded into another normal form still finds them.
    For the public, the translation that has (or had) the slug must be published now, as the
    post must. ``COALESCE`` looks at old slugs only when no current one matched.
    """
    rank = " ".join(f"WHEN ? THEN {index}" for index in range(len(chain)))
    current = (
        "SELECT t.post_id FROM post_translation t JOIN post tp ON tp.id = t.post_id "
        "WHERE t.slug = ?"
    )
    old = "SELECT s.post_id FROM post_slug s JOIN post sp ON sp.id = s.post_id WHERE s.slug = ?"
    current_params: list[Any] = [slug]
    old_params: list[Any] = [slug if slug.isascii() else unicodedata.normalize("NFC", slug)]
    if published_only:
        post, published = visibility.public_post("tp"), visibility.public_translation("t")
        current += f" AND {post.sql} AND {published.sql}"
        current_params += [*post.params, *published.params]
        post, published = visibility.public_post("sp"), visibility.public_translation("st")
        old += (
            f" AND {post.sql} AND EXISTS (SELECT 1 FROM post_translation st "  # noqa: S608
            f"WHERE st.post_id = s.post_id AND st.locale = s.locale AND {published.sql})"
        )
        old_params += [*post.params, *published.params]
    else:
        current += " AND tp.deleted_at IS NULL"
        old += " AND sp.deleted_at IS NULL"
    current += f" ORDER BY CASE t.locale {rank} ELSE {len(chain)} END, t.post_id LIMIT 1"
    old += f" ORDER BY CASE s.locale {rank} ELSE {len(chain)} END, s.post_id LIMIT 1"
    return (
        f"p.id = COALESCE(({current}), ({old}))",
        [*current_params, *chain, *old_params, *chain],
    )


async def full_post(
    chain: tuple[str, ...],
    *,
    post_id: int | None = None,
    slug: str | None = None,
    published_only: bool,
    with_trash: bool = False,
) -> FullPost | None:
    """The post with ``post_id`` or with ``slug``, with all its page shows (see
    :class:`FullPost`); None when there is none to show.

    A slug finds its post as :func:`_slug` says, in the same statement. In the trash only
    with ``with_trash`` (by id, for those who may restore it).
    """
    related, params = _related_columns(published_only)
    neighbours, neighbour_params = _neighbour_columns(chain, published_only)
    bodies_from = "FROM post_translation rb WHERE rb.post_id = p.id"
    if published_only:
        public = visibility.public_translation("rb")
        bodies_from += f" AND {public.sql}"
        params += public.params
    bodies = json_rows([f"rb.{field}" for field in BODY_FIELDS], bodies_from, "rb.id")
    bios = json_rows(
        ["ab.author_id", "ab.locale", "ab.bio"],
        "FROM author_translation ab WHERE ab.author_id = p.author_id",
        "ab.id",
    )
    params += neighbour_params
    if slug is not None:
        condition, where_params = _slug(slug, chain, published_only=published_only)
    else:
        condition, where_params = "p.id = ?", [post_id]
    conditions = [condition]
    if published_only:
        public_post = visibility.public_post("p")
        conditions.append(public_post.sql)
        where_params += public_post.params
    elif not with_trash:
        conditions.append("p.deleted_at IS NULL")
    rows = await fetch(
        f"SELECT {_PAGE_COLUMNS}, {related}, {bodies} AS page_bodies, "  # noqa: S608
        f"{bios} AS page_bios, {neighbours} FROM post p WHERE {' AND '.join(conditions)}",
        [*params, *where_params],
        datetimes=_PAGE_DATETIMES,
    )
    if not rows:
        return None
    (row,) = rows
    related_rows = _take_related(rows)
    page_bodies = read_json_rows(row.pop("page_bodies"), BODY_FIELDS)
    for body in page_bodies:
        # A JSON column nests as JSON on PostgreSQL, as the text it is stored as on SQLite.
        if isinstance(body["headings"], str):
            body["headings"] = orjson.loads(body["headings"])
    bios_rows = read_json_rows(row.pop("page_bios"), ("author_id", "locale", "bio"))
    neighbour_row = NeighbourRow(
        id=row["id"], previous_id=row.pop("previous_id"), next_id=row.pop("next_id")
    )
    return FullPost(
        row=cast(PostRow, row),
        related=related_rows,
        bodies=cast(list[BodyRow], page_bodies),
        bios=cast(list[AuthorBioRow], bios_rows),
        neighbours=neighbour_row,
    )


@dataclass(frozen=True)
class PostsByEvent:
    posts: dict[int, list[PostRow]]  # by event id, newest first
    related: Related


async def posts_linked_to_events(event_ids: list[int], *, limit: int = 50) -> PostsByEvent:
    """Public posts that mention each of these events, newest first, at most ``limit`` an
    event, with what is shown of each: one statement for a whole page of events (a post
    mentioning two of them comes under both)."""
    public = visibility.public_post("p")
    related, related_params = _related_columns(published_only=True)
    rows = await fetch(
        f"SELECT p.*, {related} FROM (SELECT {_PAGE_COLUMNS}, pe.event_id, "  # noqa: S608
        "ROW_NUMBER() OVER (PARTITION BY pe.event_id "
        "ORDER BY p.published_at DESC, p.id DESC) AS place "
        "FROM post p JOIN post_event pe ON pe.post_id = p.id "
        f"WHERE pe.event_id IN ({placeholders(len(event_ids))}) AND {public.sql}) p "
        "WHERE p.place <= ? ORDER BY p.event_id, p.place",
        [*related_params, *event_ids, *public.params, limit],
        datetimes=_PAGE_DATETIMES,
    )
    found: PostsByEvent = PostsByEvent(
        {event_id: [] for event_id in event_ids}, _take_related(rows)
    )
    for row in rows:
        event_id = row.pop("event_id")
        del row["place"]
        found.posts[event_id].append(cast(PostRow, row))
    return found


async def events_linked_to_posts(post_ids: list[int]) -> list[PostEventRow]:
    """``post_id, event_id`` of the public events these posts mention, by event id: one
    statement for a whole page of posts."""
    public = visibility.public_event("e")
    rows = await fetch(
        "SELECT pe.post_id, pe.event_id FROM post_event pe "  # noqa: S608
        "JOIN event e ON e.id = pe.event_id "
        f"WHERE pe.post_id IN ({placeholders(len(post_ids))}) AND {public.sql} "
        "ORDER BY pe.event_id",
        [*post_ids, *public.params],
    )
    return cast(list[PostEventRow], rows)
