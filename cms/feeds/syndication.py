"""Posts as RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1, for feed readers.

The three formats carry the same :class:`Feed`: links go to the public site, except each
feed's link to itself, which is this server's address of that document. Entry ids are tag
URIs made of the post's id and locale, so they survive a new title or slug. XML is built with
ElementTree (which escapes text and attributes); characters XML 1.0 cannot carry at all are
dropped rather than producing a document no reader would accept.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
XML = "http://www.w3.org/XML/1998/namespace"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "Cinq"

for _prefix, _uri in (("atom", ATOM), ("content", CONTENT), ("dc", DC), ("media", MEDIA)):
    ET.register_namespace(_prefix, _uri)

# Anything outside XML 1.0's Char production (C0 controls other than tab, CR and LF; lone
# surrogates; U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# When a feed has no entry, Atom still needs an ``updated``: the feed has never changed.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Term:
    """A category or tag, named in the feed's locale (or its fallback)."""

    slug: str
    name: str


@dataclass(frozen=True)
class Image:
    url: str
    content_type: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    author: str | None = None
    terms: tuple[Term, ...] = ()
    image: Image | None = None


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    site: str  # the site's name, standing in as the author of entries without one
    description: str
    locale: str
    home_url: str  # the public site
    self_url: str  # this document, on this server
    entries: tuple[Entry, ...]

    @property
    def updated(self) -> datetime:
        return max((entry.updated for entry in self.entries), default=_NEVER)


def rss(feed: Feed) -> bytes:
    root = ET.Element("rss", version="2.0")
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.home_url)
    _sub(channel, "description", html.escape(feed.description, quote=False))
    _sub(channel, "language", feed.locale)
    _sub(channel, "generator", GENERATOR)
    if feed.entries:
        _sub(channel, "lastBuildDate", _rfc822(feed.updated))
    _sub(channel, f"{{{ATOM}}}link", href=feed.self_url, rel="self", type="application/rss+xml")
    for entry in feed.entries:
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.url)
        _sub(item, "guid", entry.id, isPermaLink="false")
        _sub(item, "pubDate", _rfc822(entry.published))
        if entry.author:
            # RSS's own <author> must be an e-mail address; Dublin Core carries a name.
            _sub(item, f"{{{DC}}}creator", entry.author)
        for term in entry.terms:
            _sub(item, "category", term.name)
        if entry.summary:
            # RSS descriptions are HTML: plain text is escaped once more, or "<" would be markup.
            _sub(item, "description", html.escape(entry.summary, quote=False))
        _sub(item, f"{{{CONTENT}}}encoded", entry.content_html)
        if entry.image:
            _sub(item, f"{{{MEDIA}}}content", **_media_attributes(entry.image))
    return _document(root)


def atom(feed: Feed) -> bytes:
    # Declared by hand: ElementTree's default_namespace refuses unqualified attributes.
    root = ET.Element("feed", {"xmlns": ATOM, f"{{{XML}}}lang": feed.locale})
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", feed.description)
    _sub(root, "updated", _rfc3339(feed.updated))
    _sub(root, "link", rel="alternate", type="text/html", href=feed.home_url)
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    # A feed needs an author unless every entry has one: the site stands in for missing ones.
    _sub(_sub(root, "author"), "name", feed.site)
    _sub(root, "generator", GENERATOR)
    for entry in feed.entries:
        node = _sub(root, "entry")
        _sub(node, "id", entry.id)
        _sub(node, "title", entry.title)
        _sub(
            node,
            "link",
            rel="alternate",
            type="text/html",
            hreflang=feed.locale,
            href=entry.url,
        )
        _sub(node, "published", _rfc3339(entry.published))
        _sub(node, "updated", _rfc3339(entry.updated))
        if entry.author:
            _sub(_sub(node, "author"), "name", entry.author)
        for term in entry.terms:
            _sub(node, "category", term=term.slug, label=term.name)
        if entry.image:
            _sub(
                node,
                "link",
                rel="enclosure",
                type=entry.image.content_type,
                href=entry.image.url,
            )
        if entry.summary:
            _sub(node, "summary", entry.summary, type="text")
        # Relative links in the body (other posts, anchors) resolve against the post's page.
        _sub(
            node,
            "content",
            entry.content_html,
            type="html",
            **{f"{{{XML}}}base": entry.url},
        )
    return _document(root)


def json_feed(feed: Feed) -> bytes:
    items = []
    for entry in feed.entries:
        item: dict[str, object] = {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "date_published": _rfc3339(entry.published),
            "date_modified": _rfc3339(entry.updated),
            "language": feed.locale,
        }
        if entry.summary:
            item["summary"] = entry.summary
        if entry.image:
            item["image"] = entry.image.url
        if entry.author:
            item["authors"] = [{"name": entry.author}]
        if entry.terms:
            item["tags"] = [term.name for term in entry.terms]
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "description": feed.description,
        "language": feed.locale,
        "items": items,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "replace")  # a lone surrogate cannot be UTF-8


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _media_attributes(image: Image) -> dict[str, str]:
    attributes = {"url": image.url, "type": image.content_type, "medium": "image"}
    if image.width and image.height:
        attributes |= {"width": str(image.width), "height": str(image.height)}
    return attributes


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
