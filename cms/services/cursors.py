"""Pagination cursors: one opaque format for every list, and the one error a bad cursor raises.

A cursor is the unpadded base64url of the JSON array ``[version, scope, *position]``:

- ``scope`` names what the cursor belongs to: a list and, where it has several, its
  ordering or query (``posts/newest``, a search's fingerprint). A cursor of another list or
  ordering names another scope and is refused: its position would mean nothing there.
- ``position`` is where the page ended: the sort key and the id breaking ties. Datetimes are
  written in ISO 8601 with their offset.
- ``version`` lets the format change later and refuse the cursors of the old one.

Decoding never lets a malformed cursor escape as anything but :class:`InvalidCursor` (which
the API answers as a client error): the text is bounded before it is parsed, so no nesting
can exhaust the parser, and each position value is checked by the reader that asked for it
(:func:`int4`, :func:`instant`, :func:`real`, :func:`text`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from datetime import datetime

#: The format's version, the first item of every cursor.
VERSION = 1
#: The longest cursor decoded; those issued here are far shorter.
MAX_LENGTH = 512
_INT4 = range(-(2**31), 2**31)

#: What a position holds; None (a row without a sort key) makes a cursor that is refused.
Value = int | float | str | datetime | None


class InvalidCursor(ValueError):
    """A cursor that this server did not issue for this list and ordering."""


def encode(scope: str, *position: Value) -> str:
    """The cursor after ``position`` in the list named by ``scope``."""
    values = [value.isoformat() if isinstance(value, datetime) else value for value in position]
    raw = json.dumps([VERSION, scope, *values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(scope: str, cursor: str, length: int) -> Sequence[object]:
    """The ``length`` position values of a cursor issued for ``scope``, still to be checked
    one by one; :class:`InvalidCursor` for anything else."""
    if len(cursor) > MAX_LENGTH:
        raise InvalidCursor(cursor[:MAX_LENGTH])
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        payload = json.loads(raw)
    except (binascii.Error, ValueError) as error:  # UnicodeError and JSON errors included
        raise InvalidCursor(cursor) from error
    if (
        not isinstance(payload, list)
        or len(payload) != 2 + length
        or type(payload[0]) is not int
        or payload[0] != VERSION
        or payload[1] != scope
    ):
        raise InvalidCursor(cursor)
    return payload[2:]


def int4(value: object) -> int:
    """A position value that must be an integer a database column of ids or numbers holds."""
    if type(value) is not int or value not in _INT4:
        raise InvalidCursor(repr(value))
    return value


def instant(value: object) -> datetime:
    """A position value that must be an ISO 8601 date and time with an offset."""
    if not isinstance(value, str):
        raise InvalidCursor(repr(value))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidCursor(value) from error
    if moment.tzinfo is None:
        raise InvalidCursor(value)
    return moment


def real(value: object) -> float:
    """A position value that must be a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidCursor(repr(value))
    return float(value)


def text(value: object, allowed: Sequence[str]) -> str:
    """A position value that must be one of ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidCursor(repr(value))
    return value
