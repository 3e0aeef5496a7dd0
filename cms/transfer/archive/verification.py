"""Verification of a whole archive before anything is written, and :func:`read_manifest`.

The manifest must come first; every member after it is checked against it (kind, name, size,
SHA-256), and nothing may be missing or appear twice. A restore verifies first, then reads the
members again, checking their hashes once more as it goes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cms.transfer.archive.manifest import (
    COPY_BYTES,
    MANIFEST,
    TABLES,
    ArchiveError,
    Manifest,
    Progress,
    check_member,
    silent,
)
from cms.transfer.archive.schema import check_schema, latest_migration
from cms.transfer.archive.tables import table_names

MAX_MANIFEST_BYTES = 64 << 20


@dataclass
class Verified:
    manifest: Manifest
    tables: dict[str, tarfile.TarInfo]
    media: list[tarfile.TarInfo]


@contextlib.contextmanager
def open_archive(source: Path) -> Iterator[tarfile.TarFile]:
    source = Path(source)
    if not source.is_file():
        raise ArchiveError(f"{source} is not a file.")
    try:
        tar = tarfile.open(source, mode="r:")  # noqa: SIM115 - closed by the block below
    except (tarfile.TarError, OSError):
        raise ArchiveError(
            f"{source} is not a Cinq archive: not an uncompressed tar file."
        ) from None
    with tar:
        yield tar


def read_head(tar: tarfile.TarFile, source: Path) -> Manifest:
    """The manifest, which must be the first member."""
    try:
        first = tar.next()
    except tarfile.TarError:
        raise ArchiveError(
            f"{source} is not a Cinq archive: its tar headers are damaged."
        ) from None
    if first is None or first.name != MANIFEST:
        raise ArchiveError(f"{source} is not a Cinq archive: it does not start with {MANIFEST}.")
    if first.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or first.size > MAX_MANIFEST_BYTES:
        raise ArchiveError(f"{source}: {MANIFEST} is not a regular file of a sensible size.")
    reader = tar.extractfile(first)
    assert reader is not None
    return Manifest.from_json(reader.read())


def verify(tar: tarfile.TarFile, manifest: Manifest, report: Progress) -> Verified:
    """Check every member after the manifest: kind, name, size and SHA-256."""
    expected = set(manifest.tables)
    known = table_names()
    if unknown := sorted(expected - known):
        raise ArchiveError(
            f"The archive holds tables this version of Cinq does not know: {unknown}."
        )
    if missing := sorted(known - expected):
        raise ArchiveError(f"The archive lacks tables: {missing}.")
    listed = manifest.members()
    total = sum(size for _, size in listed.values())
    checked = 0
    tables: dict[str, tarfile.TarInfo] = {}
    media: list[tarfile.TarInfo] = []
    seen: set[str] = set()
    while True:
        try:
            member = tar.next()
        except tarfile.TarError:
            raise ArchiveError("The archive's tar headers are damaged.") from None
        if member is None:
            break
        name = member.name
        check_member(member)
        if name in seen:
            raise ArchiveError(f"The archive holds {name!r} twice.")
        seen.add(name)
        if name not in listed:
            raise ArchiveError(f"The archive holds {name!r}, which its manifest does not list.")
        sha256, size = listed[name]
        if member.size != size:
            raise ArchiveError(
                f"{name} is {member.size} bytes, but the manifest says {size}: "
                "the archive is damaged."
            )
        try:
            actual = _member_sha256(tar, member)
        except (tarfile.TarError, OSError):
            raise ArchiveError(f"{name} is cut short: the archive is damaged.") from None
        if actual != sha256:
            raise ArchiveError(
                f"The checksum of {name} does not match the manifest: the archive is damaged."
            )
        if name.startswith(TABLES):
            tables[name[len(TABLES) : -len(".jsonl")]] = member
        else:
            media.append(member)
        checked += size
        report("archive", checked, total)
    if missing_members := sorted(set(listed) - seen):
        shown = ", ".join(missing_members[:5]) + (" …" if len(missing_members) > 5 else "")
        raise ArchiveError(f"The archive is missing members its manifest lists: {shown}.")
    return Verified(manifest, tables, media)


def _member_sha256(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    reader = tar.extractfile(member)
    assert reader is not None
    digest = hashlib.sha256()
    while chunk := reader.read(COPY_BYTES):
        digest.update(chunk)
    return digest.hexdigest()


async def read_manifest(source: Path) -> Manifest:
    """Verify the whole archive and return its manifest; writes nothing, needs no database.

    Refuses (:class:`ArchiveError`) an archive this version of Cinq could not restore: not a
    tar, a damaged or foreign manifest, another schema version, an unsafe, unknown, missing or
    altered member.
    """
    return await asyncio.to_thread(_read_and_verify, Path(source), silent)


def _read_and_verify(source: Path, report: Progress) -> Manifest:
    with open_archive(source) as tar:
        manifest = read_head(tar, source)
        check_schema(manifest, latest_migration())
        return verify(tar, manifest, report).manifest
