"""``sitemap.xml``: every public page of a post or event, with its translations as alternates.

Follows the sitemaps.org protocol with Google's ``xhtml:link`` extension: each published
translation is a ``<url>`` naming every published translation of the same post (itself
included) by ``hreflang``, plus ``x-default`` for the default locale's version when there is
one. A page is listed when the API serves it to anyone: the rule of
:mod:`cms.services.visibility`, with no condition of its own. Two statements, however many
pages.

A sitemap file holds at most 50,000 URLs and 50 MB; past either, ``/sitemap.xml`` becomes an
index of numbered sitemaps, each filled up to both limits (with two locales, 50,000 URLs make
about 30 MB; with many locales the alternates make the size the binding limit).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cms.services import visibility
from cms.services.sql import fetch, placeholders
from cms.settings import Settings

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
#: The protocol's caps on one sitemap file.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
# What a <url> costs besides its addresses, and each alternate besides its own (escaping
# aside: the addresses are made of slugs, which need none).
_URL_BYTES = len("<url><loc /><lastmod>2026-01-01T00:00:00Z</lastmod></url>") + 10
_LINK_BYTES = len('<xhtml:link rel="alternate" hreflang="" href="" />') + 10
_DOCUMENT_BYTES = 500

ET.register_namespace("xhtml", XHTML)


@dataclass(frozen=True)
class Page:
    """One ``<url>``: a translation's address and the addresses of all its translations."""

    loc: str
    lastmod: datetime
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href), x-default last


async def pages(settings: Settings) -> list[Page]:
    """Every public page of a post or event, posts first, each group in id order."""
    locales = list(settings.locales)
    post, published, event = (
        visibility.public_post("p"),
        visibility.public_translation("t"),
        visibility.public_event("e"),
    )
    post_rows = await fetch(
        "SELECT t.post_id AS owner, t.locale, t.slug, t.updated_at, p.updated_at AS owner_at "  # noqa: S608
        "FROM post_translation t JOIN post p ON p.id = t.post_id "
        f"WHERE {post.sql} AND {published.sql} "
        f"AND t.locale IN ({placeholders(len(locales))}) "
        "ORDER BY t.post_id, t.locale",
        [*post.params, *published.params, *locales],
        datetimes=("updated_at", "owner_at"),
    )
    event_rows = await fetch(
        "SELECT t.event_id AS owner, t.locale, t.slug, t.updated_at, e.updated_at AS owner_at "  # noqa: S608
        "FROM event_translation t JOIN event e ON e.id = t.event_id "
        f"WHERE {event.sql} AND t.locale IN ({placeholders(len(locales))}) "
        "ORDER BY t.event_id, t.locale",
        [*event.params, *locales],
        datetimes=("updated_at", "owner_at"),
    )
    return [
        *_grouped(settings, post_rows, settings.post_url),
        *_grouped(settings, event_rows, settings.event_url),
    ]


def _grouped(
    settings: Settings, rows: list[dict[str, Any]], url: Callable[[str, str], str]
) -> list[Page]:
    by_owner: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_owner.setdefault(row["owner"], []).append(row)
    result = []
    for translations in by_owner.values():
        # Alternates in the configured order of locales, the same list on every page.
        translations.sort(key=lambda t: settings.locales.index(t["locale"]))
        hrefs = {t["locale"]: url(t["locale"], t["slug"]) for t in translations}
        alternates = list(hrefs.items())
        if settings.default_locale in hrefs:
            alternates.append(("x-default", hrefs[settings.default_locale]))
        for t in translations:
            result.append(
                Page(
                    loc=hrefs[t["locale"]],
                    lastmod=max(t["updated_at"], t["owner_at"]),
                    alternates=tuple(alternates),
                )
            )
    return result


def urlset(pages: Sequence[Page]) -> bytes:
    # Declared by hand: ElementTree's default_namespace refuses unqualified attributes.
    root = ET.Element("urlset", xmlns=SITEMAP)
    for page in pages:
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = page.loc
        ET.SubElement(node, "lastmod").text = _w3c(page.lastmod)
        for hreflang, href in page.alternates:
            ET.SubElement(node, f"{{{XHTML}}}link", rel="alternate", hreflang=hreflang, href=href)
    return _document(root)


def index(sitemaps: Sequence[tuple[str, datetime]]) -> bytes:
    """A sitemap index naming each ``(address, last modified)``."""
    root = ET.Element("sitemapindex", xmlns=SITEMAP)
    for loc, lastmod in sitemaps:
        node = ET.SubElement(root, "sitemap")
        ET.SubElement(node, "loc").text = loc
        ET.SubElement(node, "lastmod").text = _w3c(lastmod)
    return _document(root)


def chunks(
    pages: Sequence[Page], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES
) -> list[list[Page]]:
    """``pages`` cut into consecutive sitemaps within both limits of the protocol."""
    parts: list[list[Page]] = []
    current: list[Page] = []
    size = _DOCUMENT_BYTES
    for page in pages:
        cost = (
            _URL_BYTES
            + len(page.loc)
            + sum(_LINK_BYTES + len(hreflang) + len(href) for hreflang, href in page.alternates)
        )
        if current and (len(current) == max_urls or size + cost > max_bytes):
            parts.append(current)
            current, size = [], _DOCUMENT_BYTES
        current.append(page)
        size += cost
    if current:
        parts.append(current)
    return parts


def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
