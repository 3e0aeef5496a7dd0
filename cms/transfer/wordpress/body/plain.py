"""Plain text of a piece of WordPress HTML (titles, excerpts): tags and shortcodes out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

from cms.transfer.wordpress.body.autop import BLOCK_TAGS
from cms.transfer.wordpress.body.shortcodes import strip_shortcode_tags


def plain_excerpt(excerpt: str) -> str:
    """A WordPress excerpt as plain text: tags and shortcodes out, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(strip_shortcode_tags(excerpt.replace("\x00", "")))
    extractor.close()
    # Non-breaking spaces stay: French puts them before "?", ":" and inside « ».
    return re.sub(r"[ \t\n\r\f\v]+", " ", "".join(extractor.parts)).strip(" ")


class _TextExtractor(HTMLParser):
    """The text of an HTML fragment, with a space where a block or line break was."""

    _SKIPPED: ClassVar[set[str]] = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in BLOCK_TAGS or tag == "br":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)
