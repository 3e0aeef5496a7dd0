"""GraphQL types for categories, tags and authors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry
from strawberry import Private

from cms.graphql.common import localize, requested_locale_field
from cms.graphql.context import Info
from cms.graphql.posts.inputs import PostOrder
from cms.graphql.posts.registry import post_builders
from cms.services.locales import pick
from cms.services.posts import PostFilter
from cms.services.taxonomy import AuthorRow
from cms.services.text import sort_key

if TYPE_CHECKING:
    from cms.graphql.posts.types import PostConnection

# Posts show these types (a post's category, tags, author): the posts types import this
# module, so resolve theirs lazily.
PostConnectionRef = Annotated["PostConnection", strawberry.lazy("cms.graphql.posts.types")]


async def related_posts(
    root: Category | Tag | Author,
    info: Info,
    first: int = 20,
    after: str | None = None,
    order_by: PostOrder = PostOrder.NEWEST,
    last: int | None = None,
    before: str | None = None,
) -> PostConnectionRef:
    """The published posts filed under ``root``, as a connection."""
    return await post_builders().post_connection(
        info,
        root.chain,
        root.post_filter(),
        order_by,
        first,
        after,
        root.published_only,
        last=last,
        before=before,
    )


@strawberry.type(description="A term's name and slug in one locale.")
class TermAlternate:
    locale: str
    slug: str
    name: str


@strawberry.interface(description="A translated classification: a category or a tag.")
class Term:
    id: strawberry.ID
    name: str
    slug: str
    resolved_locale: str
    is_fallback: bool
    rows: Private[Sequence[Mapping[str, Any]]]
    chain: Private[tuple[str, ...]]
    # False when reached from a preview: its posts connection shows drafts too.
    published_only: Private[bool] = True
    requested_locale: str = requested_locale_field()

    @strawberry.field(description="Every translation of this term.")
    def alternates(self) -> list[TermAlternate]:
        return [
            TermAlternate(locale=r["locale"], slug=r["slug"], name=r["name"]) for r in self.rows
        ]

    @classmethod
    def build_sorted(
        cls,
        found: Mapping[int, Sequence[Mapping[str, Any]]],
        chain: tuple[str, ...],
        published_only: bool = True,
    ) -> list[Self]:
        """Terms from translations grouped by term id, sorted by name as a reader expects."""
        terms = [cls.build(i, rows, chain, published_only) for i, rows in found.items()]
        return sorted(terms, key=lambda term: sort_key(term.name))

    @classmethod
    def build(
        cls,
        term_id: int,
        rows: Sequence[Mapping[str, Any]],
        chain: tuple[str, ...],
        published_only: bool = True,
    ) -> Self:
        row, is_fallback = localize(rows, chain)
        return cls(
            id=strawberry.ID(str(term_id)),
            name=row["name"],
            slug=row["slug"],
            resolved_locale=row["locale"],
            is_fallback=is_fallback,
            rows=rows,
            chain=chain,
            published_only=published_only,
        )


@strawberry.type(description="A category of posts, such as the blog itself.")
class Category(Term):
    posts: PostConnectionRef = strawberry.field(
        resolver=related_posts, description="Published posts in this category."
    )

    @strawberry.field(description="The category this one is part of; null at the top level.")
    async def parent(self, info: Info) -> Category | None:
        parent_id = self.rows[0].get("parent_id") if self.rows else None
        if parent_id is None:
            return None
        rows = await info.context.loaders.taxonomy.category.load(parent_id)
        return Category.build(parent_id, rows, self.chain, self.published_only) if rows else None

    def post_filter(self) -> PostFilter:
        return PostFilter(category_id=int(self.id))


@strawberry.type(description="A keyword shared by posts.")
class Tag(Term):
    posts: PostConnectionRef = strawberry.field(
        resolver=related_posts, description="Published posts with this tag."
    )

    def post_filter(self) -> PostFilter:
        return PostFilter(tag_id=int(self.id))


@strawberry.type(description="An author's biography in one locale.")
class AuthorBio:
    locale: str
    bio: str


@strawberry.type(description="A person who writes posts.")
class Author:
    id: strawberry.ID
    name: str
    slug: str
    chain: Private[tuple[str, ...]]
    requested_locale: str = requested_locale_field()
    published_only: Private[bool] = True

    @strawberry.field(
        description="The biography in the requested locale or its fallbacks; null when the "
        "author has none in those locales."
    )
    async def bio(self, info: Info) -> str | None:
        row = pick(await info.context.loaders.taxonomy.author_bios.load(int(self.id)), self.chain)
        return row["bio"] if row else None

    @strawberry.field(
        description="Every biography as written, one per locale that has one, in the "
        "configured order of locales, with no fallback: what an editor edits."
    )
    async def bios(self, info: Info) -> list[AuthorBio]:
        rows = await info.context.loaders.taxonomy.author_bios.load(int(self.id))
        order = {code: index for index, code in enumerate(info.context.settings.locales)}
        written = sorted(rows, key=lambda row: (order.get(row["locale"], 99), row["locale"]))
        return [AuthorBio(locale=row["locale"], bio=row["bio"]) for row in written if row["bio"]]

    posts: PostConnectionRef = strawberry.field(
        resolver=related_posts, description="Published posts by this author."
    )

    def post_filter(self) -> PostFilter:
        return PostFilter(author_id=int(self.id))

    @classmethod
    def build(cls, row: AuthorRow, chain: tuple[str, ...], published_only: bool = True) -> Author:
        return cls(
            id=strawberry.ID(str(row["id"])),
            name=row["name"],
            slug=row["slug"],
            chain=chain,
            published_only=published_only,
        )
