"""The media root's side of an archive: which files an export takes, and placing them back.

An archive holds a local media root (:class:`cms.files.storage.LocalStorage`) file for file, so
this module works on that folder directly, in worker threads, with the storage's own rules:
keys resolved by :func:`cms.files.storage.resolve_key`, scratch files in its scratch folder,
renames made durable with :func:`cms.files.storage.fsync_dir`.

An export takes every regular file under the media root except hidden ones, and never follows
a link. A restore streams each file to a scratch file inside the media root, checks it and
renames it into place, keeping a list of what it placed so that a failed restore removes it
all again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tarfile
import threading
from pathlib import Path

from cms.files.storage import InvalidKey, LocalStorage, fsync_dir, resolve_key
from cms.transfer.archive.manifest import (
    COPY_BYTES,
    MEDIA,
    ArchiveError,
    MediaEntry,
    Progress,
    check_media_path,
)
from cms.transfer.archive.verification import Verified


def media_files(root: Path) -> list[str]:
    """Relative paths of the regular files under ``root``, sorted. Hidden files and folders
    (the scratch folder ``.tmp``, a ``.gitkeep``) are not site content, and links are not
    followed: the storage writes neither."""
    found: list[str] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            path = here / name
            if name.startswith(".") or not stat.S_ISREG(path.lstat().st_mode):
                continue
            relative = path.relative_to(root).as_posix()
            try:
                relative.encode()
                check_media_path(relative)
            except (UnicodeError, ArchiveError):
                raise ArchiveError(
                    f"The media file {relative!r} has a name an archive cannot hold: "
                    "rename or remove it, then export again."
                ) from None
            found.append(relative)
    return sorted(found)


def hash_media(root: Path, report: Progress) -> dict[str, MediaEntry]:
    paths = media_files(root)
    entries: dict[str, MediaEntry] = {}
    for done, relative in enumerate(paths, 1):
        digest = hashlib.sha256()
        size = 0
        with (root / relative).open("rb") as source:
            while chunk := source.read(COPY_BYTES):
                digest.update(chunk)
                size += len(chunk)
        entries[relative] = MediaEntry(sha256=digest.hexdigest(), bytes=size)
        report(MEDIA.rstrip("/"), done, len(paths))
    return entries


class Placed:
    """Media files and folders a restore created, to remove if it fails.

    The files are placed in a worker thread, which a cancelled restore does not stop: once
    :meth:`remove` has run, the thread places nothing more.
    """

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []
        self.lock = threading.Lock()
        self.removed = False

    def place(self, temp: Path, target: Path, root: Path) -> None:
        with self.lock:
            if self.removed:
                raise ArchiveError("The restore was stopped.")
            missing = []
            folder = target.parent
            while not folder.exists() and folder != root:
                missing.append(folder)
                folder = folder.parent
            for folder in reversed(missing):
                folder.mkdir()
                self.folders.append(folder)
            os.replace(temp, target)
            self.files.append(target)

    def remove(self) -> None:
        with self.lock:
            self.removed = True
            for path in reversed(self.files):
                path.unlink(missing_ok=True)
            for folder in reversed(self.folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()


def place_media(
    tar: tarfile.TarFile, verified: Verified, root: Path, placed: Placed, report: Progress
) -> None:
    """Stream each media member to a temporary file in the media root, check it, rename it."""
    scratch = LocalStorage(root)
    members = verified.media
    for done, member in enumerate(members, 1):
        relative = member.name[len(MEDIA) :]
        entry = verified.manifest.media[relative]
        try:
            target = resolve_key(root, relative)
        except InvalidKey:
            raise ArchiveError(f"{member.name} would land outside the media root.") from None
        if target.exists() or target.is_symlink():
            raise ArchiveError(f"{member.name} already exists in the media root.")
        temp = scratch.temp_path()
        try:
            digest = hashlib.sha256()
            reader = tar.extractfile(member)
            assert reader is not None
            with temp.open("wb") as out:
                while chunk := reader.read(COPY_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != entry.sha256:
                raise ArchiveError(f"{member.name} changed since it was verified.")
            placed.place(temp, target, root.resolve())
        finally:
            temp.unlink(missing_ok=True)
        report(MEDIA.rstrip("/"), done, len(members))
    for folder in {path.parent for path in placed.files}:
        fsync_dir(folder)
