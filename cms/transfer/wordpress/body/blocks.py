"""Block-editor content: the block tree read from its comments, each block rendered the way
WordPress would show it (content kept, embeds as links, widgets and layout dropped).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from cms.transfer.wordpress.body.autop import classic
from cms.transfer.wordpress.body.embeds import embed_note, embeds
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.shortcodes import shortcodes
from cms.transfer.wordpress.body.urls import is_web_url

_BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?:(?P<attrs>\{.*?\})\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

# Core blocks whose saved HTML is their content.
_CONTENT_BLOCKS = {
    f"core/{name}"
    for name in (
        "paragraph", "heading", "list", "list-item", "quote", "pullquote", "image", "gallery",
        "table", "code", "preformatted", "verse", "separator", "columns", "column", "group",
        "row", "stack", "freeform", "html", "media-text", "cover", "buttons", "button",
        "details", "missing", "text-columns", "subhead", "shortcode", "audio", "video", "file",
    )
}  # fmt: skip
# Blocks dropped even when they hold markup: it is navigation, layout or a plugin's widget.
_DROPPED_BLOCKS = {
    "core/spacer",
    "core/more",
    "core/nextpage",
    "core/table-of-contents",
    "core/social-links",
    "core/navigation",
    "core/search",
    "core/loginout",
}
# Jetpack blocks that hold what the author wrote, not a widget.
_JETPACK_CONTENT_BLOCKS = {"jetpack/markdown", "jetpack/tiled-gallery", "jetpack/slideshow"}
_MEDIA_ELEMENTS = ("img", "video", "audio", "iframe", "embed", "object")


@dataclass
class _Block:
    name: str
    attrs: dict[str, Any]
    inner: list[str | _Block]


def parse_blocks(text: str) -> list[str | _Block]:
    """The block tree of a post: text between delimiters, and blocks with their inner parts."""
    top: list[str | _Block] = []
    open_blocks: list[_Block] = []
    position = 0
    for match in _BLOCK_DELIMITER.finditer(text):
        parts = open_blocks[-1].inner if open_blocks else top
        parts.append(text[position : match.start()])
        position = match.end()
        name = match["name"] if "/" in match["name"] else f"core/{match['name']}"
        if match["closer"]:
            # Close the innermost open block of that name, and any left open inside it; a
            # closer without an opener is ignored, as WordPress does.
            for depth in range(len(open_blocks) - 1, -1, -1):
                if open_blocks[depth].name == name:
                    del open_blocks[depth:]
                    break
            continue
        block = _Block(name=name, attrs=_block_attrs(match["attrs"]), inner=[])
        parts.append(block)
        if not match["void"]:
            open_blocks.append(block)
    (open_blocks[-1].inner if open_blocks else top).append(text[position:])
    return top


def _block_attrs(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        attrs = json.loads(raw)
    except ValueError:
        return {}
    return attrs if isinstance(attrs, dict) else {}


def render_blocks(parts: list[str | _Block], notes: Notes, top: bool = True) -> str:
    rendered: list[str] = []
    for part in parts:
        if isinstance(part, _Block):
            rendered.append(_render_block(part, notes))
        elif top:  # outside any block: classic content, which WordPress shows with autop
            rendered.append(classic(part, notes) if part.strip() else part)
        else:
            rendered.append(embeds(shortcodes(part, notes), notes))
    return "".join(rendered)


def _render_block(block: _Block, notes: Notes) -> str:
    name = block.name
    if name == "core/embed" or name.startswith("core-embed/"):
        return _embed_block(block, notes)
    if name.startswith("jetpack/") and name not in _JETPACK_CONTENT_BLOCKS:
        notes.add(f"dropped the Jetpack block {name}")
        return ""
    if name == "core/block":
        notes.add(
            f"dropped a reusable block (wp_block {block.attrs.get('ref', '?')}): its content "
            "is kept in another item of the export"
        )
        return ""
    if name in _DROPPED_BLOCKS:
        notes.add(f"dropped the block {name}")
        return ""
    inner = render_blocks(block.inner, notes, top=False)
    if name == "core/cover":
        inner = _cover_image(block) + inner
    if name in _CONTENT_BLOCKS:
        return inner
    if not _has_content(inner):
        notes.add(f"dropped the block {name}, which has no content of its own")
        return ""
    notes.add(f"kept the content of the block {name}")
    return inner


def _embed_block(block: _Block, notes: Notes) -> str:
    inner = "".join(part for part in block.inner if isinstance(part, str))
    url = str(block.attrs.get("url") or "")
    if not url:
        found = re.search(r"https?://[^\s<>\"']+", inner)
        url = html.unescape(found.group()) if found else ""
    if not is_web_url(url):
        notes.add(f"dropped the embed block {block.name}, which has no address")
        return ""
    slug = str(block.attrs.get("providerNameSlug") or block.name.partition("/")[2])
    notes.add(embed_note(url, slug if slug != "embed" else ""))
    escaped = html.escape(url)
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", inner, re.DOTALL)
    after = f"<p>{caption.group(1)}</p>" if caption else ""
    return f'<p><a href="{escaped}">{escaped}</a></p>{after}'


def _cover_image(block: _Block) -> str:
    """A cover's background image, which older covers give only in a style attribute."""
    url = block.attrs.get("url")
    inner = "".join(part for part in block.inner if isinstance(part, str))
    if not isinstance(url, str) or not url or "<img" in inner:
        return ""
    if block.attrs.get("backgroundType", "image") != "image":
        return ""
    alt = html.escape(str(block.attrs.get("alt") or ""))
    return f'<p><img src="{html.escape(url)}" alt="{alt}"></p>'


def _has_content(markup: str) -> bool:
    if re.search(rf"<(?:{'|'.join(_MEDIA_ELEMENTS)})\b", markup, re.IGNORECASE):
        return True
    text = re.sub(r"<!--.*?-->|<[^>]*>", "", markup, flags=re.DOTALL)
    return bool(html.unescape(text).strip())
