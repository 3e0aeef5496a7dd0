"""Turning the media markers of a saved body into pictures, at read time.

Bodies are rendered when saved, but renditions are made later and alternative text is per
locale: the saved HTML keeps a marker per embedded file, and a read swaps each for the
current ``<picture>``, all of a body's media loaded in one batch. Every value written into the
HTML is escaped.
"""

from __future__ import annotations

import html
import re

from cms.graphql.context import Info
from cms.models import Media
from cms.services.locales import pick

_MARKER = re.compile(r"<cinq-media ([^>]*)></cinq-media>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
SIZES = "(max-width: 960px) 100vw, 960px"


async def expand_media(body_html: str, info: Info, chain: tuple[str, ...]) -> str:
    if "<cinq-media" not in body_html:
        return body_html
    markers = [dict(_ATTRIBUTE.findall(m.group(1))) for m in _MARKER.finditer(body_html)]
    ids = sorted({int(m["data-id"]) for m in markers if m.get("data-id", "").isdigit()})
    found = dict(zip(ids, await info.context.loaders.media.load_many(ids), strict=True))
    base = info.context.settings.media_url

    def replace(match: re.Match[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        ident = attributes.get("data-id", "")
        media = found.get(int(ident)) if ident.isdigit() else None
        fallback = html.unescape(attributes.get("alt", ""))
        return _picture(media, chain, fallback, base) if media is not None else ""

    return _MARKER.sub(replace, body_html)


def _picture(media: Media, chain: tuple[str, ...], fallback: str, base: str) -> str:
    chosen = pick([{"locale": k, "alt": v} for k, v in (media.alt or {}).items()], chain)
    alt = html.escape(chosen["alt"] if chosen else fallback, quote=True)
    if media.content_type == "application/pdf":
        return f'<a href="{base}{media.storage_key}" download>{alt or "PDF"}</a>'
    whole = [r for r in media.renditions or () if r.get("aspect") is None]
    if not whole:
        return ""  # renditions not made yet: nothing the public may fetch
    full = whole[0]

    def srcset(fmt: str) -> str:
        chosen = sorted((r for r in whole if r["format"] == fmt), key=lambda r: r["width"])
        return ", ".join(f"{base}{r['key']} {r['width']}w" for r in chosen)

    webp = srcset("webp")
    source = f'<source type="image/webp" srcset="{webp}" sizes="{SIZES}">' if webp else ""
    return (
        f"<picture>{source}"
        f'<img src="{base}{full["key"]}" srcset="{srcset(full["format"])}" sizes="{SIZES}" '
        f'width="{full["width"]}" height="{full["height"]}" alt="{alt}" '
        'loading="lazy" decoding="async"></picture>'
    )
