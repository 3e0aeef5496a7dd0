"""HTML to Markdown: markdownify, taught our dialect (media ids, figures, safe links, fenced
code) and what WordPress's HTML holds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bs4 import NavigableString, PageElement, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter, chomp

from cms.transfer.wordpress.body.escape import escape_inline, escape_line_start
from cms.transfer.wordpress.body.notes import Notes
from cms.transfer.wordpress.body.tree import ROOT, image_source
from cms.transfer.wordpress.body.urls import autolinkable, destination, is_web_url, link_url

MediaLookup = Callable[[str], int | None]

_MAX_MEDIA_ID = 10**10  # media:ID takes up to ten digits


class Converter(MarkdownConverter):
    """markdownify, speaking our dialect: media ids, figures, safe links, fenced code."""

    def __init__(self, media_id: MediaLookup, notes: Notes) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            newline_style=BACKSLASH,
            wrap=True,  # with no width: only collapses the source's line breaks
            wrap_width=None,
        )
        self.media_id = media_id
        self.notes = notes
        self._line_start = True

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        self._line_start = _starts_line(el)
        text = super().process_text(el, parent_tags)
        previous = el.previous_sibling
        if isinstance(previous, Tag) and previous.name == "br" and "pre" not in (parent_tags or ()):
            text = text.lstrip(" ")  # the source's newline after a <br>
        return text

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = escape_inline(text)
        if parent_tags & {"td", "th"}:
            text = text.replace("|", "\\|")
        return escape_line_start(text) if self._line_start else text

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        raw = str(el.get("href") or "").strip()
        url = link_url(raw)
        if url is None or "\n\n" in text:  # no address we keep, or whole blocks as its text
            if raw and not raw.startswith("#") and text.strip():
                self.notes.add(f"kept only the text of a link to {raw}")
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        if el.get_text().strip() == url and autolinkable(url):
            return f"{prefix}<{url}>{suffix}"
        return f"{prefix}[{text}]({destination(url)}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = " ".join(str(el.get("alt") or "").split())
        if "_noformat" in parent_tags:  # in code: words only
            return alt
        alt = escape_inline(alt)
        source = image_source(el)
        if source is None:
            written = str(el.get("src") or "").strip()
            if written.lower().startswith("data:"):
                self.notes.add("dropped an image stored in the post itself (a data: URL)")
            else:
                self.notes.add("dropped an image with no address")
            return ""
        media = self.media_id(source)
        if media is not None:
            if not 0 < media < _MAX_MEDIA_ID:
                raise ValueError(f"media id {media!r} for {source} is not a media id")
            return f"![{alt}](media:{media})"
        url = link_url(source)
        if url is None or not is_web_url(url):
            self.notes.add(f"dropped an image that has no web address: {source[:120]}")
            return ""
        self.notes.add(f"left an image pointing at its old address: {url}")
        return f"![{alt}]({destination(url)})"

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        caption = _image_caption(el)
        if caption is None:  # not a single image: its parts, the caption as a paragraph
            return self.convert_div(el, text, parent_tags)
        image = text.strip()
        if "_noformat" in parent_tags:  # in code: words only
            return f"{image} {caption}".strip()
        if "_inline" in parent_tags or not _in_blocks(el):
            return f" {image} {escape_inline(caption)} "
        if not image:
            return f"\n\n{escape_line_start(escape_inline(caption))}\n\n" if caption else ""
        if not caption:
            return f"\n\n{image}\n\n"
        caption = html.escape(caption, quote=False)
        return f"\n\n<figure>\n\n{image}\n\n<figcaption>{caption}</figcaption>\n</figure>\n\n"

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        parent = el.parent
        if parent is not None and parent.name == "figure" and _image_caption(parent) is not None:
            return ""  # the figure writes it
        return self.convert_p(el, text, parent_tags)

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text + "\n"
        if not text.strip():  # also &nbsp; alone, WordPress's empty paragraph
            return ""
        return super().convert_p(el, text, parent_tags)

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return "\n"
        return super().convert_br(el, text, parent_tags)

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip():
            return ""
        return super().convert_hN(n, el, text, parent_tags)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        code = text.strip("\n")
        if not code.strip():
            return ""
        longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{_code_language(el)}\n{code}\n{fence}\n\n"

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        source = el.get_text()
        inline = bool(parent_tags & {"_noformat", "_inline"})
        if not inline and "\n" in source.strip("\n"):  # a block of code written inline
            return self.convert_pre(el, source, parent_tags)
        return super().convert_code(el, text, parent_tags)

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.parent is not None and el.parent.name == "tfoot":  # rows like any other
            return f"|{text}\n"
        return super().convert_tr(el, text, parent_tags)

    def convert_dt(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "\n\n" in text:  # whole blocks: no bold around them
            return text
        text = text.strip()
        if "_inline" in parent_tags or not text:
            return f" {text} " if text else ""
        return f"\n\n**{text}**\n\n"

    def convert_dd(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self.convert_p(el, text, parent_tags)

    # Emphasis inside the same emphasis (<strong>bold <strong>again</strong></strong>) or
    # around whole blocks (broken HTML) has no Markdown form: its text stays.

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"b", "strong"} or "\n\n" in text:
            return text
        return super().convert_b(el, text, parent_tags)

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"em", "i"} or "\n\n" in text:
            return text
        return super().convert_em(el, text, parent_tags)

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if parent_tags & {"del", "s", "strike"} or "\n\n" in text:
            return text
        return super().convert_del(el, text, parent_tags)

    def convert_sub(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _raw_inline("sub", el, parent_tags)

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return _raw_inline("sup", el, parent_tags)

    convert_strong = convert_b
    convert_i = convert_em
    convert_s = convert_del
    convert_strike = convert_del
    convert_tt = convert_code
    convert_address = MarkdownConverter.convert_div
    convert_aside = MarkdownConverter.convert_div
    convert_center = MarkdownConverter.convert_div
    convert_details = MarkdownConverter.convert_div
    convert_fieldset = MarkdownConverter.convert_div
    convert_footer = MarkdownConverter.convert_div
    convert_header = MarkdownConverter.convert_div
    convert_hgroup = MarkdownConverter.convert_div
    convert_main = MarkdownConverter.convert_div
    convert_nav = MarkdownConverter.convert_div
    convert_summary = MarkdownConverter.convert_div


# Elements that continue a line: text after them is not at the start of one.
_INLINE_ELEMENTS = {
    "a", "abbr", "acronym", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var",
}  # fmt: skip


def _starts_line(node: PageElement) -> bool:
    """Whether a text node may begin a line of the Markdown, where "# " or "1. " would start a
    heading or a list. When unsure, yes: escaping more is safe."""
    while True:
        previous = node.previous_sibling
        while isinstance(previous, NavigableString) and not previous.strip():
            previous = previous.previous_sibling
        if previous is None:
            parent = node.parent
            if parent is not None and parent.name in {"td", "th"}:
                return False  # a table cell is not a line
            if parent is None or parent.name not in _INLINE_ELEMENTS:
                return True
            node = parent
            continue
        return not (isinstance(previous, NavigableString) or previous.name in _INLINE_ELEMENTS)


def _raw_inline(tag: str, element: Tag, parent_tags: set[str]) -> str:
    """Sub- and superscripts, kept as HTML around their words only: Markdown inside them could
    pair with Markdown outside and leave the tags unbalanced."""
    words = " ".join(element.get_text().split())
    if not words or "_noformat" in parent_tags:
        return words
    return f"<{tag}>{escape_inline(words)}</{tag}>"


# Elements whose Markdown puts their content at the start of a line, where the HTML block of a
# figure can begin. Inside any other (a table row, a link, emphasis), a figure is written inline.
_BLOCK_CONTAINERS = {
    "[document]", ROOT, "address", "article", "aside", "blockquote", "center", "dd",
    "details", "div", "fieldset", "figure", "footer", "header", "li", "main", "nav", "p",
    "section",
}  # fmt: skip


def _in_blocks(element: Tag) -> bool:
    return all(parent.name in _BLOCK_CONTAINERS for parent in element.parents)


def _image_caption(figure: Tag) -> str | None:
    """For a figure holding one image (linked or not) and maybe a caption: the caption's text
    ("" without one). None for any other figure."""
    parts = [
        child
        for child in figure.children
        if isinstance(child, Tag) or (isinstance(child, NavigableString) and child.strip())
    ]
    captions = [part for part in parts if isinstance(part, Tag) and part.name == "figcaption"]
    others = [part for part in parts if all(part is not caption for caption in captions)]
    if len(captions) > 1 or len(others) != 1 or not _is_lone_image(others[0]):
        return None
    return " ".join(captions[0].get_text().split()) if captions else ""


def _is_lone_image(element: PageElement) -> bool:
    if not isinstance(element, Tag):
        return False
    if element.name == "img":
        return True
    return (
        element.name in {"a", "p", "div", "span", "picture"}
        and len(element.find_all("img")) == 1
        and not element.get_text(strip=True)
    )


def _code_language(pre: Tag) -> str:
    for element in (pre, pre.find("code")):
        if not isinstance(element, Tag):
            continue
        for name in element.get_attribute_list("class"):
            if name and name.startswith("language-") and re.fullmatch(r"[\w+#.-]+", name[9:]):
                return name[9:]
    return ""
