"""Values taken from URLs and GraphQL input, checked in one place before they reach a query.

- **Ids** are ASCII digits without a leading zero, from 1 to 2,147,483,647: the range of the
  database's integer keys (``int4`` on PostgreSQL, where a larger number is not even a valid
  parameter). Out of that range nothing can be found, so a path naming such an id is a 404
  (the thing does not exist), while a query parameter filtering by one is a 400 (the filter
  itself is malformed, as a word where a number belongs would be).
- **Text** may not hold NUL, which PostgreSQL cannot store or compare, nor a lone surrogate,
  which is not Unicode text and cannot be encoded as UTF-8. Refused alike on every engine, so
  SQLite does not keep what PostgreSQL would refuse. In a path it names nothing (404); in a
  query parameter it is a 400.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse

from cms.http.errors import error_response

#: The largest database id: the top of a signed 32-bit integer column.
MAX_ID = 2**31 - 1
_ID = re.compile(r"[1-9][0-9]{0,9}")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def as_id(text: str) -> int | None:
    """``text`` as a database id, or None when no row can have it."""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def unstorable(text: str) -> str | None:
    """What in ``text`` no database column can hold (a NUL, a lone surrogate), or None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    return "a NUL character" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"


class BadParameter(ValueError):
    """A query parameter the route cannot use; :meth:`response` is the 400 to send."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def response(self) -> JSONResponse:
        return error_response(400, self.message, "BAD_USER_INPUT")


def query_text(request: Request, name: str) -> str | None:
    """Query parameter ``name`` (None when absent), refused when no column could hold it."""
    value = request.query_params.get(name)
    if value is not None and (problem := unstorable(value)):
        raise BadParameter(f"{name!r} holds {problem}.")
    return value


def query_id(request: Request, name: str) -> int | None:
    """Query parameter ``name`` as an id (None when absent or empty); refused when it cannot
    be one."""
    value = request.query_params.get(name)
    if not value:
        return None
    number = as_id(value)
    if number is None:
        raise BadParameter(f"{name!r} is an id, a whole number from 1 to {MAX_ID}.")
    return number


def path_text(request: Request, name: str) -> str | None:
    """Path parameter ``name``, or None when no row could be named by it (the route's 404)."""
    value = request.path_params[name]
    return None if unstorable(value) else value


def path_id(request: Request, name: str) -> int | None:
    """Path parameter ``name`` as an id, or None when no row has it (the route's 404)."""
    return as_id(request.path_params[name])
