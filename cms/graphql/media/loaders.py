"""The media DataLoader of one request. Media are public once used: the same in a preview."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from cms.models import Media


class MediaLoaders:
    @cached_property
    def by_id(self) -> DataLoader[int, Media | None]:
        """Uploaded files by id, in one statement per batch."""

        async def load(ids: list[int]) -> list[Media | None]:
            found = {media.id: media for media in await Media.filter(id__in=ids)}
            return [found.get(i) for i in ids]

        return DataLoader(load_fn=load)
