"""Restore: an archive brought back into an empty site, whole or not at all, by
:func:`restore_site`.

Only into an empty database migrated to the archive's schema version, and an empty media
root. The archive is verified whole first; the media files are placed next, then the rows go
in, in foreign-key order, within one transaction that also moves PostgreSQL's sequences. If
anything fails, the transaction rolls back and the files placed are removed.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import BaseORMException
from tortoise.transactions import in_transaction

from cms.settings import Settings
from cms.transfer.archive.manifest import ArchiveError, Manifest, Progress, silent
from cms.transfer.archive.media import Placed, media_files, place_media
from cms.transfer.archive.schema import check_schema, schema_version
from cms.transfer.archive.tables import Table, placeholders, plan, quote
from cms.transfer.archive.verification import Verified, open_archive, read_head, verify

#: Rows inserted per statement batch.
BATCH_ROWS = 500
#: The longest row a restore accepts (a post's body is at most 200,000 characters).
MAX_LINE_BYTES = 64 << 20


async def restore_site(
    settings: Settings, source: Path, progress: Progress | None = None
) -> Manifest:
    """Restore an archive into the empty database and media root of ``settings``.

    The ORM must be open on a database migrated to the archive's schema version. The archive is
    verified whole before anything is written; the rows go in within one transaction, and the
    media files are removed again if it fails.
    """
    report = progress or silent
    source = Path(source)
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    schema = await schema_version(conn)
    tables = plan(dialect)
    with open_archive(source) as tar:
        manifest = await asyncio.to_thread(read_head, tar, source)
        check_schema(manifest, schema)
        await _check_empty(conn, tables, settings.media_root)
        verified = await asyncio.to_thread(verify, tar, manifest, report)
        placed = Placed()
        try:
            # Files first, outside the transaction: on SQLite a transaction holds the only
            # connection, and copying files is the slow part.
            await asyncio.to_thread(place_media, tar, verified, settings.media_root, placed, report)
            async with in_transaction() as tx:
                for table in tables:
                    await _load(tx, dialect, table, tar, verified, report)
                if dialect == "postgres":
                    await _move_sequences(tx, tables)
        except BaseException:
            await asyncio.to_thread(placed.remove)
            raise
    return manifest


async def _check_empty(conn: BaseDBAsyncClient, tables: list[Table], media_root: Path) -> None:
    for table in tables:
        rows = await conn.execute_query_dict(f"SELECT 1 AS x FROM {quote(table.name)} LIMIT 1")  # noqa: S608
        if rows:
            raise ArchiveError(
                f"The database is not empty (table {table.name} has rows): restore only into a "
                "new database, created and migrated with `cms migrate`."
            )
    if files := await asyncio.to_thread(media_files, media_root):
        raise ArchiveError(
            f"The media root {media_root} is not empty (it holds {files[0]}"
            f"{' and more' if len(files) > 1 else ''}): restore into an empty folder."
        )


async def _load(
    tx: BaseDBAsyncClient,
    dialect: str,
    table: Table,
    tar: tarfile.TarFile,
    verified: Verified,
    report: Progress,
) -> None:
    """Insert one table's rows in batches, checking its hash again as it is read."""
    entry = verified.manifest.tables[table.name]
    reader = tar.extractfile(verified.tables[table.name])
    assert reader is not None
    names = [c.name for c in table.columns]
    expected = set(names)
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(placeholders(dialect, len(names)))})"
    )
    digest = hashlib.sha256()
    rows = 0
    while lines := await asyncio.to_thread(_read_lines, reader, BATCH_ROWS):
        batch = []
        for line in lines:
            digest.update(line)
            rows += 1
            if not line.endswith(b"\n") or len(line) > MAX_LINE_BYTES:
                raise ArchiveError(f"{table.member}, line {rows}: the row is cut or too long.")
            batch.append(_row_values(table, expected, line, rows))
        try:
            await tx.execute_many(sql, batch)
        except BaseORMException as error:
            raise ArchiveError(
                f"The database refused a row of {table.name} (near line {rows}): {error}"
            ) from None
        report(table.member, rows, entry.rows)
    if entry.rows == 0:
        report(table.member, 0, 0)
    if digest.hexdigest() != entry.sha256 or rows != entry.rows:
        raise ArchiveError(f"{table.member} changed since it was verified: nothing was restored.")


def _read_lines(reader: io.BufferedReader, count: int) -> list[bytes]:
    lines = []
    for _ in range(count):
        line = reader.readline(MAX_LINE_BYTES + 1)
        if not line:
            break
        lines.append(line)
    return lines


def _row_values(table: Table, expected: set[str], line: bytes, number: int) -> list[Any]:
    where = f"{table.member}, line {number}"
    try:
        record = json.loads(line)
    except ValueError:
        raise ArchiveError(f"{where}: not valid JSON.") from None
    if not isinstance(record, dict) or set(record) != expected:
        raise ArchiveError(f"{where}: the row's columns are not those of table {table.name}.")
    values = []
    for column in table.columns:
        value = record[column.name]
        try:
            values.append(None if value is None else column.load(value))
        except (TypeError, ValueError):
            raise ArchiveError(f"{where}: column {column.name} holds an invalid value.") from None
    return values


async def _move_sequences(tx: BaseDBAsyncClient, tables: list[Table]) -> None:
    """Set each id sequence past the largest id restored, so new rows get fresh ids."""
    for table in tables:
        if table.serial is None:
            continue
        quoted_table, column = quote(table.name), quote(table.serial)
        await tx.execute_query(
            f"SELECT setval(pg_get_serial_sequence('{quoted_table}', '{table.serial}'), "  # noqa: S608
            f"COALESCE(MAX({column}), 0) + 1, false) FROM {quoted_table}"
        )
