"""Per-request DataLoaders: one per access pattern, each a single statement per batch.

Every loader returns results in key order, ``None`` (or an empty list) for keys with no row,
and applies the request's visibility, so a loader can never leak a draft.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from graphql.pyutils import AwaitableOrValue
from strawberry.dataloader import DataLoader

from cms.models import Media
from cms.services import events, posts, taxonomy

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")
Row = dict[str, Any]


def _by_key(rows: Sequence[Row], key: str) -> Callable[[list[Any]], list[Row | None]]:
    index = {row[key]: row for row in rows}
    return lambda keys: [index.get(k) for k in keys]


def _grouped(rows: Sequence[Row], key: str, keys: list[Any]) -> list[list[Row]]:
    groups: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return [groups.get(k, []) for k in keys]


def _loader(fn: Callable[[list[K]], Awaitable[list[V]]]) -> DataLoader[K, V]:
    return DataLoader(load_fn=fn)


def then(loaded: Awaitable[V], build: Callable[[V], R]) -> AwaitableOrValue[R]:
    """``build`` applied to what a loader gives: at once when the load is done already (a
    parent started it for a whole page), else once it is.

    A resolver that returns a value rather than a coroutine costs the executor no task, and
    on a page of posts the tasks are most of what a relation costs.
    """
    if isinstance(loaded, asyncio.Future) and loaded.done():
        return build(loaded.result())

    async def later() -> R:
        return build(await loaded)

    return later()


class Loaders:
    """The DataLoaders of one request; each is created on first use."""

    def __init__(self, *, published_only: bool) -> None:
        self.published_only = published_only

    @cached_property
    def post(self) -> DataLoader[int, Row | None]:
        async def load(ids: list[int]) -> list[Row | None]:
            rows = await posts.posts_by_id(ids, published_only=self.published_only)
            return _by_key(rows, "id")(ids)

        return _loader(load)

    @cached_property
    def post_with_trash(self) -> DataLoader[int, Row | None]:
        """Posts in the trash as well, for callers who may restore them (never the public)."""

        async def load(ids: list[int]) -> list[Row | None]:
            rows = await posts.posts_by_id(ids, published_only=self.published_only, with_trash=True)
            return _by_key(rows, "id")(ids)

        return _loader(load)

    @cached_property
    def post_translations(self) -> DataLoader[int, list[Row]]:
        async def load(post_ids: list[int]) -> list[list[Row]]:
            rows = await posts.translations_of(post_ids, published_only=self.published_only)
            return _grouped(rows, "post_id", post_ids)

        return _loader(load)

    @cached_property
    def post_body(self) -> DataLoader[int, Row | None]:
        async def load(translation_ids: list[int]) -> list[Row | None]:
            return _by_key(await posts.bodies(translation_ids), "id")(translation_ids)

        return _loader(load)

    @cached_property
    def post_tags(self) -> DataLoader[int, list[Row]]:
        """Tag translations per post, in one statement over the link table."""

        async def load(post_ids: list[int]) -> list[list[Row]]:
            return _grouped(await taxonomy.post_tags(post_ids), "post_id", post_ids)

        return _loader(load)

    @cached_property
    def series(self) -> DataLoader[tuple[int, tuple[str, ...]], list[Row]]:
        """Numbered posts per ``(category_id, locale chain)``, in series order."""

        async def load(keys: list[tuple[int, tuple[str, ...]]]) -> list[list[Row]]:
            by_chain: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for category_id, chain in keys:
                by_chain[chain].append(category_id)
            found: dict[tuple[int, tuple[str, ...]], list[Row]] = defaultdict(list)
            for chain, category_ids in by_chain.items():
                rows = await posts.series_of(
                    category_ids, chain, published_only=self.published_only
                )
                for row in rows:
                    found[(row["category_id"], chain)].append(row)
            return [found.get(key, []) for key in keys]

        return _loader(load)

    @cached_property
    def category(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            found = await taxonomy.category_translations(ids)
            return [found.get(i, []) for i in ids]

        return _loader(load)

    @cached_property
    def tag(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            found = await taxonomy.tag_translations(ids)
            return [found.get(i, []) for i in ids]

        return _loader(load)

    @cached_property
    def author(self) -> DataLoader[int, Row | None]:
        async def load(ids: list[int]) -> list[Row | None]:
            return _by_key(await taxonomy.authors(ids), "id")(ids)

        return _loader(load)

    @cached_property
    def media(self) -> DataLoader[int, Any]:
        async def load(ids: list[int]) -> list[Any]:
            found = {m.id: m for m in await Media.filter(id__in=ids)}
            return [found.get(i) for i in ids]

        return _loader(load)

    @cached_property
    def post_events(self) -> DataLoader[int, list[int]]:
        """Ids of the published events each post mentions, by id (events are public alone)."""

        async def load(post_ids: list[int]) -> list[list[int]]:
            links = _grouped(await posts.events_linked_to_posts(post_ids), "post_id", post_ids)
            return [[link["event_id"] for link in group] for group in links]

        return _loader(load)

    @cached_property
    def event_posts(self) -> DataLoader[int, list[Row]]:
        """Published posts mentioning each event, newest first (50 at most)."""

        async def load(event_ids: list[int]) -> list[list[Row]]:
            rows = await posts.posts_linked_to_events(event_ids)
            found: dict[int, list[Row]] = defaultdict(list)
            for row in rows:
                event_id = row.pop("event_id")
                del row["place"]
                found[event_id].append(row)
            return [found.get(i, []) for i in event_ids]

        return _loader(load)

    @cached_property
    def event(self) -> DataLoader[int, Row | None]:
        async def load(ids: list[int]) -> list[Row | None]:
            rows = await events.events_by_id(ids, published_only=self.published_only)
            return _by_key(rows, "id")(ids)

        return _loader(load)

    @cached_property
    def event_translations(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            return _grouped(await events.translations_of(ids), "event_id", ids)

        return _loader(load)

    @cached_property
    def event_description(self) -> DataLoader[int, Row | None]:
        async def load(translation_ids: list[int]) -> list[Row | None]:
            return _by_key(await events.descriptions(translation_ids), "id")(translation_ids)

        return _loader(load)

    @cached_property
    def venue(self) -> DataLoader[int, Row | None]:
        async def load(ids: list[int]) -> list[Row | None]:
            return _by_key(await events.venues(ids), "id")(ids)

        return _loader(load)

    @cached_property
    def organizer(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            return _grouped(await events.organizer_translations(ids), "organizer_id", ids)

        return _loader(load)

    @cached_property
    def event_tags(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            return _grouped(await events.tag_translations_of(ids), "event_id", ids)

        return _loader(load)

    @cached_property
    def author_bios(self) -> DataLoader[int, list[Row]]:
        async def load(ids: list[int]) -> list[list[Row]]:
            found = await taxonomy.author_bios(ids)
            return [found.get(i, []) for i in ids]

        return _loader(load)
