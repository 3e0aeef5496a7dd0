"""The posts' DataLoaders of one request: rows, translations, bodies, series, and the posts
that mention events."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import cast

from strawberry.dataloader import DataLoader

from cms.graphql.common import by_key, grouped
from cms.services import posts
from cms.services.posts import BodyRow, PostRow, SeriesRow, TranslationRow

_EVENT_COLUMNS = frozenset({"event_id", "place"})


class PostLoaders:
    """Each loader sends one statement per batch and keeps to the request's visibility:
    with ``published_only``, drafts never show."""

    def __init__(self, *, published_only: bool) -> None:
        self.published_only = published_only

    @cached_property
    def by_id(self) -> DataLoader[int, PostRow | None]:
        async def load(ids: list[int]) -> list[PostRow | None]:
            rows = await posts.posts_by_id(ids, published_only=self.published_only)
            return by_key(rows, "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def with_trash(self) -> DataLoader[int, PostRow | None]:
        """Posts in the trash as well, for callers who may restore them (never the public)."""

        async def load(ids: list[int]) -> list[PostRow | None]:
            rows = await posts.posts_by_id(ids, published_only=self.published_only, with_trash=True)
            return by_key(rows, "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def translations(self) -> DataLoader[int, list[TranslationRow]]:
        async def load(post_ids: list[int]) -> list[list[TranslationRow]]:
            rows = await posts.translations_of(post_ids, published_only=self.published_only)
            return grouped(rows, "post_id", post_ids)

        return DataLoader(load_fn=load)

    @cached_property
    def body(self) -> DataLoader[int, BodyRow | None]:
        """The body of each translation, by translation id."""

        async def load(translation_ids: list[int]) -> list[BodyRow | None]:
            return by_key(await posts.bodies(translation_ids), "id", translation_ids)

        return DataLoader(load_fn=load)

    @cached_property
    def series(self) -> DataLoader[tuple[int, tuple[str, ...]], list[SeriesRow]]:
        """Numbered posts per ``(category_id, locale chain)``, in series order."""

        async def load(keys: list[tuple[int, tuple[str, ...]]]) -> list[list[SeriesRow]]:
            by_chain: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for category_id, chain in keys:
                by_chain[chain].append(category_id)
            found: dict[tuple[int, tuple[str, ...]], list[SeriesRow]] = defaultdict(list)
            for chain, category_ids in by_chain.items():
                rows = await posts.series_of(
                    category_ids, chain, published_only=self.published_only
                )
                for row in rows:
                    found[(row["category_id"], chain)].append(row)
            return [found.get(key, []) for key in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def by_event(self) -> DataLoader[int, list[PostRow]]:
        """Published posts mentioning each event, newest first (50 at most)."""

        async def load(event_ids: list[int]) -> list[list[PostRow]]:
            found: dict[int, list[PostRow]] = defaultdict(list)
            for row in await posts.posts_linked_to_events(event_ids):
                # The post's own columns, without the event's.
                post = {key: value for key, value in row.items() if key not in _EVENT_COLUMNS}
                found[row["event_id"]].append(cast(PostRow, post))
            return [found.get(event_id, []) for event_id in event_ids]

        return DataLoader(load_fn=load)
