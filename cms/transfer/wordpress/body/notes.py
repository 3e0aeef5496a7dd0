"""The notes a conversion leaves for the import report: what was dropped or kept poorer."""

from __future__ import annotations


class Notes:
    """Report lines in order, each once, with a count when it repeats."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, line: str) -> None:
        self._counts[line] = self._counts.get(line, 0) + 1

    def lines(self) -> tuple[str, ...]:
        return tuple(
            line if count == 1 else f"{line} ({count} times)"
            for line, count in self._counts.items()
        )
