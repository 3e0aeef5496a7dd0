"""Following the change log, so every process learns of every committed write.

Database triggers append a row to ``content_change`` for each content row written, in the
writer's own transaction (migration 0005). Each app process runs one :class:`ChangeFeed`:

- ``generation`` moves whenever the log shows a change. The response cache keeps only
  entries made at the current generation, so a committed write empties the cache of every
  process that sees it.
- Subscribers (GraphQL subscriptions) receive the changes themselves.

How soon a process sees a write: on PostgreSQL the triggers ``NOTIFY`` at commit and the feed
listens, so it wakes at once; whatever the database, it also polls every ``interval``
(0.5 s by default), and a reader of the cache polls inline when the last poll is older than
that. A process therefore never serves a response older than a committed write by more than
``interval`` plus one poll's duration.

On PostgreSQL, ids come from a sequence and transactions commit in any order, so a row with
a smaller id can appear after a larger one. A poll compares the log's row count, largest id
and sum of ids (pruning cannot hide a late commit behind an unchanged count), and reads back a
window of recent ids it has not seen, so a late commit is still noticed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from cms.backoff import Backoff
from cms.services.permissions import Permission, Viewer
from cms.services.sql import fetch

log = logging.getLogger(__name__)

CHANNEL = "cinq_content_change"
KINDS = (
    "post", "event", "media", "category", "tag", "author", "organizer", "venue", "redirect",
)  # fmt: skip
#: How far back a poll looks for rows committed out of id order.
LOOKBACK = 500
#: Rows kept in the log; older ones are pruned.
RETAINED_ROWS = 5_000
PRUNE_EVERY = 300.0
#: The background loop's shortest pause, whatever the interval (0 polls on every read).
MIN_SLEEP = 0.05
#: Changes a slow subscriber may have waiting before the oldest are dropped.
QUEUE_SIZE = 256

#: Rows one poll reads at most; past that, subscribers are told to start over.
MAX_ROWS = 5_000
#: The action telling a subscriber that changes were missed: re-read everything it shows.
RESYNC = "resync"

_RANK = {"updated": 0, "created": 1, "deleted": 2}


@dataclass(frozen=True)
class Change:
    kind: str
    id: int
    action: str  # created, updated, deleted; or resync (no kind or id: changes were missed)
    sequence: int  # the change log's id: increases, not always by one


def _resync(sequence: int) -> Change:
    return Change("", 0, RESYNC, sequence)


class Subscription:
    """Changes of some kinds and ids, queued for one subscriber."""

    def __init__(self, kinds: Collection[str] | None, ids: Collection[int] | None) -> None:
        self.kinds = frozenset(kinds) if kinds else None
        self.ids = frozenset(ids) if ids else None
        self.queue: asyncio.Queue[Change] = asyncio.Queue(QUEUE_SIZE)

    def wants(self, change: Change) -> bool:
        return (self.kinds is None or change.kind in self.kinds) and (
            self.ids is None or change.id in self.ids
        )

    def offer(self, change: Change) -> None:
        if self.queue.full():
            # A slow reader never blocks the feed: what it missed becomes one RESYNC.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(_resync(change.sequence))
        self.queue.put_nowait(change)


def may_follow(viewer: Viewer) -> bool:
    """Whether ``viewer`` may hear of changes as they are committed: changes name drafts too,
    so only those who may read drafts."""
    return viewer.can(Permission.READ_DRAFTS)


def followed(
    viewer: Viewer, kinds: set[str] | None, ids: set[int] | None
) -> tuple[set[str] | None, set[int] | None]:
    """The kinds and ids ``viewer`` hears of when asking for ``kinds`` and ``ids`` (None: all):
    a token made to preview one post hears of that post only."""
    if viewer.post_id is not None:
        return {"post"}, {viewer.post_id}
    return kinds, ids


class ChangeFeed:
    def __init__(self, database_url: str, *, interval: float = 0.5) -> None:
        self.database_url = database_url
        self.interval = interval
        self.generation = 0
        self.checked_at = float("-inf")  # monotonic time when the last poll started
        # (row count, largest id, sum of ids) last seen
        self._state: tuple[int, int, int] | None = None
        self._seen: deque[int] = deque(maxlen=LOOKBACK * 4)
        self._seen_set: set[int] = set()
        self._subscriptions: set[Subscription] = set()
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._listeners: list[Callable[[], None]] = []

    @property
    def stale(self) -> bool:
        return time.monotonic() - self.checked_at >= self.interval

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open. Each counts from the moment it has taken its
        baseline: from then on it hears of every change committed."""
        return len(self._subscriptions)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (synchronously) whenever the generation moves."""
        self._listeners.append(callback)

    async def ensure_fresh(self) -> None:
        """Poll unless a poll started less than ``interval`` ago."""
        if not self.stale:
            return
        async with self._lock:
            if self.stale:
                await self._poll()

    async def poll(self) -> None:
        """Poll now: after a write this process made, so its next read sees it."""
        async with self._lock:
            await self._poll()

    async def _poll(self) -> None:
        started = time.monotonic()
        rows = await fetch(
            "SELECT count(*) AS n, max(id) AS top, sum(id) AS total FROM content_change"
        )
        row = rows[0]
        state = (int(row["n"]), int(row["top"] or 0), int(row["total"] or 0))
        if self._state is None:  # the first look is the baseline
            self._state = state
            self._remember_up_to(state[1])
        elif state != self._state:
            previous = self._state
            previous_top = previous[1]
            self._state = state
            if state[1] < previous_top:  # the log was emptied and started again
                self._seen.clear()
                self._seen_set.clear()
                self._remember_up_to(state[1])
                changes = [_resync(state[1])]
            else:
                changes = await self._unseen(previous_top)
                # More rows than were read: a commit landed below the window. Pruning only
                # lowers the count, so this never cries wolf.
                resync = bool(changes) and changes[0].action == RESYNC
                if not resync and state[0] > previous[0] + len(changes):
                    changes = [_resync(state[1])]
            self._advance()
            self._publish(changes)
        self.checked_at = started

    def _remember_up_to(self, top: int) -> None:
        for sequence in range(max(top - LOOKBACK, 0) + 1, top + 1):
            self._remember(sequence)

    def _remember(self, sequence: int) -> None:
        if len(self._seen) == self._seen.maxlen:
            self._seen_set.discard(self._seen[0])
        self._seen.append(sequence)
        self._seen_set.add(sequence)

    async def _unseen(self, previous_top: int) -> list[Change]:
        """Rows since the last look, and a window before it for commits out of id order.

        Past ``MAX_ROWS`` (a bulk import, say) subscribers get one RESYNC instead: they
        re-read what they show rather than hear of each row.
        """
        rows = await fetch(
            "SELECT id, kind, object_id, action FROM content_change WHERE id > ? "
            "ORDER BY id LIMIT ?",
            [max(previous_top - LOOKBACK, 0), LOOKBACK + MAX_ROWS + 1],
        )
        unseen = [row for row in rows if row["id"] not in self._seen_set]
        for row in unseen:
            self._remember(row["id"])
        if len(unseen) > MAX_ROWS:
            return [_resync(self._state[1] if self._state else 0)]
        return [Change(r["kind"], r["object_id"], r["action"], r["id"]) for r in unseen]

    def _advance(self) -> None:
        self.generation += 1
        for callback in self._listeners:
            callback()

    def _publish(self, changes: list[Change]) -> None:
        """Hand each subscriber one change per object: a write touches several rows."""
        if not self._subscriptions or not changes:
            return
        if changes[0].action == RESYNC:
            for subscription in self._subscriptions:
                subscription.offer(changes[0])
            return
        merged: dict[tuple[str, int], Change] = {}
        for change in changes:
            key = (change.kind, change.id)
            known = merged.get(key)
            if known is None or _RANK[change.action] > _RANK[known.action]:
                merged[key] = change
        for change in sorted(merged.values(), key=lambda c: c.sequence):
            for subscription in self._subscriptions:
                if subscription.wants(change):
                    subscription.offer(change)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, kinds: Collection[str] | None = None, ids: Collection[int] | None = None
    ) -> AsyncIterator[Subscription]:
        subscription = Subscription(kinds, ids)
        await self.poll()  # what is already committed is not news to this subscriber
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    async def prune(self) -> None:
        if self._state is not None and self._state[1] > RETAINED_ROWS:
            last_pruned = self._state[1] - RETAINED_ROWS
            await fetch("DELETE FROM content_change WHERE id <= ?", [last_pruned])

    async def run_forever(self) -> None:
        """Poll every ``interval``, at once on a PostgreSQL notification; prune now and then."""
        listener: asyncpg.Connection | None = None
        last_listen_attempt = float("-inf")
        last_prune = time.monotonic()
        postgres = self.database_url.startswith(("postgres://", "postgresql://"))
        backoff = Backoff("change feed", max(self.interval, MIN_SLEEP), log)
        try:
            while True:
                if (
                    postgres
                    and (listener is None or listener.is_closed())
                    and time.monotonic() - last_listen_attempt > 5
                ):
                    last_listen_attempt = time.monotonic()
                    listener = await self._listen()
                try:
                    await self.poll()
                    if time.monotonic() - last_prune > PRUNE_EVERY:
                        last_prune = time.monotonic()
                        await self.prune()
                    pause = backoff.succeeded()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    pause = backoff.failed()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)
                self._wake.clear()
        finally:
            if listener is not None and not listener.is_closed():
                await listener.close()

    async def _listen(self) -> asyncpg.Connection | None:
        parts = urlsplit(self.database_url)
        dsn = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))
        try:
            connection = await asyncpg.connect(dsn, timeout=5)
            await connection.add_listener(CHANNEL, lambda *_: self._wake.set())
        except (OSError, asyncpg.PostgresError, TimeoutError) as error:
            log.warning("change feed: cannot listen (%s); polling only", error)
            return None
        return connection
