"""Reading a WordPress export (WXR 1.0 to 1.2) into plain data, before anything is written.

A WXR file is RSS 2.0 with WordPress's own elements in the namespace
``http://wordpress.org/export/1.x/``: the site, its authors, its terms (categories, tags and every
other taxonomy, Polylang's languages and translation groups among them) and one ``<item>`` per
post, page, attachment or menu entry, with its meta and comments.

The file comes from elsewhere, so it is parsed with defusedxml and refused whole, with a
`WxrError` naming the line, unless it is well-formed XML and a WXR export of a version we know.
Nothing is written from a file we cannot read to its end: an import that stops halfway, or that
picks out what it can from a broken file, loses content without anyone noticing. WordPress's
own importer is laxer, and each of its test files shows where we differ:

- ``malformed.xml`` (a ``<notachanneltag>`` closed by ``</channel>``) and a truncated file
  (``malformed-simple.xml``): not well-formed. WordPress's XML parsers refuse them too, but when
  they fail it falls back to a tolerant parser that picks out what it can; we refuse.
- ``crazy-cdata.xml``: an old exporter's fault, a CDATA section holding an unescaped ``]]>``,
  which ends it early, so the file is not well-formed. It has one exact reading, which
  WordPress's fallback parser uses too: a WordPress element's CDATA is its whole text, so it
  ends at the ``]]>`` right before the element's closing tag. When a file fails on such a
  ``]]>``, and only then, each of those is escaped the way a current WordPress does
  (``]]]]><![CDATA[>``, as in ``crazy-cdata-escaped.xml``) and the file parsed again, as
  strictly; if it is still not well-formed, the first error is the one reported.
  `WxrExport.notes` says the repair was made.
- ``missing-version-tag.xml``, ``invalid-version-tag.xml``: well-formed, but without a WXR
  version, or with "abc". WordPress refuses both ("missing/invalid WXR version number"); so do
  we. It accepts any "N.N"; we accept the versions we know, 1.0, 1.1 and 1.2, as a later one may
  change what the elements mean.
- Any ``<!DOCTYPE>``: WordPress never writes one, and a document type is where entity bombs and
  external entities (``SYSTEM "file:///etc/passwd"``) live. Refused before any entity is read,
  as WordPress's main parser does.

Elements count by namespace, not prefix (``namespace-edge-cases.xml``): the export namespaces of
every WXR version are read wherever they are declared, and an element whose ``wp:`` prefix is
rebound to another namespace is ignored. An item left without ``wp:post_id`` or
``wp:post_type`` that way reads as post 0 of type "", which no import handles. When a field
appears twice, the last one wins, as in WordPress's importer.

Text is kept exactly as written (WordPress's slashes included); only identifiers, dates and
numbers are trimmed. Slugs are percent-decoded and NFC-normalized: WordPress stores non-ASCII
slugs percent-encoded ("qu%c3%a9bec").
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import phpserialize
from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser

WXR_VERSIONS = ("1.0", "1.1", "1.2")

# WordPress.com writes https:// namespaces (theme-unit-test-data.xml).
_EXPORT_NAMESPACES = {
    f"{scheme}://wordpress.org/export/{version}/"
    for scheme in ("http", "https")
    for version in WXR_VERSIONS
}
_EXCERPT_NAMESPACES = {f"{namespace}excerpt/" for namespace in _EXPORT_NAMESPACES}
_PREFIXES = {
    **dict.fromkeys(_EXPORT_NAMESPACES, "wp"),
    **dict.fromkeys(_EXCERPT_NAMESPACES, "excerpt"),
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "": "",
}
# WXR 1.0 wrote post tags as domain="tag"; WordPress's importer reads them as post_tag.
_TAXONOMY_ALIASES = {"tag": "post_tag"}


class WxrError(ValueError):
    """A file that is not a WXR export we can read; the message says where and why."""


@dataclass(frozen=True)
class WxrAuthor:
    id: int | None
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class WxrTerm:
    id: int | None
    taxonomy: str
    slug: str
    name: str
    parent: str | None
    description: str


@dataclass(frozen=True)
class WxrTermRef:
    """A term an item belongs to: ``<category domain="post_tag" nicename="slug">Name``."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class WxrComment:
    id: int | None
    approved: str  # "1", "0", "spam", "trash"
    type: str  # "comment" (written "" before WordPress 5.5), "pingback", "trackback"


@dataclass(frozen=True)
class WxrItem:
    post_id: int  # 0 when the file gives none
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    slug: str
    creator: str
    content: str
    excerpt: str
    date: datetime | None  # site-local wall time, naive
    date_gmt: datetime | None  # aware, UTC; None until a draft is published
    parent_id: int
    menu_order: int
    sticky: bool
    password: str
    attachment_url: str
    terms: tuple[WxrTermRef, ...]
    meta: dict[str, list[str]]
    comments: tuple[WxrComment, ...]

    def meta_value(self, key: str) -> str | None:
        """The value of a meta key as WordPress reads one back: the first written."""
        values = self.meta.get(key)
        return values[0] if values else None


@dataclass(frozen=True)
class WxrExport:
    version: str
    title: str
    link: str
    language: str
    base_site_url: str
    base_blog_url: str
    authors: tuple[WxrAuthor, ...]
    terms: tuple[WxrTerm, ...]
    items: tuple[WxrItem, ...]
    notes: tuple[str, ...] = ()  # for the import report: repairs made while reading


def read(path: Path) -> WxrExport:
    """Read the export at ``path``; `WxrError` if it cannot be read whole."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WxrError(f"{path.name}: cannot read the file ({error.strerror})") from error
    return parse_bytes(data, path.name)


def parse_bytes(data: bytes, name: str = "export") -> WxrExport:
    """Read an export held in memory; ``name`` stands for the file in error messages."""
    notes: list[str] = []
    channel = _channel(_parse_xml(data, name, notes), name)
    fields = _Fields(channel)
    if not fields.has("wp:wxr_version"):
        raise WxrError(f"{name}: not a WordPress export: it has no WXR version (wp:wxr_version)")
    version = fields.text("wp:wxr_version")
    if version not in WXR_VERSIONS:
        raise WxrError(
            f"{name}: unknown WXR version “{version}”: we read versions {', '.join(WXR_VERSIONS)}"
        )
    base_site_url = fields.text("wp:base_site_url")
    items = tuple(_item(element, name) for element in channel.findall("item"))
    return WxrExport(
        version=version,
        title=fields.text("title"),
        link=fields.text("link"),
        language=fields.text("language"),
        base_site_url=base_site_url,
        base_blog_url=fields.text("wp:base_blog_url") or base_site_url,
        authors=tuple(_author(element, name) for element in fields.all("wp:author")),
        terms=tuple(_terms(channel, name)),
        items=items,
        notes=tuple(notes),
    )


def php_array(text: str) -> dict[str, Any]:
    """A PHP-serialized array (``a:2:{s:2:"fr";i:12;...}``) as a dict; {} for anything else.

    Plugins such as Polylang store their data this way in term descriptions and meta. It is
    read by the phpserialize library, which refuses serialized objects, and never evaluated.
    Keys become strings; strings are decoded as UTF-8, nested arrays become dicts.
    """
    data = text.strip().encode("utf-8")
    if not data.startswith(b"a:"):
        return {}
    stream = io.BytesIO(data)
    try:
        value = phpserialize.load(stream, decode_strings=True)
    except (ValueError, TypeError, RecursionError):  # malformed, unhashable key, too deep
        return {}
    if stream.tell() != len(data) or not isinstance(value, dict):
        return {}
    return _php_dict(value)


def _php_dict(value: dict[Any, Any]) -> dict[str, Any]:
    return {
        str(key): _php_dict(item) if isinstance(item, dict) else item for key, item in value.items()
    }


def _parse_xml(data: bytes, name: str, notes: list[str]) -> Element:
    try:
        return _parse_strictly(data, name)
    except WxrError as error:
        if not error.args[0].endswith(_EARLY_CDATA_END):
            raise
        repaired, count = _escape_cdata_ends(data)
        try:
            root = _parse_strictly(repaired, name)
        except WxrError:
            raise error from None
        notes.append(
            f"read {count} CDATA section{'s' if count > 1 else ''} holding an unescaped “]]>”, "
            "as older exporters wrote them, to the end of their element"
        )
        return root


_EARLY_CDATA_END = "“]]>” outside a CDATA section: a CDATA section ends too early"
# A WordPress element whose whole text is a CDATA section, read to the "]]>" right before the
# element's closing tag, and never past that closing tag.
_CDATA_ELEMENT = re.compile(
    rb"(<(?P<tag>[A-Za-z_][\w.:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*><!\[CDATA\[)"
    rb"(?P<text>(?:(?!</(?P=tag)\s*>).)*?)(\]\]></(?P=tag)\s*>)",
    re.DOTALL,
)
# "]]>" inside such a text, unless already escaped as "]]]]><![CDATA[>".
_UNESCAPED_CDATA_END = re.compile(rb"\]\]>(?!<!\[CDATA\[)")


def _escape_cdata_ends(data: bytes) -> tuple[bytes, int]:
    count = 0

    def escape(match: re.Match[bytes]) -> bytes:
        nonlocal count
        text, found = _UNESCAPED_CDATA_END.subn(b"]]]]><![CDATA[>", match["text"])
        count += bool(found)
        return match.group(1) + text + match.group(4)

    return _CDATA_ELEMENT.sub(escape, data), count


def _parse_strictly(data: bytes, name: str) -> Element:
    parser = DefusedXMLParser(target=TreeBuilder(), forbid_dtd=True)
    try:
        parser.feed(data)
        return parser.close()
    except DTDForbidden as error:
        line = parser.parser.CurrentLineNumber
        raise WxrError(
            f"{name}, line {line}: refused the document type declaration "
            f"(<!DOCTYPE {error.name}>): WordPress exports have none, and its entities "
            "could expand without end or read files from this machine"
        ) from None
    except DefusedXmlException as error:  # entities without a DTD cannot happen; kept as a net
        raise WxrError(f"{name}: refused an XML entity ({error})") from None
    except ParseError as error:
        line, column = error.position
        reason = str(error).rsplit(": line ", 1)[0]
        if reason == "no element found":  # expat's words for a file cut short
            reason = "the file ends before its elements are closed: is it complete?"
        elif b"]]>" in _source_at(data, line, column)[:5]:
            reason = _EARLY_CDATA_END
        raise WxrError(f"{name}, line {line}, column {column + 1}: {reason}") from None


def _source_at(data: bytes, line: int, column: int) -> bytes:
    """The bytes around an error (expat points at the ">" of a stray "]]>")."""
    lines = data.split(b"\n", line)
    return lines[line - 1][max(column - 2, 0) :] if 0 < line <= len(lines) else b""


def _channel(root: Element, name: str) -> Element:
    if root.tag != "rss":
        tag = root.tag.rpartition("}")[2]
        raise WxrError(f"{name}: not a WordPress export: the document is <{tag}>, not <rss>")
    channel = root.find("channel")
    if channel is None:
        raise WxrError(f"{name}: not a WordPress export: <rss> has no <channel>")
    return channel


class _Fields:
    """The children of an element by prefixed name ("wp:post_id"), whatever prefix the file
    used; children in namespaces we do not read are left out."""

    def __init__(self, element: Element) -> None:
        self._children: dict[str, list[Element]] = {}
        for child in element:
            key = _key(child.tag)
            if key is not None:
                self._children.setdefault(key, []).append(child)

    def has(self, key: str) -> bool:
        return key in self._children

    def all(self, key: str) -> list[Element]:
        return self._children.get(key, [])

    def raw(self, key: str) -> str:
        """The text of the last such child, exactly as written."""
        found = self._children.get(key)
        return "".join(found[-1].itertext()) if found else ""

    def text(self, key: str) -> str:
        return self.raw(key).strip()


def _key(tag: str) -> str | None:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    prefix = _PREFIXES.get(namespace)
    if prefix is None:
        return None
    return f"{prefix}:{local}" if prefix else local


def _author(element: Element, name: str) -> WxrAuthor:
    fields = _Fields(element)
    login = fields.text("wp:author_login")
    return WxrAuthor(
        id=_optional_int(fields.text("wp:author_id"), f"{name}: author “{login}”: wp:author_id"),
        login=login,
        email=fields.text("wp:author_email"),
        display_name=fields.text("wp:author_display_name"),
        first_name=fields.text("wp:author_first_name"),
        last_name=fields.text("wp:author_last_name"),
    )


_TERM_ELEMENTS = {
    # element: (taxonomy or None to read wp:term_taxonomy, slug, name, parent, description)
    "wp:category": (
        "category",
        "wp:category_nicename",
        "wp:cat_name",
        "wp:category_parent",
        "wp:category_description",
    ),
    "wp:tag": ("post_tag", "wp:tag_slug", "wp:tag_name", None, "wp:tag_description"),
    "wp:term": (None, "wp:term_slug", "wp:term_name", "wp:term_parent", "wp:term_description"),
}


def _terms(channel: Element, name: str) -> list[WxrTerm]:
    terms: list[WxrTerm] = []
    for element in channel:
        shape = _TERM_ELEMENTS.get(_key(element.tag) or "")
        if shape is None:
            continue
        taxonomy, slug_key, name_key, parent_key, description_key = shape
        fields = _Fields(element)
        slug = _slug(fields.text(slug_key))
        parent = _slug(fields.text(parent_key)) if parent_key else ""
        terms.append(
            WxrTerm(
                id=_optional_int(fields.text("wp:term_id"), f"{name}: term “{slug}”: wp:term_id"),
                taxonomy=taxonomy or fields.text("wp:term_taxonomy"),
                slug=slug,
                name=fields.text(name_key),
                parent=parent or None,
                description=fields.raw(description_key),
            )
        )
    return terms


def _item(element: Element, name: str) -> WxrItem:
    fields = _Fields(element)
    title = fields.raw("title")
    where = f"{name}: item “{title.strip() or fields.text('wp:post_id')}”"
    meta: dict[str, list[str]] = {}
    for entry in fields.all("wp:postmeta"):
        entry_fields = _Fields(entry)
        meta.setdefault(entry_fields.raw("wp:meta_key"), []).append(
            entry_fields.raw("wp:meta_value")
        )
    return WxrItem(
        post_id=_optional_int(fields.text("wp:post_id"), f"{where}: wp:post_id") or 0,
        post_type=fields.text("wp:post_type"),
        status=fields.text("wp:status"),
        title=title.strip(),
        link=fields.text("link"),
        guid=fields.text("guid"),
        slug=_slug(fields.text("wp:post_name")),
        creator=fields.text("dc:creator"),
        content=fields.raw("content:encoded"),
        excerpt=fields.raw("excerpt:encoded"),
        date=_local(_date(fields.text("wp:post_date"), f"{where}: wp:post_date")),
        date_gmt=_gmt(_date(fields.text("wp:post_date_gmt"), f"{where}: wp:post_date_gmt")),
        parent_id=_optional_int(fields.text("wp:post_parent"), f"{where}: wp:post_parent") or 0,
        menu_order=_optional_int(fields.text("wp:menu_order"), f"{where}: wp:menu_order") or 0,
        sticky=fields.text("wp:is_sticky") == "1",
        password=fields.raw("wp:post_password"),
        attachment_url=fields.text("wp:attachment_url"),
        terms=tuple(_term_refs(element)),
        meta=meta,
        comments=tuple(_comment(entry, where) for entry in fields.all("wp:comment")),
    )


def _term_refs(item: Element) -> list[WxrTermRef]:
    refs: list[WxrTermRef] = []
    for element in item.findall("category"):
        domain = element.get("domain", "").strip()
        nicename = element.get("nicename")
        if not domain or nicename is None:  # WXR 1.0 also wrote bare <category>Name</category>
            continue
        refs.append(
            WxrTermRef(
                taxonomy=_TAXONOMY_ALIASES.get(domain, domain),
                slug=_slug(nicename),
                name="".join(element.itertext()).strip(),
            )
        )
    return refs


def _comment(element: Element, where: str) -> WxrComment:
    fields = _Fields(element)
    return WxrComment(
        id=_optional_int(fields.text("wp:comment_id"), f"{where}: wp:comment_id"),
        approved=fields.text("wp:comment_approved"),
        type=fields.text("wp:comment_type") or "comment",
    )


def _slug(raw: str) -> str:
    try:
        decoded = unquote(raw.strip(), errors="strict")
    except UnicodeDecodeError:  # percent-encoded bytes that are not UTF-8: keep them as written
        decoded = raw.strip()
    return unicodedata.normalize("NFC", decoded)


def _optional_int(text: str, what: str) -> int | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise WxrError(f"{what} is “{text}”, not a number") from None


def _date(text: str, what: str) -> datetime | None:
    """A WordPress date ("2019-05-14 13:40:02"); None for the zero date of unscheduled drafts."""
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise WxrError(f"{what} is “{text}”, not a date") from None


def _local(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=None) if value is not None else None


def _gmt(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
