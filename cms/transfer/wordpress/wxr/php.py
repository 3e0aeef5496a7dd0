"""PHP-serialized arrays, as plugins such as Polylang store them in terms and meta."""

from __future__ import annotations

import io
from typing import Any

import phpserialize


def php_array(text: str) -> dict[str, Any]:
    """A PHP-serialized array (``a:2:{s:2:"fr";i:12;...}``) as a dict; {} for anything else.

    Plugins such as Polylang store their data this way in term descriptions and meta. It is
    read by the phpserialize library, which refuses serialized objects, and never evaluated.
    Keys become strings; strings are decoded as UTF-8, nested arrays become dicts.
    """
    data = text.strip().encode("utf-8")
    if not data.startswith(b"a:"):
        return {}
    stream = io.BytesIO(data)
    try:
        value = phpserialize.load(stream, decode_strings=True)
    except (ValueError, TypeError, RecursionError):  # malformed, unhashable key, too deep
        return {}
    if stream.tell() != len(data) or not isinstance(value, dict):
        return {}
    return _php_dict(value)


def _php_dict(value: dict[Any, Any]) -> dict[str, Any]:
    return {
        str(key): _php_dict(item) if isinstance(item, dict) else item for key, item in value.items()
    }
