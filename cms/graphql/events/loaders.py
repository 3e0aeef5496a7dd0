"""The events' DataLoaders of one request: events, their translations, descriptions, venues,
organizers and tags, and the events posts mention."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from cms.graphql.common import by_key, grouped
from cms.services import events, posts
from cms.services.events import (
    DescriptionRow,
    EventRow,
    EventTagRow,
    EventTranslationRow,
    OrganizerTranslationRow,
    VenueRow,
)


class EventLoaders:
    """Each loader sends one statement per batch; with ``published_only``, draft events
    never show."""

    def __init__(self, *, published_only: bool) -> None:
        self.published_only = published_only

    @cached_property
    def by_id(self) -> DataLoader[int, EventRow | None]:
        async def load(ids: list[int]) -> list[EventRow | None]:
            rows = await events.events_by_id(ids, published_only=self.published_only)
            return by_key(rows, "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def translations(self) -> DataLoader[int, list[EventTranslationRow]]:
        async def load(ids: list[int]) -> list[list[EventTranslationRow]]:
            return grouped(await events.translations_of(ids), "event_id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def description(self) -> DataLoader[int, DescriptionRow | None]:
        """The description of each translation, by translation id."""

        async def load(translation_ids: list[int]) -> list[DescriptionRow | None]:
            return by_key(await events.descriptions(translation_ids), "id", translation_ids)

        return DataLoader(load_fn=load)

    @cached_property
    def venue(self) -> DataLoader[int, VenueRow | None]:
        async def load(ids: list[int]) -> list[VenueRow | None]:
            return by_key(await events.venues(ids), "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def organizer(self) -> DataLoader[int, list[OrganizerTranslationRow]]:
        """The translations of each organizer."""

        async def load(ids: list[int]) -> list[list[OrganizerTranslationRow]]:
            return grouped(await events.organizer_translations(ids), "organizer_id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def tags(self) -> DataLoader[int, list[EventTagRow]]:
        """Tag translations per event."""

        async def load(ids: list[int]) -> list[list[EventTagRow]]:
            return grouped(await events.tag_translations_of(ids), "event_id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def ids_by_post(self) -> DataLoader[int, list[int]]:
        """Ids of the published events each post mentions, by id (events are public alone)."""

        async def load(post_ids: list[int]) -> list[list[int]]:
            links = grouped(await posts.events_linked_to_posts(post_ids), "post_id", post_ids)
            return [[link["event_id"] for link in group] for group in links]

        return DataLoader(load_fn=load)
