"""The storage interface, as any backend must honour it.

Every test but the last two speaks only :class:`cms.files.storage.Storage`, and runs on the
local disk and on a real S3-compatible server (SeaweedFS, started by the test session).
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cms.files.multipart import StoredUpload
from cms.files.s3 import S3Storage
from cms.files.storage import CHUNK_BYTES, InvalidKey, LocalStorage, Storage

BACKENDS = ["local", "s3"]
CDN = "https://cdn.example/media/"


@pytest.fixture(params=BACKENDS)
async def storage(request, tmp_path) -> Storage:
    if request.param == "local":
        local = LocalStorage(tmp_path / "media", CDN)
        await local.start()
        return local
    server = request.getfixturevalue("object_store")
    remote = S3Storage(
        server.new_location(),
        tmp_path / "scratch",
        endpoint=server.endpoint,
        access_key_id=server.access_key,
        secret_access_key=server.secret_key,
        base_url=CDN,
    )
    await remote.start()
    return remote


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def read_all(storage: Storage, key: str, start: int = 0, end: int | None = None) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key, start, end)])


async def committed(storage: Storage, content: bytes) -> tuple[str, Path]:
    """``content`` in a scratch file, committed; its key and the scratch file."""
    temp = storage.temp_path()
    temp.write_bytes(content)
    upload = StoredUpload("a.bin", "", temp, len(content), hashlib.sha256(content).hexdigest())
    return await storage.commit(upload), temp


async def received(storage: Storage, *parts: bytes) -> StoredUpload:
    """``parts`` as a request brings them, to where the storage receives an upload."""
    upload = StoredUpload("upload.bin", "", storage.temp_path())
    incoming = await storage.receive(upload)
    digest = hashlib.sha256()
    for part in parts:
        await incoming.write(part)
        digest.update(part)
        upload.size += len(part)
    await incoming.close()
    upload.sha256 = digest.hexdigest()
    return upload


async def test_a_commit_stores_the_bytes_under_their_hash(storage) -> None:
    content = b"une photo de vacances"
    key, temp = await committed(storage, content)
    digest = hashlib.sha256(content).hexdigest()
    assert key == f"blobs/{digest[:2]}/{digest}"
    assert temp.read_bytes() == content  # its maker removes it, once the file is recorded
    assert await read_all(storage, key) == content
    stored = await storage.stat(key)
    assert stored is not None
    assert (stored.key, stored.size) == (key, len(content))
    assert stored.etag.startswith('"') and stored.etag.endswith('"')
    assert await storage.exists(key)
    assert storage.url(key) == CDN + key


async def test_the_same_bytes_are_stored_once(storage) -> None:
    first, _ = await committed(storage, b"deux fois")
    second, _ = await committed(storage, b"deux fois")
    assert first == second
    assert [stored.key async for stored in storage.list("blobs")] == [first]
    assert await read_all(storage, first) == b"deux fois"
    await storage.delete(first)
    assert not await storage.exists(first)
    assert await storage.stat(first) is None
    await storage.delete(first)  # deleting what is gone is no error


async def test_a_write_is_all_or_nothing(storage) -> None:
    await storage.write("docs/programme.pdf", chunks(b"%PDF-1.4 ", b"version 1"))
    assert await read_all(storage, "docs/programme.pdf") == b"%PDF-1.4 version 1"

    async def broken() -> AsyncIterator[bytes]:
        yield b"%PDF-1.4 half of version 2"
        raise ConnectionResetError("the source went away")

    with pytest.raises(ConnectionResetError):
        await storage.write("docs/programme.pdf", broken())
    assert await read_all(storage, "docs/programme.pdf") == b"%PDF-1.4 version 1"
    with pytest.raises(ConnectionResetError):
        await storage.write("docs/new.pdf", broken())
    assert not await storage.exists("docs/new.pdf")


async def test_replacing_a_file_changes_its_etag(storage) -> None:
    await storage.write("a.txt", chunks(b"first"))
    before = await storage.stat("a.txt")
    temp = storage.temp_path()
    temp.write_bytes(b"second, longer")
    await storage.put("a.txt", temp)
    after = await storage.stat("a.txt")
    assert before is not None and after is not None
    assert after.size == len(b"second, longer") and after.etag != before.etag
    assert await read_all(storage, "a.txt") == b"second, longer"


@pytest.mark.parametrize(
    "key", ["../outside", "renditions/../../outside", "/etc/passwd", "blobs/a\0b"]
)
async def test_a_key_escaping_the_store_is_refused(storage, key) -> None:
    with pytest.raises(InvalidKey):
        await storage.stat(key)
    with pytest.raises(InvalidKey):
        await storage.write(key, chunks(b"x"))
    with pytest.raises(InvalidKey):
        await read_all(storage, key)
    with pytest.raises(InvalidKey):
        await storage.delete(key)
    with pytest.raises(InvalidKey):
        await storage.delete_prefix(key)
    with pytest.raises(InvalidKey):
        storage.url(key)
    with pytest.raises(InvalidKey):
        async with storage.local_file(key):
            pass


async def test_byte_ranges_are_read_in_chunks(storage) -> None:
    content = bytes(range(256)) * (3 * CHUNK_BYTES // 256 + 7)
    await storage.write("big.bin", chunks(content))
    assert await read_all(storage, "big.bin") == content
    assert await read_all(storage, "big.bin", 10, 20) == content[10:20]
    middle = (CHUNK_BYTES - 5, 2 * CHUNK_BYTES + 9)
    assert await read_all(storage, "big.bin", *middle) == content[middle[0] : middle[1]]
    assert await read_all(storage, "big.bin", len(content) - 3) == content[-3:]
    assert await read_all(storage, "big.bin", 5, len(content) + 100) == content[5:]
    assert await read_all(storage, "big.bin", 7, 7) == b""
    sizes = [len(chunk) async for chunk in storage.read("big.bin")]
    assert max(sizes) <= CHUNK_BYTES  # streamed, never whole in memory


async def test_deleting_a_prefix_keeps_its_neighbours(storage) -> None:
    for key in ("renditions/ab/abc/w320.webp", "renditions/ab/abc/full.png"):
        await storage.write(key, chunks(b"rendition"))
    await storage.write("renditions/ab/abcd/w320.webp", chunks(b"another image's"))
    await storage.delete_prefix("renditions/ab/abc")
    assert not await storage.exists("renditions/ab/abc/w320.webp")
    assert not await storage.exists("renditions/ab/abc/full.png")
    assert await storage.exists("renditions/ab/abcd/w320.webp")
    await storage.delete_prefix("renditions/ab/abc")  # nothing left: no error


async def test_a_folder_of_files_is_kept_under_a_prefix(storage) -> None:
    async with storage.scratch_folder() as folder:
        (folder / "full.webp").write_bytes(b"full size")
        (folder / "w320.webp").write_bytes(b"small")
        keys = await storage.put_folder("renditions/cd/cdef", folder)
    assert not folder.exists()
    assert keys == ["renditions/cd/cdef/full.webp", "renditions/cd/cdef/w320.webp"]
    assert await read_all(storage, keys[1]) == b"small"


async def test_a_local_file_is_lent_for_a_block(storage) -> None:
    key, _ = await committed(storage, b"\x89PNG an original")
    async with storage.local_file(key) as path:
        assert path.read_bytes() == b"\x89PNG an original"
    with pytest.raises(FileNotFoundError):
        async with storage.local_file("blobs/00/missing"):
            pass


async def test_local_scratch_files_share_the_media_roots_filesystem(tmp_path) -> None:
    storage = LocalStorage(tmp_path / "media")
    temp = storage.temp_path()
    assert temp.parent == tmp_path / "media" / ".tmp"  # a rename into place stays atomic
    assert storage.url("blobs/ab/abc") == "/media/blobs/ab/abc"  # served by this server


async def test_a_start_sweeps_what_a_crash_left_behind(tmp_path) -> None:
    storage = LocalStorage(tmp_path / "media")
    storage.temp_path().write_bytes(b"half an upload")
    async with storage.scratch_folder() as folder:
        (folder / "w320.webp").write_bytes(b"half a rendition")
        crashed = LocalStorage(tmp_path / "media")
        await crashed.start()
    assert list((tmp_path / "media" / ".tmp").iterdir()) == []


async def test_a_prefix_lists_its_files_only(storage) -> None:
    for key in ("renditions/ab/abc/w320.webp", "renditions/ab/abc/full.png", "blobs/ab/abc"):
        await storage.write(key, chunks(b"some bytes"))
    listed = sorted([stored async for stored in storage.list("renditions")], key=lambda s: s.key)
    assert [(stored.key, stored.size) for stored in listed] == [
        ("renditions/ab/abc/full.png", 10),
        ("renditions/ab/abc/w320.webp", 10),
    ]
    assert listed[0].etag == (await storage.stat("renditions/ab/abc/full.png")).etag
    assert [stored async for stored in storage.list("nothing")] == []
    with pytest.raises(InvalidKey):
        [stored async for stored in storage.list("../outside")]


async def test_an_upload_is_received_as_it_arrives_then_kept_under_its_hash(storage) -> None:
    parts = [bytes([n]) * (700 * 1024) for n in range(12)]  # 8.4 MB: several parts
    upload = await received(storage, *parts)
    key = await storage.commit(upload)
    assert key == f"blobs/{upload.sha256[:2]}/{upload.sha256}"
    assert await read_all(storage, key) == b"".join(parts)
    if isinstance(storage, S3Storage):
        # Streamed into the store as it came: nothing of it was written to the local disk.
        assert not upload.temp_path.exists()
        assert upload.staged is not None and await storage.exists(upload.staged)
        assert upload.probe == b"".join(parts)[: len(upload.probe)] and upload.probe
    await storage.discard(upload)
    assert not upload.temp_path.exists()
    if upload.staged is not None:
        assert not await storage.exists(upload.staged)
    assert await read_all(storage, key) == b"".join(parts)  # kept


async def test_an_upload_cut_short_leaves_nothing(storage) -> None:
    upload = StoredUpload("upload.bin", "", storage.temp_path())
    incoming = await storage.receive(upload)
    await incoming.write(b"half of it" * 1000)
    await incoming.abort()
    await storage.discard(upload)
    assert not upload.temp_path.exists()
    assert [stored async for stored in storage.list("incoming")] == []
    assert [stored async for stored in storage.list("blobs")] == []
