"""Stored files in an S3-compatible object store (AWS S3, SeaweedFS, MinIO, R2…), behind the
same :class:`~cms.files.storage.Storage` as the local disk.

Keys live under a prefix of one bucket (``s3://bucket/prefix`` names both). Every object is
written whole by the store itself (a multipart upload is completed at once, or not at all),
so a reader never sees part of a file. A request's upload streams straight into a multipart
upload to a staging key (:data:`STAGING`), in parts of :data:`PART_BYTES`, a few at a time,
so memory stays the same whatever the file's size; its content address is known only at its
end, and the store then copies the staging object there itself. Renditions are made in a
local scratch folder and sent file by file.

The store's own ETag is a strong validator (it changes whenever the object is replaced), so
answers proxied by Cinq keep their 304s and Range requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import shutil
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiofiles
import aiofiles.os

from cms.files.storage import CHUNK_BYTES, Incoming, StoredFile, blob_key, check_key

if TYPE_CHECKING:
    from obstore import GetOptions

    from cms.files.multipart import StoredUpload

#: The size of each part of a multipart upload (S3's smallest but for the last).
PART_BYTES = 5 * 1024 * 1024
#: Parts in flight at once: memory for an upload is about PART_BYTES times this.
PARTS_AT_ONCE = 2
#: Keys deleted per request (S3 allows 1,000).
DELETE_BATCH = 1_000
#: Where uploads wait under their staging key until their content address is known.
STAGING = "incoming"
#: Chunks of a request waiting to be sent to the store, at most.
QUEUED_CHUNKS = 8
#: The first bytes of a streamed upload kept in memory: an image's size is read from them.
PROBE_BYTES = 1 << 20


@dataclass(frozen=True)
class S3Location:
    """Where the files live: ``s3://bucket/prefix``."""

    bucket: str
    prefix: str

    @classmethod
    def parse(cls, address: str) -> S3Location:
        parts = urlsplit(address)
        if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"{address!r} is not an address such as s3://bucket/prefix.")
        prefix = parts.path.strip("/")
        if prefix:
            check_key(prefix)
        return cls(parts.netloc, prefix)


def _store(
    location: S3Location, endpoint: str | None, region: str, key_id: str, secret: str
) -> Any:
    # Imported here: only a site whose media live in an object store needs the client.
    from obstore.store import S3Store

    options: dict[str, Any] = {"region": region}
    if endpoint:
        options["endpoint"] = endpoint
        options["virtual_hosted_style_request"] = False
        if endpoint.startswith("http://"):
            options["client_options"] = {"allow_http": True}
    if key_id:
        options |= {"access_key_id": key_id, "secret_access_key": secret}
    return S3Store(location.bucket, prefix=location.prefix or None, **options)


class S3Storage:
    """Files in an object store, served at ``base_url``: through this server (``/media/``,
    with the same headers as from a local disk) or by a CDN in front of the bucket."""

    def __init__(
        self,
        location: S3Location,
        scratch: Path,
        *,
        endpoint: str | None = None,
        region: str = "us-east-1",
        access_key_id: str = "",
        secret_access_key: str = "",
        base_url: str = "/media/",
    ) -> None:
        self.location = location
        self._store = _store(location, endpoint, region, access_key_id, secret_access_key)
        self._scratch = scratch
        self._base_url = base_url
        self._scratch_ready = False

    async def start(self) -> None:
        """Create the scratch folder and sweep what a crash left in it."""
        await aiofiles.os.makedirs(self._scratch, exist_ok=True)
        self._scratch_ready = True
        for leftover in await asyncio.to_thread(lambda: list(self._scratch.glob("*.part"))):
            await asyncio.to_thread(_remove, leftover)

    def temp_path(self) -> Path:
        if not self._scratch_ready:
            self._scratch.mkdir(parents=True, exist_ok=True)
            self._scratch_ready = True
        return self._scratch / f"{uuid.uuid4().hex}.part"

    async def receive(self, upload: StoredUpload) -> Incoming:
        upload.staged = f"{STAGING}/{uuid.uuid4().hex}"
        return _StreamedIncoming(self._store, upload)

    async def commit(self, upload: StoredUpload) -> str:
        import obstore

        key = blob_key(upload.sha256)
        if not await self.exists(key):
            if upload.staged is not None:
                # The store copies its own object: no byte travels through this process.
                await obstore.copy_async(self._store, upload.staged, key)
            else:
                await self._send(key, upload.temp_path)
        return key

    async def discard(self, upload: StoredUpload) -> None:
        if upload.staged is not None:
            await self.delete(upload.staged)
        await asyncio.to_thread(upload.temp_path.unlink, missing_ok=True)

    async def put(self, key: str, temp: Path) -> None:
        try:
            await self._send(key, temp)
        finally:
            await asyncio.to_thread(_remove, temp)

    async def _send(self, key: str, path: Path) -> None:
        import obstore

        await obstore.put_async(
            self._store,
            check_key(key),
            path,
            attributes=_attributes(key),
            chunk_size=PART_BYTES,
            max_concurrency=PARTS_AT_ONCE,
        )

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        import obstore

        check_key(key)
        # A stream that ends within one part goes in one request; a longer one as a
        # multipart upload, which the store completes only once every part is in.
        stream = aiter(chunks)
        head: list[bytes] = []
        size = 0
        async for chunk in stream:
            head.append(chunk)
            size += len(chunk)
            if size > PART_BYTES:
                break
        else:
            await obstore.put_async(
                self._store, key, b"".join(head), attributes=_attributes(key), use_multipart=False
            )
            return

        async def rest() -> AsyncIterator[bytes]:
            for chunk in head:
                yield chunk
            async for chunk in stream:
                yield chunk

        await obstore.put_async(
            self._store,
            key,
            rest(),
            attributes=_attributes(key),
            chunk_size=PART_BYTES,
            max_concurrency=PARTS_AT_ONCE,
        )

    @asynccontextmanager
    async def scratch_folder(self) -> AsyncIterator[Path]:
        folder = self.temp_path()
        await aiofiles.os.mkdir(folder)
        try:
            yield folder
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def put_folder(self, prefix: str, folder: Path) -> list[str]:
        check_key(prefix)
        keys = []
        for name in sorted(await aiofiles.os.listdir(folder)):
            key = f"{prefix}/{name}"
            await self.put(key, folder / name)
            keys.append(key)
        return keys

    async def stat(self, key: str) -> StoredFile | None:
        import obstore
        from obstore.exceptions import NotFoundError

        try:
            meta = await obstore.head_async(self._store, check_key(key))
        except (NotFoundError, FileNotFoundError):
            return None
        etag = meta["e_tag"] or f'"{meta["last_modified"].timestamp()}-{meta["size"]}"'
        return StoredFile(key, meta["size"], meta["last_modified"].timestamp(), etag)

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        import obstore

        if end is not None and end <= start:
            return
        options: GetOptions = {}
        if end is not None:
            options["range"] = (start, end)
        elif start:
            options["range"] = {"offset": start}
        result = await obstore.get_async(self._store, check_key(key), options=options)
        async for chunk in result.stream(min_chunk_size=CHUNK_BYTES):
            view = memoryview(chunk)  # the client's buffer, cut without a copy
            for at in range(0, len(view), CHUNK_BYTES):
                yield bytes(view[at : at + CHUNK_BYTES])

    @asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path]:
        if await self.stat(key) is None:
            raise FileNotFoundError(f"nothing is stored under {key!r}")
        path = self.temp_path()
        try:
            async with aiofiles.open(path, "wb") as out:
                async for chunk in self.read(key):
                    await out.write(chunk)
            yield path
        finally:
            await asyncio.to_thread(_remove, path)

    def url(self, key: str) -> str:
        return self._base_url + check_key(key)

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def list(self, prefix: str) -> AsyncIterator[StoredFile]:
        import obstore

        listing = obstore.list(self._store, prefix=f"{check_key(prefix)}/", chunk_size=1_000)
        async for objects in listing:
            for meta in objects:
                etag = meta["e_tag"] or f'"{meta["last_modified"].timestamp()}-{meta["size"]}"'
                yield StoredFile(
                    meta["path"], meta["size"], meta["last_modified"].timestamp(), etag
                )

    async def delete(self, key: str) -> None:
        import obstore

        # Deleting a missing object succeeds in S3: nothing to catch.
        await obstore.delete_async(self._store, check_key(key))

    async def delete_prefix(self, prefix: str) -> None:
        import obstore

        batch: list[str] = []
        listing = obstore.list(self._store, prefix=f"{check_key(prefix)}/", chunk_size=DELETE_BATCH)
        async for objects in listing:
            batch = [meta["path"] for meta in objects]
            if batch:
                await obstore.delete_async(self._store, batch)


class _StreamedIncoming:
    """An upload sent into a multipart upload to its staging key as the request brings it:
    the store gets it in parts while the rest is still on its way, and this process holds a
    few chunks at a time (:data:`QUEUED_CHUNKS`) besides the part being sent. The first
    :data:`PROBE_BYTES` are kept too (``upload.probe``), where an image's size is read."""

    def __init__(self, store: Any, upload: StoredUpload) -> None:
        import obstore

        self._upload = upload
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUED_CHUNKS)

        async def chunks() -> AsyncIterator[bytes]:
            while (chunk := await self._queue.get()) is not None:
                yield chunk

        assert upload.staged is not None
        self._sending = asyncio.ensure_future(
            obstore.put_async(
                store,
                upload.staged,
                chunks(),
                chunk_size=PART_BYTES,
                max_concurrency=PARTS_AT_ONCE,
            )
        )

    async def write(self, data: bytes) -> None:
        if len(self._upload.probe) < PROBE_BYTES:
            self._upload.probe += data[: PROBE_BYTES - len(self._upload.probe)]
        await self._hand_over(data)

    async def close(self) -> None:
        await self._hand_over(None)
        await self._sending

    async def _hand_over(self, item: bytes | None) -> None:
        """Queue ``item`` for the sender, waiting while the store is slower than the request
        (memory stays flat); the sender's failure, if it stopped, is raised here."""
        if self._sending.done():
            self._sending.result()  # the store refused: say why
            raise RuntimeError("the upload to the store ended early")
        put = asyncio.ensure_future(self._queue.put(item))
        await asyncio.wait([put, self._sending], return_when=asyncio.FIRST_COMPLETED)
        if not put.done():
            put.cancel()
            self._sending.result()
            raise RuntimeError("the upload to the store ended early")

    async def abort(self) -> None:
        self._sending.cancel()
        with contextlib.suppress(BaseException):
            await self._sending


def _attributes(key: str) -> dict[str, str]:
    """What the store answers with when it serves ``key`` itself (a CDN in front of the
    bucket): a rendition's type, and the immutable caching its content address allows.
    Originals (``blobs/``) are private and carry neither."""
    if not key.startswith("renditions/"):
        return {}
    kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return {"Content-Type": kind, "Cache-Control": "public, max-age=31536000, immutable"}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
