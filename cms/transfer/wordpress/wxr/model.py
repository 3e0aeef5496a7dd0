"""What a WordPress export holds, as plain data: the site, its authors, terms and items.

Built by :mod:`~cms.transfer.wordpress.wxr.reader`; nothing here touches XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
