"""Mutations for categories, tags and authors (editors and admins)."""

from __future__ import annotations

from dataclasses import field
from typing import Any

import strawberry

from cms.graphql.context import Context, Info
from cms.graphql.ids import required_id
from cms.graphql.payloads import DeletePayload, MutationError, run
from cms.graphql.permissions import Requires
from cms.graphql.taxonomy.types import Author, Category, Tag
from cms.services import taxonomy, taxonomy_writing
from cms.services.errors import ContentError
from cms.services.permissions import Permission


@strawberry.input(description="A term's name in one locale; the slug is made from it if omitted.")
class TermNameInput:
    locale: str
    name: str
    slug: str | None = None


@strawberry.input(description="An author's biography in one locale.")
class BioInput:
    locale: str
    bio: str


@strawberry.type
class CategoryPayload:
    category: Category | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class TagPayload:
    tag: Tag | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class AuthorPayload:
    author: Author | None = None
    errors: list[MutationError] = field(default_factory=list)


def _names(values: list[TermNameInput]) -> list[taxonomy_writing.TermName]:
    return [taxonomy_writing.TermName(locale=v.locale, name=v.name, slug=v.slug) for v in values]


def _bios(context: Context, values: list[BioInput] | None) -> dict[str, str] | None:
    if values is None:
        return None
    for value in values:
        if value.locale not in context.settings.locales:
            raise ContentError("locale", "INVALID", f"{value.locale!r} is not a configured locale.")
    return {value.locale: value.bio for value in values}


async def _term(info: Info, kind: str, term_id: int) -> Any:
    found = await (
        taxonomy.category_translations if kind == "category" else taxonomy.tag_translations
    )([term_id])
    chain = info.context.chain(None)
    return (Category if kind == "category" else Tag).build(term_id, found[term_id], chain)


async def _author(info: Info, author_id: int) -> Author:
    (row,) = await taxonomy.authors([author_id])
    return Author.build(row, info.context.chain(None))


@strawberry.type
class TaxonomyMutations:
    @strawberry.mutation(
        description="Create a category.", extensions=[Requires(Permission.MANAGE_TAXONOMY)]
    )
    async def create_category(self, info: Info, names: list[TermNameInput]) -> CategoryPayload:
        async def write() -> CategoryPayload:
            locales = info.context.settings.locales
            term_id = await taxonomy_writing.create_term("category", _names(names), locales)
            return CategoryPayload(category=await _term(info, "category", term_id))

        return await run(CategoryPayload, write)

    @strawberry.mutation(
        description="Rename a category in the locales given.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def update_category(
        self, info: Info, id: strawberry.ID, names: list[TermNameInput]
    ) -> CategoryPayload:
        async def write() -> CategoryPayload:
            term_id = required_id(id)
            await taxonomy_writing.update_term(
                "category", term_id, _names(names), info.context.settings.locales
            )
            return CategoryPayload(category=await _term(info, "category", term_id))

        return await run(CategoryPayload, write)

    @strawberry.mutation(
        description="Delete a category no post uses.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def delete_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await taxonomy_writing.delete_term("category", required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Create a tag.", extensions=[Requires(Permission.MANAGE_TAXONOMY)]
    )
    async def create_tag(self, info: Info, names: list[TermNameInput]) -> TagPayload:
        async def write() -> TagPayload:
            locales = info.context.settings.locales
            term_id = await taxonomy_writing.create_term("tag", _names(names), locales)
            return TagPayload(tag=await _term(info, "tag", term_id))

        return await run(TagPayload, write)

    @strawberry.mutation(
        description="Rename a tag in the locales given.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def update_tag(
        self, info: Info, id: strawberry.ID, names: list[TermNameInput]
    ) -> TagPayload:
        async def write() -> TagPayload:
            term_id = required_id(id)
            await taxonomy_writing.update_term(
                "tag", term_id, _names(names), info.context.settings.locales
            )
            return TagPayload(tag=await _term(info, "tag", term_id))

        return await run(TagPayload, write)

    @strawberry.mutation(
        description="Delete a tag, taking it off its posts.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def delete_tag(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await taxonomy_writing.delete_term("tag", required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Create an author profile.", extensions=[Requires(Permission.MANAGE_TAXONOMY)]
    )
    async def create_author(
        self, info: Info, name: str, slug: str | None = None, bios: list[BioInput] | None = None
    ) -> AuthorPayload:
        async def write() -> AuthorPayload:
            author_id = await taxonomy_writing.create_author(
                name, slug, _bios(info.context, bios) or {}
            )
            return AuthorPayload(author=await _author(info, author_id))

        return await run(AuthorPayload, write)

    @strawberry.mutation(
        description="Change an author's name, slug or biographies (those given).",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def update_author(
        self,
        info: Info,
        id: strawberry.ID,
        name: str | None = None,
        slug: str | None = None,
        bios: list[BioInput] | None = None,
    ) -> AuthorPayload:
        async def write() -> AuthorPayload:
            author_id = required_id(id)
            await taxonomy_writing.update_author(author_id, name, slug, _bios(info.context, bios))
            return AuthorPayload(author=await _author(info, author_id))

        return await run(AuthorPayload, write)

    @strawberry.mutation(
        description="Delete an author no post is signed by.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def delete_author(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await taxonomy_writing.delete_author(required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)
