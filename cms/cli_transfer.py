"""``cms export``, ``cms import`` and ``cms import wordpress``: moving a site in and out.

``cms export FILE.tar`` writes the whole site (every table and every media file) and
``cms import FILE.tar`` restores it into an empty database, on either engine.
``cms import wordpress EXPORT.xml`` brings a WordPress blog in (:mod:`cms.transfer.wordpress`).
Progress goes to standard error while it is a terminal; the report goes to standard output.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from cms import db
from cms.settings import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export", help="write the whole site (tables and media) to a .tar archive"
    )
    export.add_argument("file", type=Path, help="the archive to write, such as site.tar")
    restore = commands.add_parser(
        "import",
        help="restore a .tar archive into an empty database, or import a WordPress export",
        description="cms import FILE.tar | cms import wordpress EXPORT.xml [options]",
    )
    restore.add_argument("source", help="an archive made by `cms export`, or `wordpress`")
    restore.add_argument("file", nargs="?", type=Path, help="the WordPress export (WXR) file")
    restore.add_argument(
        "--uploads",
        type=Path,
        metavar="DIR",
        help="a copy of the blog's wp-content/uploads folder, where its images are found",
    )
    restore.add_argument(
        "--locale-map",
        default="",
        metavar="fr=fr-CA,en=en-CA",
        help="which locale each WordPress language becomes (default: matched by language)",
    )
    restore.add_argument(
        "--dry-run", action="store_true", help="print the report and write nothing"
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.command == "export":
        return await _export(settings, args.file)
    if args.source == "wordpress":
        if args.file is None:
            return _fail("name the WordPress export: cms import wordpress EXPORT.xml")
        return await _wordpress(settings, args)
    if args.file is not None or args.uploads or args.locale_map or args.dry_run:
        return _fail("an archive takes no other argument: cms import FILE.tar")
    return await _restore(settings, Path(args.source))


async def _export(settings: Settings, destination: Path) -> int:
    from cms.transfer.archive import ArchiveError, export_site

    await db.migrate(settings)
    async with db.database(settings):
        try:
            manifest = await export_site(settings, destination, Progress(sys.stderr))
        except ArchiveError as exc:
            return _fail(str(exc))
    rows = sum(entry.rows for entry in manifest.tables.values())
    print(
        f"Exported {rows} rows from {len(manifest.tables)} tables and "
        f"{len(manifest.media)} media files to {destination} (schema {manifest.schema})."
    )
    return 0


async def _restore(settings: Settings, source: Path) -> int:
    from cms.transfer.archive import ArchiveError, restore_site

    await db.migrate(settings)
    async with db.database(settings):
        try:
            manifest = await restore_site(settings, source, Progress(sys.stderr))
        except ArchiveError as exc:
            return _fail(str(exc))
        await db.refresh_statistics()
    rows = sum(entry.rows for entry in manifest.tables.values())
    print(f"Restored {rows} rows and {len(manifest.media)} media files from {source}.")
    return 0


async def _wordpress(settings: Settings, args: argparse.Namespace) -> int:
    from cms.app import build_worker
    from cms.files.storage import from_settings as storage_from_settings
    from cms.transfer.wordpress import (
        ImportOptions,
        WordPressImportError,
        WxrError,
        import_wordpress,
    )

    try:
        locale_map = _locale_map(args.locale_map, settings)
    except ValueError as exc:
        return _fail(str(exc))
    if args.uploads is not None and not args.uploads.is_dir():
        return _fail(f"--uploads {args.uploads}: no such folder")
    options = ImportOptions(uploads=args.uploads, locale_map=locale_map, dry_run=args.dry_run)
    await db.migrate(settings)
    async with db.database(settings):
        try:
            report = await import_wordpress(settings, args.file, options, Progress(sys.stderr))
        except (WxrError, WordPressImportError, OSError) as exc:
            return _fail(str(exc))
        if not args.dry_run:
            # The images' renditions, so the site is ready when the command ends.
            storage = storage_from_settings(settings)
            await storage.start()
            await build_worker(settings, storage).run_until_idle()
            await db.refresh_statistics()
    sys.stdout.write(report.render())
    return 0


def _locale_map(raw: str, settings: Settings) -> dict[str, str]:
    """``fr=fr-CA,en=en-CA`` as a mapping, every target a configured locale."""
    mapping = {}
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        language, sep, locale = entry.partition("=")
        if not sep or not language.strip() or not locale.strip():
            raise ValueError(f"--locale-map: {entry!r} should read LANGUAGE=LOCALE, as fr=fr-CA")
        if locale.strip() not in settings.locales:
            raise ValueError(
                f"--locale-map: {locale.strip()!r} is not one of the configured locales "
                f"({', '.join(settings.locales)})"
            )
        mapping[language.strip()] = locale.strip()
    return mapping


def _fail(message: str) -> int:
    print(f"cms: {message}", file=sys.stderr)
    return 1


class Progress:
    """A one-line progress bar on a terminal; silent when output is redirected."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.what = ""
        self.shown = 0.0

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if what == self.what and done < total and now - self.shown < 0.1:
            return
        if what != self.what and self.what:
            self.stream.write("\n")
        self.what, self.shown = what, now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{what:<8} [{bar}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
            self.what = ""
        self.stream.flush()
