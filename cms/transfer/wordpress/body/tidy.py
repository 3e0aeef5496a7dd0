"""The Markdown's last pass: trailing spaces, stray line breaks and blank lines."""

from __future__ import annotations

import re


def tidy(markdown: str) -> str:
    """No trailing spaces, no line break ending a block, one blank line at most, one final
    newline. Code blocks keep their lines."""
    lines: list[str] = []
    code: list[bool] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.strip()
        in_code = fence is not None
        if fence is None and (opening := re.match(r"`{3,}", stripped)):
            fence = opening.group()
        elif fence is not None and stripped.startswith(fence) and not stripped.strip("`"):
            fence = None
        elif not in_code and _LINE_PREFIX.sub("", line) == "\\":  # a break with nothing before it
            continue
        lines.append(line.rstrip())
        code.append(in_code)
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if not code[index] and _ends_with_break(line):
            # No break at the end of a block, and no spaces before one.
            ending = "" if not _LINE_PREFIX.sub("", following) else "\\"
            line = line[:-1].rstrip() + ending
        if not line and not code[index] and (not out or not out[-1]):
            continue  # blank lines: one at most, none at the start
        out.append(line)
    text = "\n".join(out).strip("\n")
    return text + "\n" if text else ""


_LINE_PREFIX = re.compile(r"^[\s>]*")  # indentation and blockquote markers


def _ends_with_break(line: str) -> bool:
    """Whether a line ends with a hard line break, an odd run of backslashes."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1
