"""What JSON a request may carry: UTF-8, at most ``MAX_JSON_DEPTH`` deep, and over HTTP a
JSON object.

Strawberry turns a ``JSONDecodeError`` into a 400 (over HTTP) or a 4400 close (over
WebSocket), but lets anything else the decoder raises (invalid UTF-8, a recursion error on
deep nesting) become a server error: those are decoding errors too, and are raised as such
here, with a reason a client can act on.
"""

from __future__ import annotations

import json
import re

from cross_web import HTTPException

#: Deepest nesting of arrays and objects a request's JSON may have. Inputs of the schema nest a
#: few levels; the decoder's own recursion would fail somewhere near a thousand.
MAX_JSON_DEPTH = 64
#: Why JSON nesting deeper than that is refused.
TOO_DEEP = f"The JSON nests deeper than {MAX_JSON_DEPTH} levels."

_JSON_OBJECT_START = re.compile(rb"[ \t\r\n]*[{\[]")


class UnusableJSON(json.JSONDecodeError):
    """JSON that decodes to nothing usable; a ``JSONDecodeError`` so that Strawberry's
    WebSocket handler closes the socket with 4400 as for any other undecodable message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, "", 0)
        self.reason = reason


def decode_json(data: str | bytes) -> object:
    """JSON of a body, a GET parameter or a WebSocket message: UTF-8, and at most
    ``MAX_JSON_DEPTH`` deep."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise UnusableJSON("The request body is not valid UTF-8.") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnusableJSON(TOO_DEEP) from None
    if depth_exceeds(value, MAX_JSON_DEPTH):
        raise UnusableJSON(TOO_DEEP)
    return value


def parse_json(data: str | bytes) -> object:
    """:func:`decode_json` over HTTP: what does not decode is a 400 saying why."""
    try:
        return decode_json(data)
    except UnusableJSON as error:
        raise HTTPException(400, error.reason) from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise HTTPException(400, f"The JSON does not parse: {error.msg} ({where}).") from None


def require_object(body: bytes) -> None:
    """A JSON body must hold an object (or a batch of them): Strawberry reads its ``query``
    with ``.get``, so a bare string, number, boolean or null would fail as a server error."""
    if not _JSON_OBJECT_START.match(body):
        raise HTTPException(
            400, 'The request body must be a JSON object: {"query": "…", "variables": {…}}.'
        )


def depth_exceeds(value: object, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` deep (no recursion: the
    point is to refuse what would exhaust it)."""
    stack: list[tuple[dict[str, object] | list[object], int]] = (
        [(value, 1)] if isinstance(value, dict | list) else []
    )
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
