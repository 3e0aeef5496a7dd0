"""Web addresses: which ones a post keeps, and how they are written in Markdown."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL_SCHEMES = {"http", "https", "mailto", "tel"}  # cms.services.markdown allows these


def is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def link_url(href: str) -> str | None:
    """An absolute link address we keep, or None."""
    href = "".join(char for char in href.strip() if char >= " " and char != "\x7f")
    if href.startswith("//"):
        href = "https:" + href
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme not in _URL_SCHEMES or (scheme in {"http", "https"} and not parts.netloc):
        return None
    return href


def destination(url: str) -> str:
    """A URL as a Markdown link destination."""
    for char, replacement in (("\\", "\\\\"), ("(", "\\("), (")", "\\)")):
        url = url.replace(char, replacement)
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def autolinkable(url: str) -> bool:
    return not re.search(r"[\s<>]", url)
