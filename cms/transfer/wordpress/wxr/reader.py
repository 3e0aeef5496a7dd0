"""Reading the export's elements into :mod:`~cms.transfer.wordpress.wxr.model`'s data: which
namespaces count, which fields are trimmed, decoded or parsed, and the errors naming the item.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from cms.transfer.wordpress.wxr.model import (
    WxrAuthor,
    WxrComment,
    WxrError,
    WxrExport,
    WxrItem,
    WxrTerm,
    WxrTermRef,
)
from cms.transfer.wordpress.wxr.safe_xml import parse_xml

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
    channel = _channel(parse_xml(data, name, notes), name)
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
