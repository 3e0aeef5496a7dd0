"""The posts' DataLoaders of one request: rows, translations, bodies, series, and the posts
that mention events."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from strawberry.dataloader import DataLoader

from cms.graphql.common import by_key, grouped
from cms.graphql.taxonomy.loaders import TaxonomyLoaders
from cms.services import posts
from cms.services.posts import BodyRow, FullPost, NeighbourRow, PostRow, TranslationRow


class PostLoaders:
    """Each loader sends one statement per batch and keeps to the request's visibility:
    with ``published_only``, drafts never show."""

    def __init__(self, *, published_only: bool, taxonomy: TaxonomyLoaders) -> None:
        self.published_only = published_only
        self.taxonomy = taxonomy

    def prime(self, related: posts.Related) -> None:
        """Put rows read with posts into the loaders their fields read."""
        self.translations.prime_many(related.translations)
        self.taxonomy.tags_of_post.prime_many(related.tags)
        self.taxonomy.category.prime_many(related.categories)
        self.taxonomy.author.prime_many(related.authors)

    def prime_full(self, full: FullPost, chain: tuple[str, ...], *, with_trash: bool) -> None:
        """Put all a post's page read in one statement (:func:`posts.full_post`) into the
        loaders its fields read."""
        self.prime(full.related)
        loader = self.with_trash if with_trash else self.by_id
        loader.prime(full.row["id"], full.row)
        self.body.prime_many({body["id"]: body for body in full.bodies})
        if full.row["author_id"] is not None:
            self.taxonomy.author_bios.prime(full.row["author_id"], full.bios)
        self.neighbours.prime((full.row["id"], chain), full.neighbours)

    @cached_property
    def by_id(self) -> DataLoader[int, PostRow | None]:
        """Posts by id; what their fields show comes in the same statement (see :meth:`prime`)."""

        async def load(ids: list[int]) -> list[PostRow | None]:
            found = await posts.posts_by_id(ids, published_only=self.published_only)
            self.prime(found.related)
            return by_key(found.rows, "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def with_trash(self) -> DataLoader[int, PostRow | None]:
        """Posts in the trash as well, for callers who may restore them (never the public)."""

        async def load(ids: list[int]) -> list[PostRow | None]:
            found = await posts.posts_by_id(
                ids, published_only=self.published_only, with_trash=True
            )
            self.prime(found.related)
            return by_key(found.rows, "id", ids)

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
    def neighbours(self) -> DataLoader[tuple[int, tuple[str, ...]], NeighbourRow | None]:
        """The series neighbours of each post, by ``(post id, locale chain)``."""

        async def load(keys: list[tuple[int, tuple[str, ...]]]) -> list[NeighbourRow | None]:
            by_chain: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for post_id, chain in keys:
                by_chain[chain].append(post_id)
            found: dict[tuple[int, tuple[str, ...]], NeighbourRow] = {}
            for chain, post_ids in by_chain.items():
                rows = await posts.neighbours_of(
                    post_ids, chain, published_only=self.published_only
                )
                for row in rows:
                    found[(row["id"], chain)] = row
            return [found.get(key) for key in keys]

        return DataLoader(load_fn=load)

    @cached_property
    def by_event(self) -> DataLoader[int, list[PostRow]]:
        """Published posts mentioning each event, newest first (50 at most); what their
        fields show comes in the same statement."""

        async def load(event_ids: list[int]) -> list[list[PostRow]]:
            found = await posts.posts_linked_to_events(event_ids)
            self.prime(found.related)
            return [found.posts[event_id] for event_id in event_ids]

        return DataLoader(load_fn=load)
