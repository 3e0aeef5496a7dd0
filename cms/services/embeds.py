"""Turning the media markers of a saved body into pictures, at read time.

Bodies are rendered when saved, but renditions are made later and alternative text is per
locale: the saved HTML keeps a marker per embedded file, and a read swaps each for the
current ``<picture>``, with all of a body's media loaded in one batch by the caller (the API's
loaders, or a feed's query). Every value written into the HTML is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from cms.models import Media
from cms.services.locales import pick

_MARKER = re.compile(r"<cinq-media ([^>]*)></cinq-media>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
SIZES = "(max-width: 960px) 100vw, 960px"


def embedded_ids(body_html: str) -> list[int]:
    """The ids of the media a body embeds, sorted, each once."""
    if "<cinq-media" not in body_html:
        return []
    markers = (dict(_ATTRIBUTE.findall(m.group(1))) for m in _MARKER.finditer(body_html))
    return sorted({int(m["data-id"]) for m in markers if m.get("data-id", "").isdigit()})


def expand(
    body_html: str,
    media: Mapping[int, Media | None],
    chain: tuple[str, ...],
    url: Callable[[str], str],
) -> str:
    """The body with each marker replaced by its ``<picture>``, or dropped when the file is
    gone or has nothing public yet. ``url`` gives a stored file's address from its key
    (``Storage.url``, made absolute where the body is read away from the site)."""
    if "<cinq-media" not in body_html:
        return body_html

    def replace(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        ident = attributes.get("data-id", "")
        found = media.get(int(ident)) if ident.isdigit() else None
        fallback = html.unescape(attributes.get("alt", ""))
        return picture(found, chain, fallback, url) if found is not None else ""

    return _MARKER.sub(replace, body_html)


def picture(media: Media, chain: tuple[str, ...], fallback: str, url: Callable[[str], str]) -> str:
    chosen = pick([{"locale": k, "alt": v} for k, v in (media.alt or {}).items()], chain)
    alt = html.escape(chosen["alt"] if chosen else fallback, quote=True)
    if media.content_type == "application/pdf":
        return f'<a href="{url(media.storage_key)}" download>{alt or "PDF"}</a>'
    whole = [r for r in media.renditions or () if r.get("aspect") is None]
    if not whole:
        return ""  # renditions not made yet: nothing the public may fetch
    full = whole[0]

    def srcset(fmt: str) -> str:
        chosen = sorted((r for r in whole if r["format"] == fmt), key=lambda r: r["width"])
        return ", ".join(f"{url(r['key'])} {r['width']}w" for r in chosen)

    webp = srcset("webp")
    source = f'<source type="image/webp" srcset="{webp}" sizes="{SIZES}">' if webp else ""
    return (
        f"<picture>{source}"
        f'<img src="{url(full["key"])}" srcset="{srcset(full["format"])}" sizes="{SIZES}" '
        f'width="{full["width"]}" height="{full["height"]}" alt="{alt}" '
        'loading="lazy" decoding="async"></picture>'
    )
