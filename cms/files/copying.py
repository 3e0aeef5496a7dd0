"""Moving stored files from one storage to another (the local media root into an object
store, say), resumably: a file already at the target with the same size is left as it is, so
an interrupted copy runs again from where it stopped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cms.files.storage import Storage

#: The prefixes that hold a site's media: originals, and what is derived from them.
MEDIA_PREFIXES = ("blobs", "renditions")


@dataclass
class CopyReport:
    copied: int = 0
    copied_bytes: int = 0
    already_there: int = 0


async def copy_all(
    source: Storage,
    target: Storage,
    progress: Callable[[str, CopyReport], None] | None = None,
    *,
    prefixes: tuple[str, ...] = MEDIA_PREFIXES,
) -> CopyReport:
    """Copy every file under ``prefixes`` from ``source`` to ``target``; ``progress`` is told
    of each file as it is done."""
    report = CopyReport()
    for prefix in prefixes:
        async for stored in source.list(prefix):
            there = await target.stat(stored.key)
            if there is not None and there.size == stored.size:
                report.already_there += 1
            else:
                await target.write(stored.key, source.read(stored.key))
                report.copied += 1
                report.copied_bytes += stored.size
            if progress is not None:
                progress(stored.key, report)
    return report
