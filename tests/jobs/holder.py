"""A worker process that claims one job and holds it until killed (for crash tests).

``python -m tests.jobs.holder DATABASE_URL LEASE HEARTBEAT`` (seconds) claims the next due job
of kind :data:`HOLD`, prints ``holding <id>`` and then runs it forever, renewing its lease as
any worker does, until the test kills the process.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from cms import db
from cms.jobs.worker import Worker
from cms.settings import Settings

HOLD = "test.hold"


async def main(database_url: str, lease: float, heartbeat: float) -> None:
    async def hold(payload: dict) -> None:
        print("holding", payload["n"], flush=True)
        await asyncio.Event().wait()

    worker = Worker(lease=timedelta(seconds=lease), heartbeat=timedelta(seconds=heartbeat))
    worker.register(HOLD, hold)
    async with db.database(Settings(database_url=database_url)):
        while not await worker.run_once():
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    url, lease, heartbeat = sys.argv[1:]
    asyncio.run(main(url, float(lease), float(heartbeat)))
