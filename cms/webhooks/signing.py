"""The ``Cinq-Signature`` header: proof that a delivery comes from Cinq and was not changed.

``Cinq-Signature: t=1767225600,v1=5257a869…`` where ``t`` is when the attempt was signed
(Unix seconds) and ``v1`` the hex HMAC-SHA256, keyed with the endpoint's secret (its UTF-8
bytes, exactly as shown at registration), of ``"<t>.<raw body>"``. Signing the time with the
body lets a receiver refuse an old delivery replayed at it (:func:`verify` allows 5 minutes);
the scheme is Stripe's, so receivers' existing helpers fit it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Cinq-Signature"
TOLERANCE = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value for ``body`` signed now (or at ``timestamp``)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance: int = TOLERANCE, now: int | None = None
) -> bool:
    """What a receiver does: True when ``header`` signs ``body`` with ``secret`` and its time is
    within ``tolerance`` seconds of ``now``."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))
