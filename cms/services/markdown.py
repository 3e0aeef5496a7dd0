"""Markdown bodies: rendered once when saved, never on a read.

Media are embedded with the image syntax and a ``media:`` URL, ``![A red square](media:42)``:
the saved HTML holds a ``<cinq-media data-id="42" alt="A red square">`` marker, which reads
replace with a ``<picture>`` of the current renditions and the alternative text in the
reader's locale (the Markdown's text when the media has none).

CommonMark (plus tables and strikethrough) through markdown-it-py, then sanitized with nh3: no
scripts, no event handlers, no ``javascript:`` URLs, whatever the author typed. Headings get
stable anchors for a table of contents; plain text and reading time come from the same parse.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cms.services.text import slugify

WORDS_PER_MINUTE = 230
MEDIA_SRC = re.compile(r"^media:[1-9][0-9]{0,9}$")

_md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cinq-media", "code", "del", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "small", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
    "cinq-media": {"data-id", "alt"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedBody:
    html: str
    text: str
    headings: list[Heading] = field(default_factory=list)
    word_count: int = 0

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE)) if self.word_count else 0


def render(source: str) -> RenderedBody:
    """Render Markdown ``source`` to sanitized HTML, plain text and a heading outline."""
    tokens = _md.parse(source)
    _mark_media(tokens)
    headings = _anchor_headings(tokens)
    html = nh3.clean(
        _md.renderer.render(tokens, _md.options, {}),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    text = _plain_text(tokens)
    return RenderedBody(html=html, text=text, headings=headings, word_count=len(text.split()))


def _mark_media(tokens: list[Token]) -> None:
    for token in tokens:
        children = token.children or []
        for index, child in enumerate(children):
            src = child.attrGet("src") if child.type == "image" else None
            if isinstance(src, str) and MEDIA_SRC.match(src):
                alt = html.escape("".join(c.content for c in child.children or ()), quote=True)
                marker = Token("html_inline", "", 0)
                marker.content = f'<cinq-media data-id="{src[6:]}" alt="{alt}"></cinq-media>'
                children[index] = marker


def _anchor_headings(tokens: list[Token]) -> list[Heading]:
    headings: list[Heading] = []
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _inline_text(tokens[index + 1])
        base = slugify(text) or "section"
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}-{count + 1}"
        token.attrSet("id", anchor)
        headings.append(Heading(level=int(token.tag[1]), text=text, anchor=anchor))
    return headings


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts).strip()


def _plain_text(tokens: list[Token]) -> str:
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline":
            blocks.append(_inline_text(token))
        elif token.type in {"fence", "code_block"}:
            blocks.append(token.content.strip())
    return "\n\n".join(block for block in blocks if block)


def headings_json(body: RenderedBody) -> list[dict[str, Any]]:
    return [{"level": h.level, "text": h.text, "anchor": h.anchor} for h in body.headings]


def derived_fields(source: str) -> dict[str, Any]:
    """The stored columns derived from a Markdown body, ready for a translation row."""
    body = render(source)
    return {
        "body": source,
        "body_html": body.html,
        "body_text": body.text,
        "headings": headings_json(body),
        "word_count": body.word_count,
        "reading_minutes": body.reading_minutes,
    }
