"""Full-text search over what anonymous readers may see: published post and event translations.

The indexes are kept by database triggers (see the ``0006_search`` migration), so this module
only reads. Visibility is decided when searching, by joining the live rows with the rule
every public surface applies (:mod:`cms.services.visibility`), so scheduled publishing,
archiving and the trash need no reindexing.

- **Locale.** A search looks at translations in the requested locale only: a reader searching
  in en-CA gets English results, each shown in English.
- **Words.** The text is a list of plain words, every one of which must occur (in any form
  the stemmer relates: "events" finds "event"); quotes, ``OR``, ``*`` or ``NEAR(`` are words
  too, never query syntax. Accents do not matter: "evenement" finds "événement".
- **Ranking.** Best first: BM25 on SQLite (FTS5), cover density on PostgreSQL
  (``ts_rank_cd``), titles weighing more than excerpts, and excerpts more than bodies; ties
  go by kind, then id. Scores are higher for better matches but are comparable only within
  one result list (each engine has its own scale).
- **Pages.** Keyset cursors over (rank, kind, id): one statement per page, wherever the page.
  PostgreSQL's rank depends on the document and the query only, so pages stay consistent
  while other content changes; SQLite's BM25 weighs words by their frequency in the whole
  index, so a write between two pages may shift the boundary slightly.
- **Snippets.** A short passage of the body (or, when only it matches, of the excerpt) with
  the matched words between ``<mark>`` and ``</mark>``. The passage is plain text: everything
  in it is HTML-escaped, and the marks are the only markup.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypedDict, cast

from cms.services import cursors, visibility
from cms.services.sql import dialect, fetch, fetch_value

MAX_QUERY_LENGTH = 200

# Stand-ins for the marks while the engine builds a snippet; the text is escaped around them.
_START, _STOP = "\x02", "\x03"
_MARKS = re.compile(f"([{_START}{_STOP}])")
# Control characters mean nothing in a query, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What PostgreSQL snippets carry instead of "<" (see the migration's ``search_text``).
_PG_LESS_THAN = "\ue000"
_SNIPPET_WORDS = 24


class SearchKind(StrEnum):
    POST = "post"
    EVENT = "event"


_KINDS = tuple(kind.value for kind in SearchKind)


class InvalidQuery(ValueError):
    """Search text that is empty or too long; the message says which."""


@dataclass(frozen=True)
class SearchQuery:
    """One page request. ``text`` is normalized when the query is made (see :func:`normalize`,
    which raises :class:`InvalidQuery`), so a query that exists can be run."""

    text: str
    locale: str
    first: int = 20
    after: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", normalize(self.text))


@dataclass(frozen=True)
class Hit:
    kind: SearchKind
    id: int
    title: str
    snippet: str
    score: float
    cursor: str


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    has_next: bool


class _HitRow(TypedDict):
    """A hit of the page, as the snippet queries select it."""

    kind: str  # a SearchKind value
    id: int
    rank: float  # lower is better
    title: str
    excerpt_snippet: str | None
    body_snippet: str | None


def normalize(text: str) -> str:
    """The words of ``text`` separated by single spaces; refuses empty and overlong text."""
    words = _CONTROL.sub(" ", text).split()
    if not words:
        raise InvalidQuery("The search text is empty: give at least one word.")
    normalized = " ".join(words)
    if len(normalized) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            f"The search text is {len(normalized)} characters long; at most "
            f"{MAX_QUERY_LENGTH} are allowed."
        )
    return normalized


async def search(query: SearchQuery) -> SearchPage:
    """One page of hits, best first."""
    hits, params = _hits(query, ranked=True)
    after: list[Any] = []
    keyset = ""
    if query.after is not None:
        keyset = "WHERE (rank, kind, id) > (?, ?, ?) "
        after = list(decode_cursor(query, query.after))
    postgres = dialect() == "postgres"
    snippets = _POSTGRES_SNIPPETS if postgres else _SQLITE_SNIPPETS
    snippet_params = _snippet_params(query, postgres)
    rows = await fetch(
        f"WITH {hits}, page AS (SELECT * FROM hits {keyset}"  # noqa: S608
        f"ORDER BY rank, kind, id LIMIT ?) {snippets} ORDER BY rank, kind, id",
        [*params, *after, query.first + 1, *snippet_params],
    )
    page = [_hit(query, row, postgres) for row in cast(list[_HitRow], rows[: query.first])]
    return SearchPage(hits=page, has_next=len(rows) > query.first)


async def count(query: SearchQuery) -> int:
    """How many hits the search has across all pages."""
    hits, params = _hits(query, ranked=False)
    return int(await fetch_value(f"WITH {hits} SELECT COUNT(*) FROM hits", params))  # noqa: S608


def _hits(query: SearchQuery, *, ranked: bool) -> tuple[str, list[Any]]:
    """The ``hits`` CTE (kind, id, translation_id, rank: lower is better) and its parameters.

    Counting needs no ranks: unranked, ``rank`` is 0 and costs nothing.
    """
    published, post, event = (
        visibility.public_translation("t"),
        visibility.public_post("p"),
        visibility.public_event("e"),
    )
    post_where = f"t.locale = ? AND {published.sql} AND {post.sql}"
    post_params = [query.locale, *published.params, *post.params]
    event_params = [query.locale, *event.params]
    if dialect() == "postgres":
        sql = _POSTGRES_HITS.format(
            post_where=post_where,
            event_where=event.sql,
            materialized="MATERIALIZED " if ranked else "",
            rank="-ts_rank_cd(s.document, q.query, 1)::float8" if ranked else "0::float8",
        )
        return sql, [query.locale, query.text, *post_params, *event_params]
    match = fts5_query(query.text)
    sql = _SQLITE_HITS.format(
        post_where=post_where,
        event_where=event.sql,
        post_rank="bm25(post_search, 5.0, 2.0, 1.0)" if ranked else "0",
        event_rank="bm25(event_search, 5.0, 2.0, 1.0)" if ranked else "0",
    )
    return sql, [match, *post_params, match, *event_params]


def fts5_query(text: str) -> str:
    """FTS5 syntax matching every word of ``text``: each is quoted, so none is an operator."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


# Titles weigh five times, excerpts twice as much as bodies, as on PostgreSQL (weights A, B, C
# are 1.0, 0.4 and 0.2 for ts_rank_cd). CROSS JOIN keeps SQLite from scanning every post and
# probing the index for each: the full-text match drives the join.
_SQLITE_HITS = """
hits AS (
    SELECT 'post' AS kind, t.post_id AS id, t.id AS translation_id, {post_rank} AS rank
    FROM post_search
    CROSS JOIN post_translation t ON t.id = post_search.rowid
    CROSS JOIN post p ON p.id = t.post_id
    WHERE post_search MATCH ? AND {post_where}
    UNION ALL
    SELECT 'event', t.event_id, t.id, {event_rank}
    FROM event_search
    CROSS JOIN event_translation t ON t.id = event_search.rowid
    CROSS JOIN event e ON e.id = t.event_id
    WHERE event_search MATCH ? AND t.locale = ? AND {event_where}
)"""

# Snippets for the page's rows only: the engines rebuild them from the text, which is costly.
_SQLITE_SNIPPETS = """
SELECT page.kind AS kind, page.id AS id, page.rank AS rank, post_search.title AS title,
    snippet(post_search, 1, ?, ?, '…', ?) AS excerpt_snippet,
    snippet(post_search, 2, ?, ?, '…', ?) AS body_snippet
FROM page CROSS JOIN post_search
    ON post_search.rowid = page.translation_id AND post_search MATCH ?
WHERE page.kind = 'post'
UNION ALL
SELECT page.kind, page.id, page.rank, event_search.title,
    snippet(event_search, 1, ?, ?, '…', ?), snippet(event_search, 2, ?, ?, '…', ?)
FROM page CROSS JOIN event_search
    ON event_search.rowid = page.translation_id AND event_search MATCH ?
WHERE page.kind = 'event'"""

# Normalization 1 divides the rank by 1 + the logarithm of the document's length, so a long
# body does not outrank a title by repeating a word, as BM25 does on SQLite. MATERIALIZED:
# inlined, the CTE would compute each rank twice on later pages (for the cursor and the sort).
_POSTGRES_HITS = """
q AS (SELECT plainto_tsquery(search_config(?), ?) AS query),
hits AS {materialized}(
    SELECT 'post' AS kind, t.post_id AS id, t.id AS translation_id, {rank} AS rank
    FROM q
    CROSS JOIN post_search s
    JOIN post_translation t ON t.id = s.translation_id
    JOIN post p ON p.id = t.post_id
    WHERE s.document @@ q.query AND {post_where}
    UNION ALL
    SELECT 'event', t.event_id, t.id, {rank}
    FROM q
    CROSS JOIN event_search s
    JOIN event_translation t ON t.id = s.translation_id
    JOIN event e ON e.id = t.event_id
    WHERE s.document @@ q.query AND t.locale = ? AND {event_where}
)"""

_POSTGRES_SNIPPETS = """
SELECT page.kind, page.id, page.rank, t.title,
    ts_headline(search_config(t.locale), search_text(t.excerpt), q.query, ?) AS excerpt_snippet,
    ts_headline(search_config(t.locale), search_text(t.body_text), q.query, ?) AS body_snippet
FROM page CROSS JOIN q JOIN post_translation t ON t.id = page.translation_id
WHERE page.kind = 'post'
UNION ALL
SELECT page.kind, page.id, page.rank, t.title,
    ts_headline(search_config(t.locale), search_text(t.summary), q.query, ?),
    ts_headline(search_config(t.locale), search_text(t.description_text), q.query, ?)
FROM page CROSS JOIN q JOIN event_translation t ON t.id = page.translation_id
WHERE page.kind = 'event'"""

_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords={_SNIPPET_WORDS}, "
    f"MinWords={_SNIPPET_WORDS // 2}, MaxFragments=1"
)


def _snippet_params(query: SearchQuery, postgres: bool) -> list[Any]:
    if postgres:
        return [_HEADLINE_OPTIONS] * 4
    marks = [_START, _STOP, _SNIPPET_WORDS]
    match = fts5_query(query.text)
    return [*marks, *marks, match, *marks, *marks, match]


def _hit(query: SearchQuery, row: _HitRow, postgres: bool) -> Hit:
    kind = SearchKind(row["kind"])
    snippet = _best_snippet(row["body_snippet"] or "", row["excerpt_snippet"] or "")
    if postgres:
        snippet = snippet.replace(_PG_LESS_THAN, "<")
    return Hit(
        kind=kind,
        id=row["id"],
        title=row["title"],
        snippet=marked_html(snippet),
        score=-row["rank"],
        cursor=encode_cursor(query, row["rank"], kind, row["id"]),
    )


def _best_snippet(body: str, excerpt: str) -> str:
    """The body's passage where the words occur there, else the excerpt's, else the body's
    beginning (or the excerpt, for an empty body)."""
    for candidate in (body, excerpt):
        if _START in candidate:
            return candidate
    return body or excerpt


def marked_html(snippet: str) -> str:
    """HTML of a plain-text ``snippet`` whose matches sit between the stand-in marks:
    everything escaped, marks as ``<mark>`` elements (balanced, whatever the text held)."""
    out: list[str] = []
    open_ = False
    for part in _MARKS.split(" ".join(snippet.split())):
        if part == _START:
            if not open_:
                out.append("<mark>")
            open_ = True
        elif part == _STOP:
            if open_:
                out.append("</mark>")
            open_ = False
        else:
            out.append(html.escape(part))
    if open_:
        out.append("</mark>")
    return "".join(out)


def _cursor_scope(query: SearchQuery) -> str:
    """A search's cursors belong to its text and locale, known by a short fingerprint."""
    digest = hashlib.blake2s(f"{query.locale}\n{query.text}".encode(), digest_size=6).hexdigest()
    return f"search/{digest}"


def encode_cursor(query: SearchQuery, rank: float, kind: SearchKind, ident: int) -> str:
    """An opaque cursor after a hit; valid for the same text and locale only."""
    return cursors.encode(_cursor_scope(query), rank, kind.value, ident)


def decode_cursor(query: SearchQuery, cursor: str) -> tuple[float, str, int]:
    """The ``(rank, kind, id)`` a cursor of :func:`encode_cursor` ends at;
    :class:`InvalidCursor` for a cursor of another search, or none of ours."""
    rank, kind, ident = cursors.decode(_cursor_scope(query), cursor, 3)
    return cursors.real(rank), cursors.text(kind, _KINDS), cursors.int4(ident)
