"""The archive's format: its member names, its manifest, and the rules every member obeys.

Shared by export and restore, so it also holds the error they raise and the shape of their
progress reports. A manifest is parsed and checked here without trusting anything in it: a
restore reads it before any other member.
"""

from __future__ import annotations

import json
import re
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FORMAT = 1
MANIFEST = "manifest.json"
TABLES = "tables/"
MEDIA = "media/"
COPY_BYTES = 1 << 20

Progress = Callable[[str, int, int], None]
"""Called as ``progress(what, done, total)``: ``what`` is a table's member name
(``tables/post.jsonl``: rows), ``media`` (files) or ``archive`` (bytes written or verified)."""

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_MANIFEST_KEYS = {"format", "schema", "tables", "media"}


class ArchiveError(ValueError):
    """The archive cannot be written or restored; the message tells the operator why."""


@dataclass(frozen=True)
class TableEntry:
    rows: int
    sha256: str
    bytes: int


@dataclass(frozen=True)
class MediaEntry:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Manifest:
    """What an archive holds. It carries no timestamp: two exports of the same data, from
    either engine, have equal manifests."""

    format: int
    schema: str
    tables: dict[str, TableEntry]
    media: dict[str, MediaEntry]

    def to_json(self) -> bytes:
        """The canonical form stored as ``manifest.json``: sorted keys, UTF-8."""
        document = {
            "format": self.format,
            "schema": self.schema,
            "tables": {
                name: {"rows": e.rows, "sha256": e.sha256, "bytes": e.bytes}
                for name, e in self.tables.items()
            },
            "media": {
                path: {"sha256": e.sha256, "bytes": e.bytes} for path, e in self.media.items()
            },
        }
        return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse and check a stored manifest; :class:`ArchiveError` when it is malformed."""
        try:
            document = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise ArchiveError(f"{MANIFEST} is not valid JSON: not a Cinq archive.") from None
        if not isinstance(document, dict) or set(document) != _MANIFEST_KEYS:
            raise ArchiveError(f"{MANIFEST} does not describe a Cinq archive.")
        fmt = document["format"]
        if not is_int(fmt):
            raise ArchiveError(f"{MANIFEST}: the format is not a number.")
        if fmt != FORMAT:
            raise ArchiveError(
                f"The archive is in format {fmt}; this version of Cinq reads format {FORMAT}."
            )
        schema = document["schema"]
        tables = document["tables"]
        media = document["media"]
        if (
            not isinstance(schema, str)
            or not isinstance(tables, dict)
            or not isinstance(media, dict)
        ):
            raise ArchiveError(f"{MANIFEST} does not describe a Cinq archive.")
        table_entries: dict[str, TableEntry] = {}
        for name, entry in tables.items():
            if not _TABLE_NAME.match(name):
                raise ArchiveError(f"{MANIFEST} lists a table with an invalid name: {name!r}.")
            rows, sha256, size = _entry(entry, ("rows", "sha256", "bytes"), f"table {name}")
            table_entries[name] = TableEntry(rows=rows, sha256=sha256, bytes=size)
        media_entries: dict[str, MediaEntry] = {}
        for path, entry in media.items():
            check_media_path(path)
            _, sha256, size = _entry(entry, ("sha256", "bytes"), f"media file {path!r}")
            media_entries[path] = MediaEntry(sha256=sha256, bytes=size)
        return cls(format=fmt, schema=schema, tables=table_entries, media=media_entries)

    def members(self) -> dict[str, tuple[str, int]]:
        """Member name -> (SHA-256, size) of every member after the manifest."""
        found = {TABLES + name + ".jsonl": (e.sha256, e.bytes) for name, e in self.tables.items()}
        found.update({MEDIA + path: (e.sha256, e.bytes) for path, e in self.media.items()})
        return found


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entry(entry: Any, keys: tuple[str, ...], what: str) -> tuple[int, str, int]:
    if not isinstance(entry, dict) or set(entry) != set(keys):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} is malformed.")
    rows = entry.get("rows", 0)
    sha256, size = entry["sha256"], entry["bytes"]
    if not (is_int(rows) and rows >= 0 and is_int(size) and size >= 0):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} has an invalid count.")
    if not isinstance(sha256, str) or not _HEX64.match(sha256):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} has an invalid SHA-256.")
    return rows, sha256, size


def check_media_path(path: Any) -> None:
    """Refuse a media path that could land outside the media root, or that names a hidden file
    or folder (its scratch folder ``.tmp`` among them): exports never hold those."""
    if (
        not isinstance(path, str)
        or not path
        or len(path) > 1024
        or "\x00" in path
        or "\\" in path
        or path.startswith("/")
        or any(not part or part.startswith(".") for part in path.split("/"))
    ):
        raise ArchiveError(f"The archive names an unsafe media path: {path!r}.")


def check_member(member: tarfile.TarInfo) -> None:
    name = member.name
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        if member.issym():
            kind = "a symbolic link"
        elif member.islnk():
            kind = "a hard link"
        elif member.isdir():
            kind = "a directory"
        else:
            kind = "a device or special file"
        raise ArchiveError(f"The archive member {name!r} is {kind}: refused.")
    if name.startswith(TABLES):
        table = name[len(TABLES) :]
        if not table.endswith(".jsonl") or not _TABLE_NAME.match(table[: -len(".jsonl")]):
            raise ArchiveError(f"The archive member {name!r} is not a table of a Cinq archive.")
    elif name.startswith(MEDIA):
        check_media_path(name[len(MEDIA) :])
    elif name == MANIFEST:
        raise ArchiveError(f"The archive holds {MANIFEST} twice.")
    else:
        raise ArchiveError(f"The archive member {name!r} is outside tables/ and media/: refused.")


def silent(what: str, done: int, total: int) -> None:
    return None
