"""``cms redirects export``: the old addresses of the site, for the web server in front of it.

A frontend can ask the API (``redirect(path:)``) on every unknown request; a static site, or
one that wants its redirects answered before any code runs, gets them as a file instead:
Netlify's ``_redirects``, nginx ``map`` blocks, or CSV (see
:func:`cms.services.redirects.render`). Only redirects that lead somewhere the public may go
are written, with their targets as they are now: export again after slugs change.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cms import db
from cms.services import redirects
from cms.settings import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser("redirects", help="write old addresses out for a web server")
    actions = command.add_subparsers(dest="action", required=True)
    export = actions.add_parser(
        "export",
        help="write every redirect as Netlify _redirects lines, nginx map blocks, or CSV",
    )
    export.add_argument("--format", choices=redirects.FORMATS, required=True)
    export.add_argument(
        "--output", metavar="FILE", type=Path, help="write to FILE (default: standard output)"
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    await db.migrate(settings)
    async with db.database(settings):
        try:
            count = await export(settings, args.format, args.output)
        except OSError as error:
            print(f"cms: cannot write {args.output}: {error.strerror}", file=sys.stderr)
            return 1
    where = "" if args.output is None else f" to {args.output}"
    print(f"{count} redirects written{where} ({args.format}).", file=sys.stderr)
    return 0


async def export(settings: Settings, fmt: redirects.Format, output: Path | None) -> int:
    """Write every redirect the public may follow in ``fmt`` to ``output`` (None: standard
    output), over an open database; returns how many were written."""
    rows = [row async for row in redirects.all_redirects(settings)]
    text = redirects.render(rows, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, text)
    return len(rows)


def _write(path: Path, text: str) -> None:
    """Replace ``path`` whole: a web server reloading mid-write never reads half a file."""
    partial = path.with_name(f".{path.name}.part")
    try:
        partial.write_text(text, encoding="utf-8", newline="")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
