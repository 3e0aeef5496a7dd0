"""The taxonomy's DataLoaders of one request: terms and authors with their translations, and
the tags of posts. Terms and authors are public: the same in a preview."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from cms.graphql.common import by_key, grouped
from cms.services import taxonomy
from cms.services.taxonomy import (
    AuthorBioRow,
    AuthorRow,
    CategoryTranslationRow,
    PostTagRow,
    TagTranslationRow,
)


class TaxonomyLoaders:
    """Each loader sends one statement per batch."""

    @cached_property
    def category(self) -> DataLoader[int, list[CategoryTranslationRow]]:
        """The translations of each category (empty for none)."""

        async def load(ids: list[int]) -> list[list[CategoryTranslationRow]]:
            found = await taxonomy.category_translations(ids)
            return [found.get(i, []) for i in ids]

        return DataLoader(load_fn=load)

    @cached_property
    def tag(self) -> DataLoader[int, list[TagTranslationRow]]:
        """The translations of each tag (empty for none)."""

        async def load(ids: list[int]) -> list[list[TagTranslationRow]]:
            found = await taxonomy.tag_translations(ids)
            return [found.get(i, []) for i in ids]

        return DataLoader(load_fn=load)

    @cached_property
    def tags_of_post(self) -> DataLoader[int, list[PostTagRow]]:
        """Tag translations per post, in one statement over the link table."""

        async def load(post_ids: list[int]) -> list[list[PostTagRow]]:
            return grouped(await taxonomy.post_tags(post_ids), "post_id", post_ids)

        return DataLoader(load_fn=load)

    @cached_property
    def author(self) -> DataLoader[int, AuthorRow | None]:
        async def load(ids: list[int]) -> list[AuthorRow | None]:
            return by_key(await taxonomy.authors(ids), "id", ids)

        return DataLoader(load_fn=load)

    @cached_property
    def author_bios(self) -> DataLoader[int, list[AuthorBioRow]]:
        """The biographies of each author, one per locale written."""

        async def load(ids: list[int]) -> list[list[AuthorBioRow]]:
            found = await taxonomy.author_bios(ids)
            return [found.get(i, []) for i in ids]

        return DataLoader(load_fn=load)
