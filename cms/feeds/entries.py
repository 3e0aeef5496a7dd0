"""What a feed carries: the latest published posts of one locale, ready for any format.

A feed is in one language, so a post appears in the feed of a locale only when it has a
published translation in that locale: no fallback (``<language>`` stays truthful). Posts are
chosen by the public read path (:func:`cms.services.posts.list_posts`), so a feed shows what
the API shows anyone (the rule of :mod:`cms.services.visibility`), newest first. Names of
categories and tags, and images' alternative text, follow the locale's fallback chain as they
do in the API.

Whatever the number of posts, a feed costs a fixed number of statements: the page (which
brings each post's translations, terms and author), the bodies, then every image at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from cms.feeds.syndication import Entry, Image, Term

# The API's expansion of embedded media, fed by one batch for all bodies instead of a
# request's loader.
from cms.models import Media
from cms.services import posts, taxonomy
from cms.services.embeds import embedded_ids, expand
from cms.services.locales import pick
from cms.services.text import sort_key
from cms.settings import Settings

#: How many posts a feed carries.
FEED_SIZE = 50


async def latest_entries(
    settings: Settings,
    locale: str,
    *,
    media_url: Callable[[str], str],
    category_id: int | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """The newest posts published in ``locale`` (in one category if given), as feed entries.

    ``media_url`` gives the absolute address of a stored file from its key: a feed is read
    away from the site, so a path such as ``/media/…`` must be made absolute by the caller.
    """
    query = posts.PostQuery(
        chain=(locale,),
        filter=posts.PostFilter(category_id=category_id),
        order=posts.PostOrder.NEWEST,
        first=limit or FEED_SIZE,
    )
    page = await posts.list_posts(query)
    rows, related = page.rows, page.related
    if not rows:
        return []
    # The page's statement brought each post's translations, terms and author with it.
    chosen = {
        t["post_id"]: t
        for found in related.translations.values()
        for t in found
        if t["locale"] == locale
    }
    author_names = {i: author["name"] for i, author in related.authors.items()}
    body_rows = await posts.bodies([t["id"] for t in chosen.values()])
    bodies = {b["id"]: b["body_html"] for b in body_rows}
    media_ids = {r["cover_id"] for r in rows if r["cover_id"] is not None}
    for text in bodies.values():
        media_ids |= set(embedded_ids(text))
    media = {m.id: m for m in await Media.filter(id__in=media_ids)} if media_ids else {}

    terms_chain = settings.locale_chain(locale)
    category_terms = {i: _term(found, terms_chain) for i, found in related.categories.items()}
    tag_terms = _tag_terms([t for found in related.tags.values() for t in found], terms_chain)
    host = urlsplit(settings.site_url).hostname or "localhost"

    entries = []
    for row in rows:
        translation = chosen.get(row["id"])
        if translation is None:  # unpublished since the page was read
            continue
        published = row["published_at"]
        if published is None:  # only rows written around the authoring service lack one
            continue  # an entry's id and date need it
        category = category_terms.get(row["category_id"])
        terms = ([category] if category else []) + tag_terms.get(row["id"], [])
        author = author_names.get(row["author_id"]) if row["author_id"] is not None else None
        cover = media.get(row["cover_id"]) if row["cover_id"] is not None else None
        entries.append(
            Entry(
                id=f"tag:{host},{published.astimezone(UTC):%Y-%m-%d}:post/{row['id']}/{locale}",
                url=settings.post_url(locale, translation["slug"]),
                title=translation["title"],
                summary=translation["excerpt"] or translation["seo_description"] or "",
                content_html=expand(
                    bodies.get(translation["id"], ""), media, terms_chain, media_url
                ),
                published=published,
                updated=max(row["updated_at"], translation["updated_at"]),
                author=author,
                terms=tuple(terms),
                image=_cover(cover, media_url),
            )
        )
    return entries


def _tag_terms(rows: list[taxonomy.PostTagRow], chain: tuple[str, ...]) -> dict[int, list[Term]]:
    """Each post's tags, named in ``chain`` and sorted by name."""
    by_post: dict[int, dict[int, list[taxonomy.PostTagRow]]] = {}
    for row in rows:
        by_post.setdefault(row["post_id"], {}).setdefault(row["tag_id"], []).append(row)
    return {
        post_id: sorted((_term(t, chain) for t in by_tag.values()), key=lambda t: sort_key(t.name))
        for post_id, by_tag in by_post.items()
    }


def _term(rows: Sequence[Mapping[str, Any]], chain: tuple[str, ...]) -> Term:
    """A category or tag, from its translations."""
    # As in the API, a term always shows a name: with none in the chain, its first one.
    row = pick(rows, chain) or rows[0]
    return Term(slug=row["slug"], name=row["name"])


def _cover(media: Media | None, url: Callable[[str], str]) -> Image | None:
    """The cover's full-size public copy (the one JSON-LD names), once it exists."""
    if media is None or not media.renditions:
        return None
    full = media.renditions[0]
    return Image(
        url=url(full["key"]),
        content_type=f"image/{full['format']}",
        width=full.get("width"),
        height=full.get("height"),
    )
