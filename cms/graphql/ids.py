"""Database ids travel as GraphQL ``ID`` strings."""

from __future__ import annotations

from cms.graphql.errors import BadUserInput


def parse_id(value: str | None, field: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0 or number > 2**31 - 1:
        raise BadUserInput(f"{field!r} is not a valid id: {value!r}.", field=field)
    return number


def required_id(value: str | None, field: str = "id") -> int:
    number = parse_id(value, field)
    if number is None:
        raise BadUserInput(f"{field!r} is required.", field=field)
    return number
