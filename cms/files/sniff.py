"""What a file is, from its first bytes; never from its name or declared type."""

from __future__ import annotations

#: Bytes needed to recognise every allowed type.
HEAD_SIZE = 32

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/avif", "image/gif"})
ALLOWED_TYPES = IMAGE_TYPES | {"application/pdf"}


def sniff(head: bytes) -> str | None:
    """The media type of a file starting with ``head``, if it is one Cinq accepts."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"avif", b"avis"}:
        return "image/avif"
    if head[:6] in {b"GIF87a", b"GIF89a"}:
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None
