"""Where uploaded bytes live: the storage interface, and the local-disk implementation.

Callers name stored files by key (``blobs/ab/abcdef…``, ``renditions/ab/abcdef…/w320.webp``),
never by filesystem path, so that an object store can later stand in for the local disk behind
the same :class:`Storage`. Stored bytes are read as streamed byte ranges with the metadata an
HTTP answer needs (:class:`StoredFile`), and written whole: a reader never sees half a file.
Work that needs a real file (Pillow decoding an original) borrows one with
:meth:`Storage.local_file`, for the length of a ``with`` block.

Bytes on their way in (an upload, a copy) first go to a local scratch file, :meth:`temp_path`;
committing it stores its bytes under their SHA-256, so the same bytes are stored once however
many media rows use them. :class:`LocalStorage` keeps its scratch files in the media root's
``.tmp/`` (the same filesystem, so storing one is a rename, or a hard link for a commit, made
at once), flushes every file to disk before it is put in place and makes the new name
durable; a crash leaves only ``.part`` files and scratch folders, swept at the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import stat
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import aiofiles
import aiofiles.os

if TYPE_CHECKING:
    from cms.files.multipart import StoredUpload
    from cms.files.s3 import S3Storage
    from cms.settings import Settings

#: The scratch folder inside a local media root: hidden, so never site content.
TEMP_FOLDER = ".tmp"
#: Bytes read at a time when a stored file is streamed.
CHUNK_BYTES = 64 * 1024


class InvalidKey(ValueError):
    """A key that can name no stored file: it leads outside the store, or holds a NUL."""


@dataclass(frozen=True)
class StoredFile:
    """What answering for a stored file needs before its bytes: its size, when it was last
    written (``Last-Modified``) and a strong ETag (quoted) that changes whenever it is."""

    key: str
    size: int
    modified: float
    etag: str


class Incoming(Protocol):
    """Where an upload's bytes go as they arrive (:meth:`Storage.receive`)."""

    async def write(self, data: bytes) -> None: ...

    async def close(self) -> None:
        """Every byte was written: they are complete where they went."""
        ...

    async def abort(self) -> None:
        """The upload stopped: nothing of it is kept."""
        ...


class Storage(Protocol):
    """Stored files by key: read in ranges, written whole, deleted by key or prefix.

    Keys are relative, ``/``-separated names; one that would lead outside the store, or holds
    a NUL, raises :class:`InvalidKey` wherever a key is taken.
    """

    def temp_path(self) -> Path:
        """A new local scratch file for bytes on their way in. :meth:`commit` or :meth:`put`
        keeps it; whoever made it deletes it otherwise."""
        ...

    async def receive(self, upload: StoredUpload) -> Incoming:
        """Where ``upload``'s bytes go as a request brings them: its scratch file
        (``upload.temp_path``), or, in an object store, straight into a multipart upload to
        a temporary key (``upload.staged``)."""
        ...

    async def commit(self, upload: StoredUpload) -> str:
        """Store a complete upload's bytes under their content address (``upload.sha256``),
        unless they are there already; return the key. The upload's scratch file or staged
        object stays, for :meth:`discard` once the file is recorded (the bytes may have to
        be stored again meanwhile: see :func:`cms.services.media.store`)."""
        ...

    async def discard(self, upload: StoredUpload) -> None:
        """Delete what an upload left on its way in: its scratch file, its staged object."""
        ...

    async def put(self, key: str, temp: Path) -> None:
        """Keep a complete scratch file under ``key``, replacing what was there."""
        ...

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        """Store the streamed bytes under ``key``, replacing what was there; nothing is
        stored when the stream fails."""
        ...

    def scratch_folder(self) -> AbstractAsyncContextManager[Path]:
        """A new, empty local folder for files made together, deleted on leaving."""
        ...

    async def put_folder(self, prefix: str, folder: Path) -> list[str]:
        """Keep every file of a local folder under ``prefix/NAME``, each one whole (a reader
        sees the old file or the new one, never part of one); return the keys."""
        ...

    async def stat(self, key: str) -> StoredFile | None:
        """The stored file under ``key``, or None when there is none."""
        ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of ``key`` from offset ``start`` up to (not including) ``end``, in
        chunks; to the end of the file when ``end`` is None."""
        ...

    def local_file(self, key: str) -> AbstractAsyncContextManager[Path]:
        """A local, readable file holding the bytes of ``key``, valid inside the block only
        (the stored file itself on a local disk, a downloaded copy elsewhere);
        ``FileNotFoundError`` when there is none."""
        ...

    def url(self, key: str) -> str:
        """The public address of ``key``."""
        ...

    async def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> AsyncIterator[StoredFile]:
        """Every stored file whose key starts with ``prefix/``, in no set order."""
        ...

    async def delete(self, key: str) -> None:
        """Delete ``key``; nothing happens when there is no such file."""
        ...

    async def delete_prefix(self, prefix: str) -> None:
        """Delete every file whose key starts with ``prefix/``."""
        ...


class LocalStorage:
    """Files under a media root on the local disk, served by this server at ``base_url``
    (``/media/``) unless a CDN in front of it is named instead."""

    def __init__(self, root: Path, base_url: str = "/media/") -> None:
        self._root = root
        self._tmp = root / TEMP_FOLDER
        self._base_url = base_url
        self._tmp_ready = False

    async def start(self) -> None:
        """Create the folders and sweep the scratch files and folders a crash left behind."""
        await aiofiles.os.makedirs(self._tmp, exist_ok=True)
        self._tmp_ready = True
        for leftover in await asyncio.to_thread(lambda: list(self._tmp.glob("*.part"))):
            if await aiofiles.os.path.isdir(leftover):
                await asyncio.to_thread(shutil.rmtree, leftover, True)
            else:
                await aiofiles.os.remove(leftover)

    def temp_path(self) -> Path:
        if not self._tmp_ready:
            self._tmp.mkdir(parents=True, exist_ok=True)
            self._tmp_ready = True
        return self._tmp / f"{uuid.uuid4().hex}.part"

    async def receive(self, upload: StoredUpload) -> Incoming:
        return FileIncoming(upload.temp_path)

    async def commit(self, upload: StoredUpload) -> str:
        key = blob_key(upload.sha256)
        if not await self.exists(key):
            target = self._path(key)
            await aiofiles.os.makedirs(target.parent, exist_ok=True)
            await asyncio.to_thread(fsync_file, upload.temp_path)
            # A second name for the scratch file's bytes, made at once (same filesystem).
            with contextlib.suppress(FileExistsError):  # the same bytes, stored meanwhile
                await asyncio.to_thread(os.link, upload.temp_path, target)
            await asyncio.to_thread(fsync_dir, target.parent)
        return key

    async def discard(self, upload: StoredUpload) -> None:
        await asyncio.to_thread(upload.temp_path.unlink, missing_ok=True)

    async def put(self, key: str, temp: Path) -> None:
        target = self._path(key)
        await aiofiles.os.makedirs(target.parent, exist_ok=True)
        await asyncio.to_thread(fsync_file, temp)
        await aiofiles.os.replace(temp, target)
        await asyncio.to_thread(fsync_dir, target.parent)

    async def write(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        self._path(key)  # a key escaping the root is refused before a byte is written
        temp = self.temp_path()
        try:
            async with aiofiles.open(temp, "wb") as out:
                async for chunk in chunks:
                    await out.write(chunk)
            await self.put(key, temp)
        finally:
            if await aiofiles.os.path.exists(temp):
                await aiofiles.os.remove(temp)

    @asynccontextmanager
    async def scratch_folder(self) -> AsyncIterator[Path]:
        folder = self.temp_path()
        await aiofiles.os.mkdir(folder)
        try:
            yield folder
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def put_folder(self, prefix: str, folder: Path) -> list[str]:
        target = self._path(prefix)
        await aiofiles.os.makedirs(target, exist_ok=True)
        names = sorted(await aiofiles.os.listdir(folder))
        keys = []
        for name in names:
            key = f"{prefix}/{name}"
            source, destination = folder / name, self._path(key)
            await asyncio.to_thread(fsync_file, source)
            await aiofiles.os.replace(source, destination)
            keys.append(key)
        await asyncio.to_thread(fsync_dir, target)
        return keys

    async def stat(self, key: str) -> StoredFile | None:
        try:
            status = await aiofiles.os.stat(self._path(key))
        except OSError:  # no such file, or a name no file can have (too long)
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        return StoredFile(key, status.st_size, status.st_mtime, _etag(status))

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        async with aiofiles.open(self._path(key), "rb") as source:
            await source.seek(start)
            remaining = None if end is None else end - start
            while remaining is None or remaining > 0:
                size = CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining)
                chunk = await source.read(size)
                if not chunk:
                    return
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    @asynccontextmanager
    async def local_file(self, key: str) -> AsyncIterator[Path]:
        path = self._path(key)
        if await self.stat(key) is None:
            raise FileNotFoundError(f"nothing is stored under {key!r}")
        yield path

    def url(self, key: str) -> str:
        return self._base_url + check_key(key)

    async def exists(self, key: str) -> bool:
        return await self.stat(key) is not None

    async def list(self, prefix: str) -> AsyncIterator[StoredFile]:
        folder = self._path(prefix)
        if folder == self._root.resolve():
            raise InvalidKey("list a prefix of the store, not all of it")
        root = self._root.resolve()
        paths = await asyncio.to_thread(_files_under, folder)
        for path in sorted(paths):
            try:
                status = await aiofiles.os.stat(path)
            except OSError:
                continue  # deleted meanwhile
            key = path.relative_to(root).as_posix()
            yield StoredFile(key, status.st_size, status.st_mtime, _etag(status))

    async def delete(self, key: str) -> None:
        path = self._path(key)
        if await aiofiles.os.path.isfile(path):
            await aiofiles.os.remove(path)

    async def delete_prefix(self, prefix: str) -> None:
        path = self._path(prefix)
        if path != self._root.resolve() and await aiofiles.os.path.isdir(path):
            await asyncio.to_thread(shutil.rmtree, path, True)

    def _path(self, key: str) -> Path:
        """Where ``key`` lives under the root; a key leading elsewhere is refused."""
        return resolve_key(self._root, key)


def from_settings(settings: Settings) -> LocalStorage | S3Storage:
    """The storage ``CMS_MEDIA_STORAGE`` names: the local media root, or an object store
    (whose scratch files then go to the media root's scratch folder)."""
    if settings.media_storage == "local":
        return LocalStorage(settings.media_root, settings.media_url)
    from cms.files.s3 import S3Location, S3Storage

    return S3Storage(
        S3Location.parse(settings.media_storage),
        settings.media_root / TEMP_FOLDER,
        endpoint=settings.s3_endpoint,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        base_url=settings.media_url,
    )


class FileIncoming:
    """An upload written to a local scratch file as it arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: Any = None

    async def write(self, data: bytes) -> None:
        if self._handle is None:
            self._handle = await aiofiles.open(self.path, "wb")
        await self._handle.write(data)

    async def close(self) -> None:
        if self._handle is None:  # an empty file
            self._handle = await aiofiles.open(self.path, "wb")
        await self._handle.close()

    async def abort(self) -> None:
        if self._handle is not None:
            await self._handle.close()
        await asyncio.to_thread(self.path.unlink, missing_ok=True)


def blob_key(sha256: str) -> str:
    """Where the bytes with this SHA-256 are stored: their content address."""
    return f"blobs/{sha256[:2]}/{sha256}"


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def check_key(key: str) -> str:
    """``key``, when it is a name no store could read outside itself: relative,
    ``/``-separated, with no empty, ``.`` or ``..`` part, no backslash and no NUL. It looks at
    the name only (no file is touched), so it is cheap enough for every URL of a page."""
    parts = key.split("/")
    if "\0" in key or "\\" in key or any(part in ("", ".", "..") for part in parts):
        raise InvalidKey(f"not a storage key: {key!r}")
    return key


def resolve_key(root: Path, key: str) -> Path:
    """The file ``key`` names under the local media ``root``: :class:`InvalidKey` when it
    would lead outside it (``..``, an absolute key, a link out) or holds a NUL."""
    if "\0" in key:
        raise InvalidKey(f"a storage key cannot hold a NUL: {key!r}")
    path = (root / key).resolve()
    if not path.is_relative_to(root.resolve()):
        raise InvalidKey(f"storage key escapes the media root: {key!r}")
    return path


def _etag(status: os.stat_result) -> str:
    """A validator that changes when the file is replaced: from its time and size, as web
    servers make them (a rename brings a new modification time)."""
    base = f"{status.st_mtime}-{status.st_size}"
    return '"' + hashlib.md5(base.encode(), usedforsecurity=False).hexdigest() + '"'


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to disk, so that a rename cannot outlive them in a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make the renames in folder ``path`` durable (a crash cannot undo them)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
