"""The media DataLoader of one request. Media are public once used: the same in a preview."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from cms.models import Media
from cms.services import media as service


class MediaLoaders:
    @cached_property
    def by_id(self) -> DataLoader[int, Media | None]:
        """Uploaded files by id, in one statement per batch."""

        async def load(ids: list[int]) -> list[Media | None]:
            found = {media.id: media for media in await Media.filter(id__in=ids)}
            return [found.get(i) for i in ids]

        return DataLoader(load_fn=load)

    @cached_property
    def seen_in(self) -> DataLoader[int, set[str]]:
        """The locales in which readers see each file, in two statements per batch."""

        async def load(ids: list[int]) -> list[set[str]]:
            found = await service.seen_in(ids)
            return [found[i] for i in ids]

        return DataLoader(load_fn=load)
