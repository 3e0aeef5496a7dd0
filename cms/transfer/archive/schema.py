"""The schema version: the latest migration, which an archive records and a restore requires.

Rows only fit a database migrated exactly as the one they came from, so an export refuses a
database with pending or unknown migrations, and a restore refuses an archive written at
another version.
"""

from __future__ import annotations

import importlib
import pkgutil

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import BaseORMException

from cms.transfer.archive.manifest import ArchiveError, Manifest
from cms.transfer.archive.tables import APP, MIGRATIONS

_MIGRATION_TABLE = "tortoise_migrations"


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


def check_schema(manifest: Manifest, schema: str) -> None:
    if manifest.schema != schema:
        raise ArchiveError(
            f"The archive was written at schema version {manifest.schema}, but this version of "
            f"Cinq is at {schema}: restore it with the Cinq release that wrote it (then "
            "upgrade), or export it again from an upgraded site."
        )
