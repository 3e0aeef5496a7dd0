"""A site split by role: ``cms serve --no-jobs`` answers HTTP and leaves the background work
alone; ``cms worker`` does that work (an upload's renditions here) without serving HTTP, and
stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from cms.models import Job, JobStatus, Media, MediaStatus, Role, TokenScope
from cms.services import accounts
from tests.auth import make_account
from tests.media.test_uploads import PREFLIGHT, multipart, png
from tests.servers import free_port, wait_up
from tests.waiting import until

pytestmark = pytest.mark.server

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id status } } }"


def _cms(settings, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CMS_DATABASE_URL": settings.database_url,
        "CMS_MEDIA_ROOT": str(settings.media_root),
        "CMS_JOB_POLL_INTERVAL": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cms.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


async def test_the_web_serves_and_the_worker_works(settings) -> None:
    account = await make_account(Role.EDITOR)
    token = (await accounts.issue_token(account, "uploads", TokenScope.FULL)).secret
    port = free_port()
    web = _cms(settings, "serve", "--no-jobs", "--port", str(port))
    worker = None
    try:
        url = f"http://127.0.0.1:{port}"
        await wait_up(url, web)
        files = multipart(
            UPLOAD, {"0": ("terrasse.png", png(), "image/png")}, {"0": "variables.file"}
        )
        async with httpx.AsyncClient(base_url=url) as http:
            answer = await http.post(
                "/graphql", files=files, headers={"authorization": f"Bearer {token}", **PREFLIGHT}
            )
        media_id = int(answer.json()["data"]["uploadMedia"]["media"]["id"])
        # The web process leaves the job alone, however long it waits.
        await asyncio.sleep(1.5)
        assert (await Job.get()).status is JobStatus.PENDING

        worker = _cms(settings, "worker")

        async def rendered() -> bool:
            return (await Media.get(id=media_id)).status is MediaStatus.READY

        await until(rendered, "the worker to make the renditions", within=30)
        assert (await Job.get()).status is JobStatus.DONE
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=20)[0]
        assert worker.returncode == 0, output
        assert time.monotonic() - started < 10
        assert "Cinq worker ready" in output and "Traceback" not in output
    finally:
        for process in (web, worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.communicate(timeout=20)
