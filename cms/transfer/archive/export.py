"""Export: every table and media file of a site written to one tar, by :func:`export_site`.

Rows are read in pages inside one snapshot and spooled to temporary files beside the
destination, hashed on the way; only then is the tar written (the manifest must come first),
under a temporary name renamed into place at the end. Memory stays flat however large the
site, and a failed export leaves no partial archive.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from cms.files.storage import fsync_dir
from cms.settings import Settings
from cms.transfer.archive.manifest import (
    FORMAT,
    MANIFEST,
    MEDIA,
    TABLES,
    ArchiveError,
    Manifest,
    Progress,
    TableEntry,
    silent,
)
from cms.transfer.archive.media import hash_media
from cms.transfer.archive.schema import schema_version
from cms.transfer.archive.tables import Table, placeholders, plan, quote

#: Rows read per query.
PAGE_ROWS = 1_000


async def export_site(
    settings: Settings, destination: Path, progress: Progress | None = None
) -> Manifest:
    """Write every table and media file of the site to ``destination`` (a tar, mode 0600).

    The ORM must be open on ``settings``. Rows are read in pages inside one snapshot and spooled
    to temporary files next to ``destination``; nothing is held whole in memory.
    """
    report = progress or silent
    destination = await asyncio.to_thread(_prepare, Path(destination))
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    schema = await schema_version(conn)
    tables = plan(dialect)
    with tempfile.TemporaryDirectory(prefix=".cinq-export-", dir=destination.parent) as work:
        folder = Path(work)
        entries: dict[str, TableEntry] = {}
        async with in_transaction() as tx:
            if dialect == "postgres":
                # One snapshot for every table: rows written meanwhile are all in, or all out.
                await tx.execute_script(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            for table in tables:
                entries[table.name] = await _spool(tx, dialect, table, folder, report)
        media = await asyncio.to_thread(hash_media, settings.media_root, report)
        manifest = Manifest(format=FORMAT, schema=schema, tables=entries, media=media)
        order = [table.name for table in tables]
        await asyncio.to_thread(
            _write_archive, destination, manifest, order, folder, settings.media_root, report
        )
    return manifest


def _prepare(destination: Path) -> Path:
    destination = destination.absolute()
    if destination.is_dir():
        raise ArchiveError(f"{destination} is a folder: name the archive file to write.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    return destination


async def _spool(
    tx: BaseDBAsyncClient, dialect: str, table: Table, folder: Path, report: Progress
) -> TableEntry:
    """Write one table's rows to a JSON Lines file, page by page, hashing as it goes."""
    names = ", ".join(quote(c.name) for c in table.columns)
    order = ", ".join(quote(k) for k in table.key)
    marks = ", ".join(placeholders(dialect, len(table.key)))
    first_page = f"SELECT {names} FROM {quote(table.name)} ORDER BY {order} LIMIT {PAGE_ROWS}"  # noqa: S608
    next_page = (
        f"SELECT {names} FROM {quote(table.name)} "  # noqa: S608 - names come from the models
        f"WHERE ({order}) > ({marks}) ORDER BY {order} LIMIT {PAGE_ROWS}"
    )
    count = await tx.execute_query_dict(f"SELECT COUNT(*) AS n FROM {quote(table.name)}")  # noqa: S608
    total = int(count[0]["n"])
    spool = _Spool(folder / f"{table.name}.jsonl")
    try:
        last: list[Any] | None = None
        rows = 0
        while True:
            page = await tx.execute_query_dict(
                first_page if last is None else next_page, [] if last is None else last
            )
            if not page:
                break
            spool.write(b"".join(_line(table, row) for row in page))
            rows += len(page)
            report(table.member, rows, total)
            if len(page) < PAGE_ROWS:
                break
            last = [page[-1][k] for k in table.key]
    finally:
        spool.close()
    if total == 0:
        report(table.member, 0, 0)
    return TableEntry(rows=rows, sha256=spool.digest.hexdigest(), bytes=spool.size)


class _Spool:
    """A temporary file written in order, with the SHA-256 and size of what went in."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.file.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)

    def close(self) -> None:
        self.file.close()


def _line(table: Table, row: dict[str, Any]) -> bytes:
    record = {}
    for column in table.columns:
        value = row[column.name]
        record[column.name] = None if value is None else column.dump(value)
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode() + b"\n"


class _HashingReader:
    """Reads from ``source``, hashing what passes (tarfile copies members through it)."""

    def __init__(self, source: io.BufferedIOBase) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


def _write_archive(
    destination: Path,
    manifest: Manifest,
    order: list[str],
    folder: Path,
    media_root: Path,
    report: Progress,
) -> None:
    """Write the tar under a temporary name (mode 0600), then rename it into place."""
    temp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
    total = sum(e.bytes for e in manifest.tables.values()) + sum(
        e.bytes for e in manifest.media.values()
    )
    written = 0
    now = int(time.time())
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            os.fchmod(raw.fileno(), 0o600)  # whatever the umask
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                head = manifest.to_json()
                tar.addfile(_member_info(MANIFEST, len(head), now), io.BytesIO(head))
                members = [
                    (TABLES + name + ".jsonl", folder / f"{name}.jsonl", manifest.tables[name])
                    for name in order
                ]
                members += [
                    (MEDIA + path, media_root / path, entry)
                    for path, entry in sorted(manifest.media.items())
                ]
                for name, path, entry in members:
                    try:
                        source = path.open("rb")
                    except FileNotFoundError:
                        raise ArchiveError(
                            f"{name} disappeared while it was being exported: export again."
                        ) from None
                    with source:
                        reader = _HashingReader(source)
                        try:
                            tar.addfile(_member_info(name, entry.bytes, now), reader)
                        except OSError as error:
                            if str(error) != "unexpected end of data":  # tarfile's words
                                raise
                            reader.digest = hashlib.sha256(b"shrank")  # reported just below
                    if reader.digest.hexdigest() != entry.sha256:
                        raise ArchiveError(
                            f"{name} changed while it was being exported: export again."
                        )
                    written += entry.bytes
                    report("archive", written, total)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, destination)
        fsync_dir(destination.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _member_info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    info.type = tarfile.REGTYPE
    return info
