"""Where, in a piece of HTML text not yet parsed, the text must be left alone.

The shortcode and embed passes work on the text WordPress would work on, before any parsing,
so they need to know which brackets and URLs sit inside a tag, a link or code.
"""

from __future__ import annotations

import re
from bisect import bisect_right


class Protected:
    """Where in a piece of HTML text must be left alone: inside tags and inside the given
    elements (links, code...)."""

    _TAG = re.compile(r"<!--.*?-->|</?([A-Za-z][\w:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)

    def __init__(self, text: str, elements: tuple[str, ...]) -> None:
        spans: list[tuple[int, int]] = []
        open_at: dict[str, list[int]] = {}
        for match in self._TAG.finditer(text):
            spans.append((match.start(), match.end()))
            name = (match.group(1) or "").lower()
            if name not in elements:
                continue
            if match.group().startswith("</"):
                if open_at.get(name):
                    spans.append((open_at[name].pop(0), match.end()))
            else:
                open_at.setdefault(name, []).append(match.end())
        for starts in open_at.values():  # unclosed: protected to the end
            spans.extend((start, len(text)) for start in starts)
        self._spans = _merge(spans)
        self._starts = [start for start, _ in self._spans]

    def covers(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and self._spans[index][0] <= position < self._spans[index][1]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
