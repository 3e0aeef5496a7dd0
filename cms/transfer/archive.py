"""Whole-site backup: every table and every media file in one tar, and its restore.

**An archive holds credentials.** Account password hashes (argon2id), API token and session
hashes, and the webhook signing secrets (kept as is: deliveries must keep verifying after a
restore, so they cannot be replaced by hashes) all travel in it. It is written with mode 0600;
keep it where the database itself would be kept. No secret ever appears in the manifest, in
progress reports or in an error message: only table names, paths under the media root, counts
and checksums do.

Layout of ``FILE.tar`` (plain POSIX tar, no compression: a restore reads members in any order)::

    manifest.json           first member: format, schema version, and per member its size and
                            SHA-256 (rows too, for tables)
    tables/<table>.jsonl    one JSON object per row, in primary-key order
    media/<path>            every file under the media root, at the same relative path

**What is exported.** Every table of every model of the ``models`` app, and the many-to-many
link tables (``post_tag``, ``post_event``, ``event_tag``). Left out: Tortoise's migration
table (the schema version travels in the manifest instead), SQLite's internal tables, the
change log (``content_change``: a cache-invalidation feed for running processes, pruned as it
goes and appended to by triggers on every insert, so a restore refills it by itself), and the
full-text indexes of migration 0006 (FTS5 tables on SQLite, ``*_search`` tables on
PostgreSQL): they are derived from the translation rows by insert triggers, so restoring the
rows rebuilds them. Media files: every regular file under the media root except hidden ones
(the upload scratch folder ``.tmp/``, a ``.gitkeep``); symbolic links are not followed.

**Canonical values.** The same data gives the same bytes whichever engine it was read from,
so two exports compare by their manifests. Each row is one line of JSON with sorted keys
(column names), compact separators, UTF-8; rows in primary-key order (link tables: by their
columns). Datetimes are ISO 8601 in UTC with microseconds (SQLite stores text, asyncpg returns
datetime objects); booleans are ``true``/``false`` (SQLite says 0/1); JSON columns are nested
values, their keys sorted; enums their value; decimals strings.

**Export** pages through each table by primary key inside one read-only snapshot (a
REPEATABLE READ transaction on PostgreSQL, one read transaction on SQLite), spooling each
table to a temporary file beside the destination while hashing it; media files are hashed
from disk. Only then is the tar written (the manifest must come first), each file streamed
into it and hashed again on the way, to a temporary name renamed over the destination at the
end: memory stays flat however large the site, and a failed export leaves no partial archive.

**Restore** only goes into an empty database migrated to the archive's schema version, and a
media root holding no file an export would take. Before anything is written the whole archive
is checked: the manifest first, then every member (regular files only; names under
``tables/`` or ``media/``, no absolute path, no ``..``, no hidden name; known to the manifest;
size and SHA-256 as listed; nothing missing, nothing twice). Media files are then streamed to
temporary files inside the media root (its ``.tmp/``, swept at start-up after a crash),
checked again and moved into place with an atomic rename. The rows go in next, in foreign-key
order, in one transaction (the triggers fill the change log and the search indexes as they
go), which also moves PostgreSQL's sequences past the largest id. If anything fails, the
transaction rolls back and the files placed are removed: the site is restored whole or not
at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import io
import json
import os
import pkgutil
import re
import stat
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections, fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import BaseORMException
from tortoise.fields.data import CharEnumFieldInstance, IntEnumFieldInstance
from tortoise.fields.relational import ManyToManyFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

from cms.db import MODEL_MODULES
from cms.media.storage import LocalStorage
from cms.settings import Settings

FORMAT = 1
MANIFEST = "manifest.json"
TABLES = "tables/"
MEDIA = "media/"
#: The Tortoise app whose tables are exported, and the package of its migrations.
APP = "models"
MIGRATIONS = "cms.migrations"
#: Tables of the app that are not exported (see the module's docstring).
SKIPPED = frozenset({"content_change"})

#: Rows read per query when exporting, and inserted per statement batch when restoring.
PAGE_ROWS = 1_000
BATCH_ROWS = 500
COPY_BYTES = 1 << 20
MAX_MANIFEST_BYTES = 64 << 20
#: The longest row a restore accepts (a post's body is at most 200,000 characters).
MAX_LINE_BYTES = 64 << 20

Progress = Callable[[str, int, int], None]
"""Called as ``progress(what, done, total)``: ``what`` is a table's member name
(``tables/post.jsonl``: rows), ``media`` (files) or ``archive`` (bytes written or verified)."""

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_MIGRATION_TABLE = "tortoise_migrations"
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
        if not _is_int(fmt):
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
            _check_media_path(path)
            _, sha256, size = _entry(entry, ("sha256", "bytes"), f"media file {path!r}")
            media_entries[path] = MediaEntry(sha256=sha256, bytes=size)
        return cls(format=fmt, schema=schema, tables=table_entries, media=media_entries)

    def members(self) -> dict[str, tuple[str, int]]:
        """Member name -> (SHA-256, size) of every member after the manifest."""
        found = {TABLES + name + ".jsonl": (e.sha256, e.bytes) for name, e in self.tables.items()}
        found.update({MEDIA + path: (e.sha256, e.bytes) for path, e in self.media.items()})
        return found


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _entry(entry: Any, keys: tuple[str, ...], what: str) -> tuple[int, str, int]:
    if not isinstance(entry, dict) or set(entry) != set(keys):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} is malformed.")
    rows = entry.get("rows", 0)
    sha256, size = entry["sha256"], entry["bytes"]
    if not (_is_int(rows) and rows >= 0 and _is_int(size) and size >= 0):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} has an invalid count.")
    if not isinstance(sha256, str) or not _HEX64.match(sha256):
        raise ArchiveError(f"{MANIFEST}: the entry of {what} has an invalid SHA-256.")
    return rows, sha256, size


def _check_media_path(path: Any) -> None:
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


def _silent(what: str, done: int, total: int) -> None:
    return None


# --- tables --------------------------------------------------------------------------------


Dump = Callable[[Any], Any]
Load = Callable[[Any], Any]


@dataclass(frozen=True)
class _Column:
    name: str
    dump: Dump  # a value read from the database -> its canonical JSON value
    load: Load  # a JSON value -> a parameter for the database


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[_Column, ...]  # sorted by name
    key: tuple[str, ...]  # the order rows are written in, and pages are read by
    references: frozenset[str]  # tables its foreign keys point to
    serial: str | None  # the generated integer primary key, whose sequence a restore moves

    @property
    def member(self) -> str:
        return f"{TABLES}{self.name}.jsonl"


def table_names() -> set[str]:
    """Names of the tables an archive holds, read off the model classes (no database needed)."""
    names: set[str] = set()
    for model in _model_classes():
        names.add(model._meta.db_table)
        for field in model._meta.fields_map.values():
            if isinstance(field, ManyToManyFieldInstance) and field.through:
                names.add(field.through)
    return names - SKIPPED


def _model_classes() -> list[type[Model]]:
    found: dict[str, type[Model]] = {}
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Model)
                and value.__module__ == module_name
                and not value._meta.abstract
                and value._meta.db_table
            ):
                found[value._meta.db_table] = value
    return [found[name] for name in sorted(found)]


def _plan(dialect: str) -> list[_Table]:
    """Every exported table, in an order that satisfies foreign keys (referenced first)."""
    apps = Tortoise.apps
    models = apps[APP] if apps is not None and APP in apps else None
    if not models:
        raise RuntimeError("The ORM is not open: run inside cms.db.database(settings).")
    tables: dict[str, _Table] = {}
    for model in models.values():
        meta = model._meta
        if meta.abstract or not meta.db_table or meta.db_table in SKIPPED:
            continue
        columns = tuple(
            sorted(
                (
                    _column(column, meta.fields_map[name], dialect)
                    for name, column in meta.fields_db_projection.items()
                ),
                key=lambda c: c.name,
            )
        )
        references = {
            meta.fields_map[name].related_model._meta.db_table
            for name in (*meta.fk_fields, *meta.o2o_fields)
        }
        pk = meta.pk
        pk_column = meta.fields_db_projection[meta.pk_attr]
        serial = pk_column if pk.generated and isinstance(pk, fields.IntField) else None
        tables[meta.db_table] = _Table(
            meta.db_table, columns, (pk_column,), frozenset(references - {meta.db_table}), serial
        )
        for field in meta.fields_map.values():
            if not isinstance(field, ManyToManyFieldInstance) or field._generated:
                continue
            related = field.related_model._meta
            ends = {
                field.backward_key: (meta.db_table, meta.pk),
                field.forward_key: (related.db_table, related.pk),
            }
            link_columns = tuple(
                _column(column, key_field, dialect)
                for column, (_, key_field) in sorted(ends.items())
            )
            tables[field.through] = _Table(
                field.through,
                link_columns,
                tuple(c.name for c in link_columns),
                frozenset(table for table, _ in ends.values()),
                None,
            )
    if set(tables) != table_names():
        raise RuntimeError("The ORM's tables differ from the models' (is the ORM open on Cinq?).")
    return _dependency_order(tables)


def _dependency_order(tables: dict[str, _Table]) -> list[_Table]:
    """Referenced tables before those referencing them; ties by name, for stable archives."""
    ordered: list[_Table] = []
    placed: set[str] = set()
    pending = dict(sorted(tables.items()))
    while pending:
        ready = [name for name, t in pending.items() if t.references <= placed]
        if not ready:
            raise RuntimeError(f"Foreign keys form a cycle between {sorted(pending)}.")
        for name in ready:
            ordered.append(pending.pop(name))
            placed.add(name)
    return ordered


def _column(name: str, field: fields.Field, dialect: str) -> _Column:
    """How one column's values are made canonical, and turned back into parameters."""
    if isinstance(field, fields.DatetimeField):
        return _Column(
            name, _dump_datetime, _load_datetime_sqlite if dialect == "sqlite" else _load_datetime
        )
    if isinstance(field, fields.DateField):
        return _Column(name, _dump_date, date.fromisoformat if dialect != "sqlite" else _text)
    if isinstance(field, fields.BooleanField):
        return _Column(name, bool, _load_bool)
    if isinstance(field, fields.JSONField):
        encoder = field.encoder

        def load_json(value: Any) -> str:
            return encoder(value)

        return _Column(name, _dump_json, load_json)
    if isinstance(field, CharEnumFieldInstance):
        return _Column(name, _dump_enum, _text)
    if isinstance(field, IntEnumFieldInstance):
        return _Column(name, _dump_int_enum, _load_int)
    if isinstance(field, fields.DecimalField):
        return _Column(name, _dump_decimal, Decimal if dialect != "sqlite" else _text)
    if isinstance(field, fields.FloatField):
        return _Column(name, float, _load_float)
    if isinstance(field, fields.IntField | fields.TimeDeltaField):
        return _Column(name, int, _load_int)
    if isinstance(field, fields.UUIDField):
        return _Column(name, _dump_uuid, uuid.UUID if dialect != "sqlite" else _text)
    if isinstance(field, fields.BinaryField):
        return _Column(name, _dump_binary, bytes.fromhex)
    return _Column(name, str, _text)


def _dump_datetime(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # Cinq's time zone: naive values were written in UTC
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _load_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("a datetime without a time zone")
    return parsed.astimezone(UTC)


def _load_datetime_sqlite(value: Any) -> str:
    # The text Tortoise itself stores, so text comparisons in SQL keep working.
    return _load_datetime(value).isoformat(" ")


def _dump_date(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _dump_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _dump_enum(value: Any) -> str:
    return str(value.value if isinstance(value, Enum) else value)


def _dump_int_enum(value: Any) -> int:
    return int(value.value if isinstance(value, Enum) else value)


def _dump_decimal(value: Any) -> str:
    return str(Decimal(str(value)))


def _dump_uuid(value: Any) -> str:
    return str(uuid.UUID(str(value)))


def _dump_binary(value: Any) -> str:
    return bytes(value).hex()


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _load_int(value: Any) -> int:
    if not _is_int(value):
        raise TypeError("expected an integer")
    return value


def _load_float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("expected a number")
    return float(value)


def _load_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value


def _line(table: _Table, row: dict[str, Any]) -> bytes:
    record = {}
    for column in table.columns:
        value = row[column.name]
        record[column.name] = None if value is None else column.dump(value)
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode() + b"\n"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _marks(dialect: str, count: int) -> list[str]:
    if dialect == "sqlite":
        return ["?"] * count
    return [f"${n}" for n in range(1, count + 1)]


# --- schema version --------------------------------------------------------------------------


def latest_migration() -> str:
    """The newest migration this version of Cinq ships (an archive's schema must be it)."""
    return max(_disk_migrations())


def _disk_migrations() -> set[str]:
    package = importlib.import_module(MIGRATIONS)
    return {
        name
        for _, name, is_package in pkgutil.iter_modules(package.__path__)
        if not is_package and name[0] not in "_~"
    }


async def schema_version(conn: BaseDBAsyncClient) -> str:
    """The database's schema version: the latest migration, which it must have applied (and
    nothing this version of Cinq does not know)."""
    on_disk = _disk_migrations()
    try:
        rows = await conn.execute_query_dict(
            f"SELECT name FROM {_MIGRATION_TABLE} WHERE app = '{APP}'"  # noqa: S608 - constants
        )
    except BaseORMException:
        rows = []
    applied = {row["name"] for row in rows}
    if unknown := sorted(applied - on_disk):
        raise ArchiveError(
            f"The database has migrations this version of Cinq does not know "
            f"({', '.join(unknown)}): use the Cinq release that applied them."
        )
    if pending := sorted(on_disk - applied):
        raise ArchiveError(
            f"The database is not migrated to this version of Cinq (pending: "
            f"{', '.join(pending)}): run `cms migrate` first."
        )
    return max(on_disk)


# --- export ----------------------------------------------------------------------------------


async def export_site(
    settings: Settings, destination: Path, progress: Progress | None = None
) -> Manifest:
    """Write every table and media file of the site to ``destination`` (a tar, mode 0600).

    The ORM must be open on ``settings``. Rows are read in pages inside one snapshot and spooled
    to temporary files next to ``destination``; nothing is held whole in memory.
    """
    report = progress or _silent
    destination = await asyncio.to_thread(_prepare, Path(destination))
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    schema = await schema_version(conn)
    tables = _plan(dialect)
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
        media = await asyncio.to_thread(_hash_media, settings.media_root, report)
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
    tx: BaseDBAsyncClient, dialect: str, table: _Table, folder: Path, report: Progress
) -> TableEntry:
    """Write one table's rows to a JSON Lines file, page by page, hashing as it goes."""
    names = ", ".join(_quote(c.name) for c in table.columns)
    order = ", ".join(_quote(k) for k in table.key)
    marks = ", ".join(_marks(dialect, len(table.key)))
    first_page = f"SELECT {names} FROM {_quote(table.name)} ORDER BY {order} LIMIT {PAGE_ROWS}"  # noqa: S608
    next_page = (
        f"SELECT {names} FROM {_quote(table.name)} "  # noqa: S608 - names come from the models
        f"WHERE ({order}) > ({marks}) ORDER BY {order} LIMIT {PAGE_ROWS}"
    )
    count = await tx.execute_query_dict(f"SELECT COUNT(*) AS n FROM {_quote(table.name)}")  # noqa: S608
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


def _media_files(root: Path) -> list[str]:
    """Relative paths of the regular files under ``root``, sorted. Hidden files and folders
    (the scratch folder ``.tmp``, a ``.gitkeep``) are not site content, and links are not
    followed: the storage writes neither."""
    found: list[str] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = here / name
            if name.startswith(".") or not stat.S_ISREG(path.lstat().st_mode):
                continue
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode()
                _check_media_path(relative)
            except (UnicodeError, ArchiveError):
                raise ArchiveError(
                    f"The media file {relative!r} has a name an archive cannot hold: "
                    "rename or remove it, then export again."
                ) from None
            found.append(relative)
    return sorted(found)


def _hash_media(root: Path, report: Progress) -> dict[str, MediaEntry]:
    paths = _media_files(root)
    entries: dict[str, MediaEntry] = {}
    for done, relative in enumerate(paths, 1):
        digest = hashlib.sha256()
        size = 0
        with (root / relative).open("rb") as source:
            while chunk := source.read(COPY_BYTES):
                digest.update(chunk)
                size += len(chunk)
        entries[relative] = MediaEntry(sha256=digest.hexdigest(), bytes=size)
        report(MEDIA.rstrip("/"), done, len(paths))
    return entries


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
        _fsync_dir(destination.parent)
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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- verification ------------------------------------------------------------------------------


@dataclass
class _Verified:
    manifest: Manifest
    tables: dict[str, tarfile.TarInfo]
    media: list[tarfile.TarInfo]


@contextlib.contextmanager
def _open(source: Path) -> Iterator[tarfile.TarFile]:
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


def _read_head(tar: tarfile.TarFile, source: Path) -> Manifest:
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


def _check_schema(manifest: Manifest, schema: str) -> None:
    if manifest.schema != schema:
        raise ArchiveError(
            f"The archive was written at schema version {manifest.schema}, but this version of "
            f"Cinq is at {schema}: restore it with the Cinq release that wrote it (then "
            "upgrade), or export it again from an upgraded site."
        )


def _verify(tar: tarfile.TarFile, manifest: Manifest, report: Progress) -> _Verified:
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
        _check_member(member)
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
    return _Verified(manifest, tables, media)


def _check_member(member: tarfile.TarInfo) -> None:
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
        _check_media_path(name[len(MEDIA) :])
    elif name == MANIFEST:
        raise ArchiveError(f"The archive holds {MANIFEST} twice.")
    else:
        raise ArchiveError(f"The archive member {name!r} is outside tables/ and media/: refused.")


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
    return await asyncio.to_thread(_read_and_verify, Path(source), _silent)


def _read_and_verify(source: Path, report: Progress) -> Manifest:
    with _open(source) as tar:
        manifest = _read_head(tar, source)
        _check_schema(manifest, latest_migration())
        return _verify(tar, manifest, report).manifest


# --- restore ---------------------------------------------------------------------------------


async def restore_site(
    settings: Settings, source: Path, progress: Progress | None = None
) -> Manifest:
    """Restore an archive into the empty database and media root of ``settings``.

    The ORM must be open on a database migrated to the archive's schema version. The archive is
    verified whole before anything is written; the rows go in within one transaction, and the
    media files are removed again if it fails.
    """
    report = progress or _silent
    source = Path(source)
    conn = connections.get("default")
    dialect = conn.capabilities.dialect
    schema = await schema_version(conn)
    tables = _plan(dialect)
    with _open(source) as tar:
        manifest = await asyncio.to_thread(_read_head, tar, source)
        _check_schema(manifest, schema)
        await _check_empty(conn, tables, settings.media_root)
        verified = await asyncio.to_thread(_verify, tar, manifest, report)
        placed = _Placed()
        try:
            # Files first, outside the transaction: on SQLite a transaction holds the only
            # connection, and copying files is the slow part.
            await asyncio.to_thread(
                _place_media, tar, verified, settings.media_root, placed, report
            )
            async with in_transaction() as tx:
                for table in tables:
                    await _load(tx, dialect, table, tar, verified, report)
                if dialect == "postgres":
                    await _move_sequences(tx, tables)
        except BaseException:
            await asyncio.to_thread(placed.remove)
            raise
    return manifest


async def _check_empty(conn: BaseDBAsyncClient, tables: list[_Table], media_root: Path) -> None:
    for table in tables:
        rows = await conn.execute_query_dict(f"SELECT 1 AS x FROM {_quote(table.name)} LIMIT 1")  # noqa: S608
        if rows:
            raise ArchiveError(
                f"The database is not empty (table {table.name} has rows): restore only into a "
                "new database, created and migrated with `cms migrate`."
            )
    if files := await asyncio.to_thread(_media_files, media_root):
        raise ArchiveError(
            f"The media root {media_root} is not empty (it holds {files[0]}"
            f"{' and more' if len(files) > 1 else ''}): restore into an empty folder."
        )


async def _load(
    tx: BaseDBAsyncClient,
    dialect: str,
    table: _Table,
    tar: tarfile.TarFile,
    verified: _Verified,
    report: Progress,
) -> None:
    """Insert one table's rows in batches, checking its hash again as it is read."""
    entry = verified.manifest.tables[table.name]
    reader = tar.extractfile(verified.tables[table.name])
    assert reader is not None
    names = [c.name for c in table.columns]
    expected = set(names)
    sql = (
        f"INSERT INTO {_quote(table.name)} ({', '.join(_quote(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(_marks(dialect, len(names)))})"
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


def _row_values(table: _Table, expected: set[str], line: bytes, number: int) -> list[Any]:
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


async def _move_sequences(tx: BaseDBAsyncClient, tables: list[_Table]) -> None:
    """Set each id sequence past the largest id restored, so new rows get fresh ids."""
    for table in tables:
        if table.serial is None:
            continue
        quoted_table, column = _quote(table.name), _quote(table.serial)
        await tx.execute_query(
            f"SELECT setval(pg_get_serial_sequence('{quoted_table}', '{table.serial}'), "  # noqa: S608
            f"COALESCE(MAX({column}), 0) + 1, false) FROM {quoted_table}"
        )


class _Placed:
    """Media files and folders a restore created, to remove if it fails.

    The files are placed in a worker thread, which a cancelled restore does not stop: once
    :meth:`remove` has run, the thread places nothing more.
    """

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.lock = threading.Lock()
        self.removed = False

    def place(self, temp: Path, target: Path, root: Path) -> None:
        with self.lock:
            if self.removed:
                raise ArchiveError("The restore was stopped.")
            missing = []
            folder = target.parent
            while not folder.exists() and folder != root:
                missing.append(folder)
                folder = folder.parent
            for folder in reversed(missing):
                folder.mkdir()
                self.folders.append(folder)
            os.replace(temp, target)
            self.files.append(target)

    def remove(self) -> None:
        with self.lock:
            self.removed = True
            for path in reversed(self.files):
                path.unlink(missing_ok=True)
            for folder in reversed(self.folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _place_media(
    tar: tarfile.TarFile, verified: _Verified, root: Path, placed: _Placed, report: Progress
) -> None:
    """Stream each media member to a temporary file in the media root, check it, rename it."""
    storage = LocalStorage(root)
    members = verified.media
    for done, member in enumerate(members, 1):
        relative = member.name[len(MEDIA) :]
        entry = verified.manifest.media[relative]
        try:
            target = storage.path(relative)
        except ValueError:
            raise ArchiveError(f"{member.name} would land outside the media root.") from None
        if target.exists() or target.is_symlink():
            raise ArchiveError(f"{member.name} already exists in the media root.")
        temp = storage.temp_path()
        try:
            digest = hashlib.sha256()
            reader = tar.extractfile(member)
            assert reader is not None
            with temp.open("wb") as out:
                while chunk := reader.read(COPY_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != entry.sha256:
                raise ArchiveError(f"{member.name} changed since it was verified.")
            placed.place(temp, target, storage.root.resolve())
        finally:
            temp.unlink(missing_ok=True)
        report(MEDIA.rstrip("/"), done, len(members))
    for folder in {path.parent for path in placed.files}:
        _fsync_dir(folder)
