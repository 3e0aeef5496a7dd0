"""Picking the translation to show along a locale fallback chain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

Row = TypeVar("Row", bound=Mapping[str, Any])


def pick(rows: Iterable[Row], chain: Sequence[str]) -> Row | None:
    """The row whose ``locale`` comes first in ``chain``, or None when no locale matches."""
    best: Row | None = None
    best_rank = len(chain)
    for row in rows:
        try:
            rank = chain.index(row["locale"])
        except ValueError:
            continue
        if rank < best_rank:
            best, best_rank = row, rank
    return best
