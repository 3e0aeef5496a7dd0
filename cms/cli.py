"""The ``cms`` command: serve, worker, migrate, demo, schema, operations, token, account,
webhook, export, import, redirects, media."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any

from cms import (
    __version__,
    cli_accounts,
    cli_media,
    cli_redirects,
    cli_transfer,
    cli_webhooks,
)
from cms.settings import Settings, SettingsError, unknown_variables


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cms", description="Cinq, a headless CMS.")
    parser.add_argument("--version", action="version", version=f"cinq {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true", help="restart when code changes")
    serve.add_argument(
        "--demo",
        action="store_true",
        help="apply migrations and load the demo content into an empty database first",
    )
    serve.add_argument(
        "--migrate",
        action="store_true",
        help="apply pending migrations first (without it, pending migrations stop the start)",
    )
    serve.add_argument(
        "--no-jobs",
        action="store_true",
        help="serve HTTP only: leave background jobs and scheduled publishing to `cms worker`",
    )
    commands.add_parser(
        "worker",
        help="run background jobs and scheduled publishing without serving HTTP",
    )
    migrate = commands.add_parser("migrate", help="apply pending database migrations")
    what = migrate.add_mutually_exclusive_group()
    what.add_argument(
        "--check", action="store_true", help="apply nothing; exit 1 if migrations are pending"
    )
    what.add_argument("--list", action="store_true", help="list applied and pending migrations")
    demo = commands.add_parser("demo", help="load the bilingual demo content")
    demo.add_argument("--posts", type=int, default=0, help="also add N generated posts")
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    operations = commands.add_parser("operations", help="the site's known operations")
    operations_actions = operations.add_subparsers(dest="action", required=True)
    manifest = operations_actions.add_parser(
        "manifest",
        help="write them as an Apollo persisted-query manifest (clients then send ids only)",
    )
    manifest.add_argument(
        "--output", metavar="FILE", help="write to FILE (default: standard output)"
    )
    cli_accounts.add_commands(commands)
    cli_webhooks.add_commands(commands)
    cli_transfer.add_commands(commands)
    cli_redirects.add_commands(commands)
    cli_media.add_commands(commands)

    args = parser.parse_args(argv)
    if args.command == "schema":
        from cms.graphql.schema import sdl

        sys.stdout.write(sdl())
        return 0
    for warning in unknown_variables():
        print(f"cms: warning: {warning}", file=sys.stderr)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"cms: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "operations":
        return _manifest(settings, args.output)
    if args.command == "serve" and (refusal := _serve_refusal(settings, args)):
        print(f"cms: {refusal}", file=sys.stderr)
        return 2
    from cms import db

    try:
        asyncio.run(db.check_reachable(settings))
    except db.DatabaseUnreachable as exc:
        print(f"cms: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        return asyncio.run(_migrate(settings, args))
    if args.command == "demo":
        return asyncio.run(_demo(settings, args.posts))
    if args.command in {"token", "account"}:
        return asyncio.run(cli_accounts.run(settings, args))
    if args.command == "webhook":
        return asyncio.run(cli_webhooks.run(settings, args))
    if args.command in {"export", "import"}:
        return asyncio.run(cli_transfer.run(settings, args))
    if args.command == "redirects":
        return asyncio.run(cli_redirects.run(settings, args))
    if args.command == "media":
        return asyncio.run(cli_media.run(settings, args))
    if args.command == "worker":
        return _worker(settings)
    return _serve(settings, args)


async def _demo(settings: Settings, extra_posts: int = 0, *, only_if_empty: bool = False) -> int:
    from cms import db
    from cms.demo.load import load_demo

    await db.migrate(settings)
    async with db.database(settings):
        created = await load_demo(extra_posts=extra_posts, only_if_empty=only_if_empty)
        if created:
            await db.refresh_statistics()
    print(f"Demo content: {created} posts added." if created else "Demo content already present.")
    return 0


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from cms import db

    if not (args.check or args.list):
        await db.migrate(settings)
        print("Migrations applied.")
        return 0
    state = await db.migration_state(settings)
    if args.list:
        for name in state.applied:
            print(f"[x] {name}")
        for name in state.pending:
            print(f"[ ] {name}")
        return 0
    if state.pending:
        print(f"{len(state.pending)} migration(s) pending: {', '.join(state.pending)}.")
        return 1
    print(f"Up to date ({state.applied[-1] if state.applied else 'no migrations'}).")
    return 0


def _pending(settings: Settings) -> list[str]:
    from cms import db

    return asyncio.run(db.migration_state(settings)).pending


def _serve_refusal(settings: Settings, args: argparse.Namespace) -> str | None:
    """Why ``cms serve`` cannot start as asked, found before anything touches the database."""
    if args.workers < 1:
        return "--workers must be at least 1"
    if args.workers > 1 and settings.is_sqlite:
        return (
            "several workers cannot share a SQLite database (one writer at a time, one "
            "connection per process). Set CMS_DATABASE_URL to a PostgreSQL database, such as "
            "postgres://user@host/cinq, or run one worker."
        )
    return None


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if args.demo:
        asyncio.run(_demo(settings, only_if_empty=True))
    elif args.migrate:
        from cms import db

        asyncio.run(db.migrate(settings))
    elif pending := _pending(settings):
        print(
            f"cms: the database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
            "run `cms migrate` first, or start with `cms serve --migrate`.",
            file=sys.stderr,
        )
        return 2
    from cms.logs import configure_logging

    configure_logging(settings)
    if args.no_jobs:
        # Read again by every worker process the server starts (cms.app:from_env).
        os.environ["CMS_JOB_POLL_INTERVAL"] = "0"
        os.environ["CMS_SCHEDULER_INTERVAL"] = "0"
    uvicorn.run(
        "cms.app:from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
    )
    return 0


def _manifest(settings: Settings, output: str | None) -> int:
    import json

    from cms.graphql.persisted import manifest

    written: dict[str, Any] = manifest(settings.operations_dir)
    text = json.dumps(written, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return 0
    with open(output, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"{len(written['operations'])} operations written to {output}.", file=sys.stderr)
    return 0


def _worker(settings: Settings) -> int:
    from cms.app import run_jobs
    from cms.logs import configure_logging

    if pending := _pending(settings):
        print(
            f"cms: the database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
            "run `cms migrate` first.",
            file=sys.stderr,
        )
        return 2
    configure_logging(settings)

    async def until_stopped() -> None:
        # SIGTERM (a container stopping) and SIGINT end the work cleanly: a job cut short is
        # taken again by a worker once its lease ends.
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await run_jobs(settings)

    asyncio.run(until_stopped())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
