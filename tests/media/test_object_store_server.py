"""A real server process with its media in a real object store (SeaweedFS): a 200 MB upload
streams into the store in flat memory, and a server killed in the middle of one leaves nothing
behind once it is started again (an unfinished multipart upload is no object; the bucket's
lifecycle rule for incomplete uploads removes its parts)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import obstore
import pytest

from cms.models import Media, Role, TokenScope
from cms.services import accounts
from tests.auth import make_account
from tests.media.test_uploads import PREFLIGHT
from tests.servers import app_env, free_port, spawn, wait_up
from tests.waiting import until

pytestmark = pytest.mark.server

MB = 1 << 20
UPLOAD = (
    "mutation($file: Upload!) { uploadMedia(file: $file) "
    "{ media { id size sha256 } errors { code message } } }"
)
BOUNDARY = "cinq-test-boundary"


def _multipart_head(filename: str) -> bytes:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{operations}\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.file"]}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()


TAIL = f"\r\n--{BOUNDARY}--\r\n".encode()


def _pdf_blocks(size: int) -> tuple[list[bytes], str]:
    """A ``size``-byte PDF-looking file as 1 MB blocks, and its SHA-256."""
    block = os.urandom(MB)
    blocks = [b"%PDF-1.4\n" + block[9:]] + [block] * (size // MB - 1)
    digest = hashlib.sha256()
    for part in blocks:
        digest.update(part)
    return blocks, digest.hexdigest()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@contextlib.asynccontextmanager
async def _server(settings, env: dict[str, str]):
    port = free_port()
    process = spawn(app_env(settings, **env), port)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_up(url, process)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
        output = process.communicate(timeout=20)[0]
        assert "Traceback" not in output, output


async def _token() -> str:
    account = await make_account(Role.EDITOR)
    return (await accounts.issue_token(account, "uploads", TokenScope.FULL)).secret


def _store_env(object_store) -> tuple[dict[str, str], str]:
    location = object_store.new_location()
    env = {
        **object_store.env(location),
        "CMS_MAX_UPLOAD_BYTES": str(300 * MB),
        "CMS_JOB_POLL_INTERVAL": "0",
        "CMS_SCHEDULER_INTERVAL": "0",
    }
    return env, location.prefix


def _stored(object_store, prefix: str) -> list[str]:
    listed = obstore.list(object_store.client(), prefix=f"{prefix}/").collect()
    return sorted(meta["path"].removeprefix(f"{prefix}/") for meta in listed)


async def test_a_200_mb_upload_goes_to_the_store_in_flat_memory(settings, object_store) -> None:
    env, prefix = _store_env(object_store)
    blocks, digest = _pdf_blocks(200 * MB)
    head = _multipart_head("programme.pdf")
    length = len(head) + sum(len(b) for b in blocks) + len(TAIL)
    token = await _token()
    async with (
        _server(settings, env) as (url, process),
        httpx.AsyncClient(base_url=url, timeout=300) as http,
    ):
        # The store's client is made on first use, once per process: not the upload's cost.
        assert (await http.get("/media/blobs/00/none")).status_code == 404
        baseline = _rss_mb(process.pid)
        peak = baseline
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _rss_mb(process.pid))
                time.sleep(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()

        async def body() -> AsyncIterator[bytes]:
            yield head
            for block in blocks:
                yield block
            yield TAIL

        try:
            response = await http.post(
                "/graphql",
                content=body(),
                headers={
                    "authorization": f"Bearer {token}",
                    "content-type": f"multipart/form-data; boundary={BOUNDARY}",
                    "content-length": str(length),
                    **PREFLIGHT,
                },
            )
        finally:
            done.set()
            watcher.join()
    answer = response.json()["data"]["uploadMedia"]
    assert answer["errors"] == []
    assert (answer["media"]["size"], answer["media"]["sha256"]) == (200 * MB, digest)
    assert _stored(object_store, prefix) == [f"blobs/{digest[:2]}/{digest}"]
    assert peak - baseline < 50, f"RSS grew by {peak - baseline:.1f} MB"
    assert list((settings.media_root / ".tmp").glob("*.part")) == []


async def test_a_server_killed_mid_upload_leaves_nothing_once_restarted(
    settings, object_store
) -> None:
    env, prefix = _store_env(object_store)
    blocks, _ = _pdf_blocks(40 * MB)
    head = _multipart_head("coupe.pdf")
    length = len(head) + sum(len(b) for b in blocks) + len(TAIL)
    token = await _token()
    sent = 0
    async with _server(settings, env) as (url, process):

        async def body() -> AsyncIterator[bytes]:
            nonlocal sent
            yield head
            for block in blocks:
                yield block
                sent += len(block)
                await asyncio.sleep(0.05)  # slow enough to be cut in the middle
            yield TAIL

        async def send() -> None:
            async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                await http.post(
                    "/graphql",
                    content=body(),
                    headers={
                        "authorization": f"Bearer {token}",
                        "content-type": f"multipart/form-data; boundary={BOUNDARY}",
                        "content-length": str(length),
                        **PREFLIGHT,
                    },
                )

        sending = asyncio.create_task(send())
        # Streamed into the store as it arrives: parts of it are there by now.
        await until(lambda: sent > 16 * MB, "the upload to be well on its way")
        process.kill()
        process.wait()
        with contextlib.suppress(httpx.TransportError):
            await sending

    async with _server(settings, env):
        pass  # a start sweeps its scratch folder; the store holds nothing complete
    assert list((settings.media_root / ".tmp").glob("*.part")) == []
    assert _stored(object_store, prefix) == []
    assert not await Media.exists()
