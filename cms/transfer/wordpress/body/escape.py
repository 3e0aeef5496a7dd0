"""Escaping text for Markdown, so that what a post says is not read as Markdown syntax."""

from __future__ import annotations

import re

# Text is escaped one text node at a time, so what could pair with the next node's text (a
# "<" before "b>") is escaped at the end of a node too.
_INLINE_SPECIAL = re.compile(
    r"[\\`*\[\]]"  # escapes, code, emphasis, links
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore that could open or close emphasis
    r"|^~|~(?=~|$)|(?<=~)~"  # strikethrough
    r"|<(?=[A-Za-z/!?]|$)"  # raw HTML, autolinks
    r"|&(?=#?\w+;|$)"  # character references
)
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|[-=]+\s*$)")


def escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def escape_line_start(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        lead, marker = match.group(1), match.group(2)
        if marker[0].isdigit():
            return f"{lead}{marker}\\"
        return f"{lead}\\{marker}"

    return _LINE_START.sub(escape, text, count=1)
