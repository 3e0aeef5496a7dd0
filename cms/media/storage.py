"""Where uploaded bytes live: a narrow interface, and the local-disk implementation.

Files are content-addressed (``blobs/ab/abcdef…`` by SHA-256), so the same bytes are stored
once however many media rows use them. Bytes first stream into a temporary file inside the
media root (``.tmp/``), are flushed to disk, then moved into place with an atomic rename on
the same filesystem: a reader never sees half a file, and a crash leaves only a ``.part`` file,
swept at the next start.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from typing import Protocol

import aiofiles
import aiofiles.os


class Storage(Protocol):
    def temp_path(self) -> Path: ...
    async def commit(self, temp: Path, sha256: str) -> str: ...
    async def delete(self, key: str) -> None: ...
    async def delete_tree(self, prefix: str) -> None: ...
    def path(self, key: str) -> Path: ...


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / ".tmp"
        self._tmp_ready = False

    async def start(self) -> None:
        """Create the folders and sweep temporary files a crash left behind."""
        await aiofiles.os.makedirs(self.tmp, exist_ok=True)
        self._tmp_ready = True
        for leftover in await asyncio.to_thread(lambda: list(self.tmp.glob("*.part"))):
            await aiofiles.os.remove(leftover)

    def temp_path(self) -> Path:
        if not self._tmp_ready:
            self.tmp.mkdir(parents=True, exist_ok=True)
            self._tmp_ready = True
        return self.tmp / f"{uuid.uuid4().hex}.part"

    async def commit(self, temp: Path, sha256: str) -> str:
        """Move a complete temporary file to its content address; return its key."""
        key = f"blobs/{sha256[:2]}/{sha256}"
        target = self.path(key)
        await aiofiles.os.makedirs(target.parent, exist_ok=True)
        if await aiofiles.os.path.exists(target):
            await aiofiles.os.remove(temp)  # the same bytes are already stored
        else:
            await asyncio.to_thread(_fsync, temp)
            await aiofiles.os.replace(temp, target)
            await asyncio.to_thread(fsync_dir, target.parent)
        return key

    async def delete(self, key: str) -> None:
        path = self.path(key)
        if await aiofiles.os.path.exists(path):
            await aiofiles.os.remove(path)

    async def delete_tree(self, prefix: str) -> None:
        path = self.path(prefix)
        if await aiofiles.os.path.isdir(path):
            await asyncio.to_thread(shutil.rmtree, path, True)

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key escapes the media root: {key!r}")
        return path


def _fsync(path: Path) -> None:
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
