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

The modules, in the order they build on each other: :mod:`.manifest` (member names, the
manifest, the rules every member obeys), :mod:`.values` (canonical values per field type),
:mod:`.tables` (which tables, their columns and foreign-key order), :mod:`.schema` (the schema
version), :mod:`.verification` (checking a whole archive), :mod:`.media` (the media root's
files), then :mod:`.export` and :mod:`.restore`.
"""

from cms.transfer.archive.export import export_site
from cms.transfer.archive.manifest import (
    ArchiveError,
    Manifest,
    MediaEntry,
    Progress,
    TableEntry,
)
from cms.transfer.archive.restore import restore_site
from cms.transfer.archive.schema import latest_migration, schema_version
from cms.transfer.archive.tables import table_names
from cms.transfer.archive.verification import read_manifest

__all__ = [
    "ArchiveError",
    "Manifest",
    "MediaEntry",
    "Progress",
    "TableEntry",
    "export_site",
    "latest_migration",
    "read_manifest",
    "restore_site",
    "schema_version",
    "table_names",
]
