"""Tests that move a database between migrations.

Migrations re-initialise the ORM, so such a test runs its steps in a process of its own
(:func:`in_own_process`), where :func:`migrate_to` moves the database to a migration.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tortoise import Tortoise

from cms.settings import Settings

ROOT = Path(__file__).parents[1]


async def migrate_to(settings: Settings, target: str | None) -> None:
    """Apply or undo migrations up to ``target`` (``"models.0007_webhooks"``; None: the
    latest), leaving no connection open."""
    from tortoise.migrations.api import migrate

    from cms import db

    try:
        await migrate(config=db.tortoise_config(settings), target=target)
    finally:
        await Tortoise.close_connections()


def in_own_process(module: str, function: str, url: str) -> dict:
    """``await module.function(url)`` in a new Python process; the JSON it returns."""
    script = (
        "import asyncio, json, sys\n"
        f"from {module} import {function}\n"
        f"print(json.dumps(asyncio.run({function}(sys.argv[1]))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])
