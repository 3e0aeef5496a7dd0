"""Classic-editor content as WordPress shows it: its shortcodes and embeds expanded, then its
paragraphs and line breaks added by WordPress's rules ("autop").
"""

from __future__ import annotations

import re

from cms.transfer.wordpress.body.embeds import embeds
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.shortcodes import shortcodes

# Elements that stand on their own line in WordPress's rules: never wrapped in a paragraph.
BLOCK_TAGS = {
    "address", "area", "article", "aside", "blockquote", "caption", "col", "colgroup", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "legend", "li", "map", "menu", "nav",
    "ol", "p", "pre", "section", "style", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
_AUTOP_TOKEN = re.compile(
    r"(?P<raw><(?P<raw_name>pre|script|style|textarea|svg|math|code)\b"
    r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</(?P=raw_name)\s*>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag><(?P<closing>/)?(?P<name>[A-Za-z][\w:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)",
    re.DOTALL | re.IGNORECASE,
)
_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ENDS_WITH_BR = re.compile(r"<br\s*/?>\s*$", re.IGNORECASE)


def classic(text: str, notes: Notes) -> str:
    """Classic-editor content as WordPress shows it: embeds, shortcodes, then paragraphs."""
    return _autop(embeds(shortcodes(text, notes), notes))


def _autop(text: str) -> str:
    """Paragraphs and line breaks for text written without them.

    Text separated by a blank line is a paragraph; a single line break inside one is a
    ``<br />``. Block-level elements are paragraph boundaries and are never wrapped; text that
    directly follows an opening block tag (``<li>item``, ``<div>text``) is that element's own
    and stays unwrapped, except in a blockquote. ``<pre>``, ``<code>``, scripts and the inside
    of tags are left exactly as they are.
    """
    if not text.strip():
        return ""
    # Items: ("inline", markup) or (kind, tag) with kind "open", "close" or "alone".
    items: list[tuple[str, str]] = []
    inline: list[str] = []

    def flush() -> None:
        if inline:
            items.append(("inline", _DOUBLE_BR.sub("\n\n", "".join(inline))))
            inline.clear()

    position = 0
    for match in _AUTOP_TOKEN.finditer(text):
        inline.append(text[position : match.start()])
        position = match.end()
        token = match.group()
        if match["raw"] is not None and match["raw_name"].lower() == "pre":
            flush()
            items.append(("alone", token))
        elif match["tag"] is not None and match["name"].lower() in BLOCK_TAGS:
            flush()
            if match["closing"]:
                items.append(("close", token))
            elif match["name"].lower() == "hr" or token.endswith("/>"):
                items.append(("alone", token))
            else:
                items.append(("open", token))
        else:  # inline tags, comments, code: newlines inside them are not line breaks
            inline.append(token.replace("\n", "\x00"))
    inline.append(text[position:])
    flush()

    out: list[str] = []
    for index, (kind, markup) in enumerate(items):
        if kind != "inline":
            out.append(markup)
            continue
        before = items[index - 1] if index else None
        glued = (
            before is not None
            and before[0] == "open"
            and not before[1].lower().startswith("<blockquote")
        )
        chunks = _BLANK_LINE.split(markup)
        for number, chunk in enumerate(chunks):
            if not _visible(chunk):  # whitespace, comments
                out.append(chunk)
                continue
            if number == 0 and glued:
                lead = chunk[: len(chunk) - len(chunk.lstrip())]
                trail = chunk[len(chunk.rstrip()) :]
                out.append(lead + _line_breaks(chunk.strip()) + trail)
            else:
                out.append(f"\n<p>{_line_breaks(chunk.strip())}</p>\n")
    return "".join(out).replace("\x00", "\n")


def _visible(chunk: str) -> bool:
    return bool(re.sub(r"<!--.*?-->", "", chunk.replace("\x00", "\n"), flags=re.DOTALL).strip())


def _line_breaks(chunk: str) -> str:
    lines = [line.strip(" \t") for line in chunk.split("\n")]
    joined = lines[0]
    for line in lines[1:]:
        joined += ("\n" if _ENDS_WITH_BR.search(joined) else "<br />\n") + line
    return joined
