"""``cms media``: moving a site's media into an object store, and sweeping stored bytes no
file uses."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import timedelta

from cms import db
from cms.files.copying import CopyReport, copy_all
from cms.files.storage import from_settings
from cms.settings import Settings, SettingsError


def add_commands(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("media", help="move media to an object store, sweep orphans")
    actions = command.add_subparsers(dest="action", required=True)
    migrate = actions.add_parser(
        "migrate",
        help="copy the local media root into an object store (run again to resume)",
    )
    migrate.add_argument(
        "--to",
        required=True,
        metavar="s3://BUCKET/PREFIX",
        help="the store, reached with the CMS_S3_* settings",
    )
    sweep = actions.add_parser(
        "sweep", help="delete stored bytes that no file uses (left by a stopped upload)"
    )
    sweep.add_argument(
        "--grace-minutes",
        type=int,
        default=60,
        help="keep what is younger than this: an upload in flight stores its bytes first",
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "migrate":
        return await _migrate(settings, args.to)
    return await _sweep(settings, timedelta(minutes=args.grace_minutes))


async def _migrate(settings: Settings, to: str) -> int:
    if settings.media_storage != "local":
        print(
            f"cms: the media are in {settings.media_storage} already; migrate copies a local "
            "media root (unset CMS_MEDIA_STORAGE to name it).",
            file=sys.stderr,
        )
        return 2
    try:
        target_settings = dataclasses.replace(settings, media_storage=to)
    except SettingsError as error:
        print(f"cms: --to: {error}", file=sys.stderr)
        return 2
    source, target = from_settings(settings), from_settings(target_settings)
    await target.start()

    def progress(key: str, report: CopyReport) -> None:
        done = report.copied + report.already_there
        print(f"[{done}] {key}", file=sys.stderr)

    report = await copy_all(source, target, progress)
    print(
        f"{report.copied} files copied ({report.copied_bytes / 1e6:.1f} MB), "
        f"{report.already_there} already there. Set CMS_MEDIA_STORAGE={to} to serve them "
        "from the store."
    )
    return 0


async def _sweep(settings: Settings, grace: timedelta) -> int:
    from cms.services import media

    storage = from_settings(settings)
    await storage.start()
    async with db.database(settings):
        gone = await media.sweep(storage, grace)
    print(f"{gone} unused original(s) deleted, with their renditions.")
    return 0
