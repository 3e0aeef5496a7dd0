"""Database ids travel as GraphQL ``ID`` strings.

An id is read as HTTP routes read it (:func:`cms.http.params.as_id`): ASCII digits, from 1 to
the top of the database's integer keys. In GraphQL anything else is a ``BAD_USER_INPUT`` error
naming the argument, before any query runs.
"""

from __future__ import annotations

from cms.graphql.errors import BadUserInput
from cms.http.params import MAX_ID, as_id


def parse_id(value: str | None, field: str) -> int | None:
    if value is None:
        return None
    number = as_id(value)
    if number is None:
        raise BadUserInput(
            f"{field!r} is not a valid id: {_shown(value)!r} (ids are whole numbers from 1 to "
            f"{MAX_ID}).",
            field=field,
        )
    return number


def required_id(value: str | None, field: str = "id") -> int:
    number = parse_id(value, field)
    if number is None:
        raise BadUserInput(f"{field!r} is required.", field=field)
    return number


def _shown(value: str, limit: int = 40) -> str:
    """``value`` short enough to echo in a message."""
    return value if len(value) <= limit else value[:limit] + "…"
