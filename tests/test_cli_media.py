"""``cms media migrate`` moves a local media root into a real object store (SeaweedFS),
resumably; ``cms media sweep`` deletes stored bytes no file uses, once they are old enough."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from datetime import timedelta

import httpx
import obstore
import pytest

from cms.app import build_worker, create_app
from cms.files.storage import LocalStorage, from_settings
from cms.models import Role
from cms.services import media
from tests.auth import caller
from tests.media.test_uploads import PREFLIGHT, leftovers, png

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id sha256 } } }"
DETAILS = "query($id: ID!) { media(id: $id) { url } }"


def cms(settings, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", "media", *args],
        env={
            **os.environ,
            "CMS_DATABASE_URL": settings.database_url,
            "CMS_MEDIA_ROOT": str(settings.media_root),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _upload(client, content: bytes, name: str) -> dict:
    editor = await caller(client, Role.EDITOR)
    files = {
        "operations": (None, json.dumps({"query": UPLOAD, "variables": {"file": None}})),
        "map": (None, json.dumps({"0": ["variables.file"]})),
        "0": (name, content, "image/png"),
    }
    response = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    return response.json()["data"]["uploadMedia"]["media"]


def _in_bucket(object_store, prefix: str) -> list[str]:
    listed = obstore.list(object_store.client(), prefix=f"{prefix}/").collect()
    return sorted(meta["path"].removeprefix(f"{prefix}/") for meta in listed)


async def test_a_local_media_root_moves_into_the_store_resumably(
    client, settings, object_store
) -> None:
    uploaded = await _upload(client, png(120, 80), "terrasse.png")
    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    local = [key for key in leftovers(settings.media_root) if not key.startswith(".tmp")]
    assert len(local) >= 3  # the original and its renditions
    location = object_store.new_location()
    target = f"s3://{location.bucket}/{location.prefix}"
    credentials = {
        key: value
        for key, value in object_store.env(location).items()
        if key != "CMS_MEDIA_STORAGE"
    }

    first = cms(settings, "migrate", "--to", target, **credentials)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{len(local)} files copied")
    assert f"Set CMS_MEDIA_STORAGE={target}" in first.stdout
    assert f"[{len(local)}] " in first.stderr  # progress, file by file
    assert _in_bucket(object_store, location.prefix) == local

    again = cms(settings, "migrate", "--to", target, **credentials)
    assert again.stdout.startswith(f"0 files copied (0.0 MB), {len(local)} already there.")
    # An interrupted run goes on from where it stopped: only what is missing is sent.
    obstore.delete(object_store.client(), f"{location.prefix}/{local[0]}")
    resumed = cms(settings, "migrate", "--to", target, **credentials)
    assert resumed.stdout.startswith("1 files copied")
    assert _in_bucket(object_store, location.prefix) == local

    # The site, pointed at the store, serves what it served from the disk.
    in_store = dataclasses.replace(
        settings,
        media_storage=target,
        s3_endpoint=object_store.endpoint,
        s3_access_key_id=object_store.access_key,
        s3_secret_access_key=object_store.secret_key,
    )
    editor = await caller(client, Role.EDITOR)
    url = (await editor.data(DETAILS, id=uploaded["id"]))["media"]["url"]
    from_disk = await client.get(url)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(in_store, manage_database=False)),
        base_url="http://cinq.test",
    ) as remote:
        from_store = await remote.get(url)
    assert from_store.status_code == 200 and from_store.content == from_disk.content

    refused = cms(settings, "migrate", "--to", target, **object_store.env(location))
    assert refused.returncode == 2
    assert "migrate copies a local media root" in refused.stderr
    bad = cms(settings, "migrate", "--to", "s3:/nowhere", **credentials)
    assert bad.returncode == 2 and "--to: CMS_MEDIA_STORAGE" in bad.stderr


@pytest.mark.parametrize("where", ["local", "s3"])
async def test_a_sweep_deletes_old_bytes_no_file_uses(
    client, settings, object_store, where
) -> None:
    if where == "s3":
        location = object_store.new_location()
        settings = dataclasses.replace(
            settings,
            media_storage=f"s3://{location.bucket}/{location.prefix}",
            s3_endpoint=object_store.endpoint,
            s3_access_key_id=object_store.access_key,
            s3_secret_access_key=object_store.secret_key,
        )
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, manage_database=False)),
            base_url="http://cinq.test",
        )
    storage = from_settings(settings)
    kept = await _upload(client, png(30, 20), "gardee.png")
    # What a process stopped between storing an upload and recording it leaves behind.
    orphan = hashlib.sha256(b"never recorded").hexdigest()

    async def once(data: bytes):
        yield data

    for key in (
        f"blobs/{orphan[:2]}/{orphan}",
        f"renditions/{orphan[:2]}/{orphan}/w320.webp",
        "incoming/0123456789abcdef",  # an upload streamed in, never recorded
    ):
        await storage.write(key, once(b"never recorded"))

    assert await media.sweep(storage, timedelta(minutes=60)) == 0  # too young to tell
    assert await storage.exists(f"blobs/{orphan[:2]}/{orphan}")
    assert await media.sweep(storage, timedelta(0)) == 1
    assert not await storage.exists(f"blobs/{orphan[:2]}/{orphan}")
    assert not await storage.exists(f"renditions/{orphan[:2]}/{orphan}/w320.webp")
    assert not await storage.exists("incoming/0123456789abcdef")
    digest = kept["sha256"]
    assert await storage.exists(f"blobs/{digest[:2]}/{digest}")

    env = object_store.env(location) if where == "s3" else {}
    said = cms(settings, "sweep", "--grace-minutes", "0", **env)
    assert said.returncode == 0, said.stderr
    assert said.stdout == "0 unused original(s) deleted, with their renditions.\n"
    if where == "s3":
        await client.aclose()
