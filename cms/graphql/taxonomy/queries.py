"""Read-only queries for categories, tags and authors."""

from __future__ import annotations

import strawberry

from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.graphql.taxonomy.types import Author, Category, Tag
from cms.services import taxonomy as service


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(description="Every category, named in the locale or its fallback.")
    async def categories(self, info: Info, locale: LocaleArg = None) -> list[Category]:
        chain = info.context.chain(locale)
        found = await service.category_translations()
        # Every parent is among them: primed with them, the loader answers `parent` at once.
        info.context.loaders.taxonomy.category.prime_many(found)
        return Category.build_sorted(found, chain)

    @strawberry.field(description="Every tag, named in the locale or its fallback.")
    async def tags(self, info: Info, locale: LocaleArg = None) -> list[Tag]:
        chain = info.context.chain(locale)
        return Tag.build_sorted(await service.tag_translations(), chain)

    @strawberry.field(description="Every author.")
    async def authors(self, info: Info, locale: LocaleArg = None) -> list[Author]:
        chain = info.context.chain(locale)
        return [Author.build(row, chain) for row in await service.authors()]

    @strawberry.field(description="One author by slug.")
    async def author(self, info: Info, slug: str, locale: LocaleArg = None) -> Author | None:
        chain = info.context.chain(locale)
        author_id = await service.find_author(slug)
        if author_id is None:
            return None
        row = await info.context.loaders.taxonomy.author.load(author_id)
        return Author.build(row, chain) if row else None

    @strawberry.field(description="One category by a slug of any locale.")
    async def category(self, info: Info, slug: str, locale: LocaleArg = None) -> Category | None:
        chain = info.context.chain(locale)
        category_id = await service.find_category(slug, chain)
        if category_id is None:
            return None
        rows = await info.context.loaders.taxonomy.category.load(category_id)
        return Category.build(category_id, rows, chain)

    @strawberry.field(description="One tag by a slug of any locale.")
    async def tag(self, info: Info, slug: str, locale: LocaleArg = None) -> Tag | None:
        chain = info.context.chain(locale)
        tag_id = await service.find_tag(slug, chain)
        if tag_id is None:
            return None
        return Tag.build(tag_id, await info.context.loaders.taxonomy.tag.load(tag_id), chain)
