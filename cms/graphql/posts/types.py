"""GraphQL types for posts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry import Private
from strawberry.scalars import JSON

from cms.graphql.common import (
    Alternate,
    PageInfo,
    from_loader,
    localize,
    requested_locale_field,
)
from cms.graphql.context import Info
from cms.graphql.events.resolvers import load_events
from cms.graphql.events.types import Event
from cms.graphql.loaders import Loaders
from cms.graphql.media.embed import expand_media
from cms.graphql.media.types import Media
from cms.graphql.permissions import Requires
from cms.graphql.posts.enums import PostStatusEnum, TranslationState, TranslationStatusEnum
from cms.graphql.posts.registry import post_builders
from cms.graphql.taxonomy.types import Author, Category, Tag
from cms.models import PostStatus, TranslationStatus
from cms.services import post_rights
from cms.services import post_writing as history
from cms.services import posts as service
from cms.services import translation_sources as sources
from cms.services.locales import pick
from cms.services.permissions import Permission
from cms.services.posts import PostRow, TranslationRow
from cms.services.taxonomy import PostTagRow


@strawberry.type(description="A heading of the body, for a table of contents.")
class Heading:
    level: int
    text: str
    anchor: str = strawberry.field(description="The `id` of the heading in `html`.")


@strawberry.type(description="A post's body in one locale, rendered when it was saved.")
class PostBody:
    markdown: str = strawberry.field(description="The Markdown (CommonMark) source.")
    html: str = strawberry.field(
        description="Sanitized HTML, headings carrying their anchors, embedded media as "
        "<picture> elements with the reader's alternative text."
    )
    text: str = strawberry.field(description="Plain text, for search snippets and previews.")
    word_count: int
    reading_time: int = strawberry.field(description="Estimated reading time, in minutes.")
    headings: list[Heading]

    @classmethod
    async def build(cls, row: Mapping[str, Any], info: Info, chain: tuple[str, ...]) -> PostBody:
        """From the stored columns of a body (or those a save would store), media expanded
        for ``chain``: what readers get."""
        return cls(
            markdown=row["body"],
            html=await expand_media(row["body_html"], info, chain),
            text=row["body_text"],
            word_count=row["word_count"],
            reading_time=row["reading_minutes"],
            headings=[Heading(**heading) for heading in row["headings"]],
        )


@strawberry.type(
    description="One configured locale of a post: whether it is translated, and whether it "
    "is up to date."
)
class PostLocale:
    locale: str
    state: TranslationState
    is_source: bool = strawberry.field(
        description="The post was first written in this locale: the other translations follow "
        "it unless they name another."
    )
    is_published: bool = strawberry.field(
        description="Readers see this translation: it and the post are published."
    )
    title: str | None = strawberry.field(description="Null when MISSING, as are the rest.")
    slug: str | None
    updated_at: datetime | None
    text_version: int | None = strawberry.field(
        description="Moves up by one whenever the title, excerpt, body or SEO text changes."
    )
    source_locale: str | None = strawberry.field(
        description="The translation this one follows (null for the source)."
    )
    source_version: int | None = strawberry.field(
        description="The `textVersion` of `sourceLocale` this text was written against. Once "
        "the text is brought up to date, save it with `sourceVersion` set to the source's "
        "current `textVersion`."
    )

    @classmethod
    def build(cls, state: sources.LocaleState) -> PostLocale:
        row = state.translation or {}
        return cls(
            locale=state.locale,
            state=TranslationState(state.state.value),
            is_source=state.is_source,
            is_published=state.is_published,
            title=row.get("title"),
            slug=row.get("slug"),
            updated_at=row.get("updated_at"),
            text_version=row.get("text_version"),
            source_locale=row.get("source_locale"),
            source_version=row.get("source_version"),
        )


@strawberry.type(
    description="What the caller may do to a post now, by the same rules the mutations apply."
)
class PostRights:
    edit: bool = strawberry.field(
        description="updatePost, upsertTranslation, deleteTranslation, createPreviewToken."
    )
    publish: bool = strawberry.field(
        description="publishPost, unpublishPost, schedulePost, archivePost."
    )
    trash: bool = strawberry.field(description="deletePost.")
    restore: bool = strawberry.field(description="restorePost (the post is in the trash).")
    purge: bool = strawberry.field(description="purgePost (the post is in the trash).")
    view_revisions: bool = strawberry.field(description="Post.revisions.")


@strawberry.type(description="A saved state of a post, kept whenever it changes.")
class Revision:
    id: strawberry.ID
    version: int
    action: str = strawberry.field(description="What made it: create, update, publish, …")
    account_id: strawberry.ID | None = strawberry.field(description="Who, if still known.")
    account_name: str | None = strawberry.field(description="Who, by display name, if still known.")
    created_at: datetime
    snapshot: JSON = strawberry.field(description="The post and its translations then.")


@strawberry.type(description="A blog post, in the requested locale or its fallback.")
class Post:
    id: strawberry.ID
    status: PostStatusEnum  # type: ignore[valid-type]
    version: int = strawberry.field(
        description="Send it back as `expectedVersion` when changing the post."
    )
    publish_at: datetime | None = strawberry.field(description="When a scheduled post goes live.")
    unpublish_at: datetime | None = strawberry.field(description="When it comes down.")
    series_number: int | None = strawberry.field(
        description="Its number in the category's series (8 for '8. Réseautage…')."
    )
    published_at: datetime | None
    updated_at: datetime
    trashed_at: datetime | None = strawberry.field(
        description="When it was moved to the trash; null outside it."
    )
    locale: str = strawberry.field(description="The locale that was asked for.")
    resolved_locale: str = strawberry.field(description="The locale of the translation shown.")
    is_fallback: bool = strawberry.field(
        description="True when the post has no translation in the requested locale."
    )
    translation_status: TranslationStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="State of the translation shown (drafts show only in previews)."
    )
    title: str
    slug: str = strawberry.field(description="The canonical slug in `resolvedLocale`.")
    excerpt: str
    seo_title: str | None
    seo_description: str | None
    translation_updated_at: datetime
    text_version: int = strawberry.field(
        description="The text version of the translation shown (see `PostLocale`)."
    )
    row: Private[PostRow]
    translation_id: Private[int]
    translations: Private[list[TranslationRow]]
    chain: Private[tuple[str, ...]]
    requested_locale: str = requested_locale_field()
    # False when built for a preview: draft translations and neighbours show too.
    published_only: Private[bool] = True

    # Relations load themselves through the request's DataLoaders, whatever path reached
    # the post: on a page of posts, each relation costs one statement for the whole page.

    @strawberry.field
    def category(self, info: Info) -> Category | None:
        category_id = self.row["category_id"]
        if category_id is None:
            return None
        around = self._around(info)
        return from_loader(
            self._loaders(info).taxonomy.category,
            category_id,
            lambda rows: Category.build(category_id, rows, self.chain, around) if rows else None,
        )

    @strawberry.field(description="Sorted by name.")
    def tags(self, info: Info) -> list[Tag]:
        around = self._around(info)

        def build(rows: list[PostTagRow]) -> list[Tag]:
            by_tag: dict[int, list[PostTagRow]] = {}
            for row in rows:
                by_tag.setdefault(row["tag_id"], []).append(row)
            return Tag.build_sorted(by_tag, self.chain, around)

        return from_loader(self._loaders(info).taxonomy.tags_of_post, int(self.id), build)

    @strawberry.field
    def author(self, info: Info) -> Author | None:
        author_id = self.row["author_id"]
        if author_id is None:
            return None
        around = self._around(info)
        return from_loader(
            self._loaders(info).taxonomy.author,
            author_id,
            lambda row: Author.build(row, self.chain, around) if row else None,
        )

    def _loaders(self, info: Info) -> Loaders:
        return info.context.loaders_for(self.published_only)

    def _around(self, info: Info) -> bool:
        """Whether the terms and author of this post lead to published posts only: drafts
        show there too in a preview, unless the token previews this one post."""
        return self.published_only or info.context.viewer.post_id is not None

    @classmethod
    def build(
        cls,
        row: PostRow,
        translations: list[TranslationRow],
        chain: tuple[str, ...],
        published_only: bool = True,
    ) -> Post | None:
        """The post as seen through ``chain``, or None when no translation is in it.

        A preview always shows something: with no translation in ``chain``, the source's.
        """
        chosen = pick(translations, chain)
        if chosen is None and not published_only and translations:
            source = sources.effective_source(row["source_locale"], translations, None)
            chosen = next(t for t in translations if t["locale"] == source)
        if chosen is None:
            return None
        return cls(
            id=strawberry.ID(str(row["id"])),
            status=PostStatus(row["status"]),
            version=row["version"],
            publish_at=row["publish_at"],
            unpublish_at=row["unpublish_at"],
            translation_status=TranslationStatus(chosen["status"]),
            series_number=row["series_number"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            trashed_at=row["deleted_at"],
            locale=chain[0],
            resolved_locale=chosen["locale"],
            is_fallback=chosen["locale"] != chain[0],
            title=chosen["title"],
            slug=chosen["slug"],
            excerpt=chosen["excerpt"],
            seo_title=chosen["seo_title"],
            seo_description=chosen["seo_description"],
            translation_updated_at=chosen["updated_at"],
            text_version=chosen["text_version"],
            row=row,
            translation_id=chosen["id"],
            translations=translations,
            chain=chain,
            published_only=published_only,
        )

    @strawberry.field
    async def body(self, info: Info) -> PostBody:
        row = await self._loaders(info).posts.body.load(self.translation_id)
        assert row is not None  # the translation was read in this request
        return await PostBody.build(row, info, self.chain)

    @strawberry.field(description="The locale the post was first written in.")
    def source_locale(self, info: Info) -> str:
        recorded: str | None = self.row["source_locale"]
        if recorded is not None:
            return recorded  # even when its translation is one this reader may not see
        source = sources.effective_source(
            None, self.translations, info.context.settings.default_locale
        )
        assert source is not None  # a post is built from one of its translations
        return source

    @strawberry.field(
        description="Every configured locale, in the configured order: translated or not, "
        "published or not, up to date with its source or outdated.",
        extensions=[Requires(Permission.READ_DRAFTS)],
    )
    async def locales(self, info: Info) -> list[PostLocale]:
        # Every translation, drafts included, whoever the list was built for: one batch per
        # page (in a preview, the very rows the post was built from).
        every = await info.context.loaders_for(False).posts.translations.load(int(self.id))
        states = sources.locale_states(self.row, every, info.context.settings.locales)
        return [PostLocale.build(state) for state in states]

    @strawberry.field(
        description="The account that created the post (authors change their own drafts).",
        extensions=[Requires(Permission.READ_DRAFTS)],
    )
    def created_by_id(self) -> strawberry.ID | None:
        created_by = self.row["created_by_id"]
        return strawberry.ID(str(created_by)) if created_by is not None else None

    @strawberry.field(description="What the caller may do to this post now.")
    def viewer_can(self, info: Info) -> PostRights:
        rights = post_rights.rights(info.context.viewer, post_rights.PostFacts.of(self.row))
        return PostRights(
            edit=rights.edit,
            publish=rights.publish,
            trash=rights.trash,
            restore=rights.restore,
            purge=rights.purge,
            view_revisions=rights.view_revisions,
        )

    @strawberry.field(
        description="The history of this post, newest first.",
        extensions=[Requires(Permission.VIEW_REVISIONS)],
    )
    async def revisions(self, first: int = 20) -> list[Revision]:
        rows = await history.revisions(int(self.id), min(max(first, 1), 100))
        return [
            Revision(
                id=strawberry.ID(str(r["id"])),
                version=r["version"],
                action=r["action"],
                account_id=strawberry.ID(str(r["account_id"])) if r["account_id"] else None,
                account_name=r["account_name"],
                created_at=r["created_at"],
                snapshot=r["snapshot"],
            )
            for r in rows
        ]

    @strawberry.field(description="The post's page on the public site, in `resolvedLocale`.")
    def url(self, info: Info) -> str:
        return info.context.settings.post_url(self.resolved_locale, self.slug)

    @strawberry.field(
        description='schema.org BlogPosting, for a <script type="application/ld+json">.'
    )
    async def json_ld(self, info: Info) -> JSON:
        context = info.context
        loaders = self._loaders(info)
        url = context.settings.post_url(self.resolved_locale, self.slug)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.seo_title or self.title,
            "description": self.seo_description or self.excerpt or None,
            "inLanguage": self.resolved_locale,
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "datePublished": self.published_at.isoformat() if self.published_at else None,
            "dateModified": max(self.updated_at, self.translation_updated_at).isoformat(),
        }
        if self.row["author_id"] is not None:
            author = await loaders.taxonomy.author.load(self.row["author_id"])
            if author:
                data["author"] = {"@type": "Person", "name": author["name"]}
        if self.row["category_id"] is not None:
            rows = await loaders.taxonomy.category.load(self.row["category_id"])
            if rows:
                data["articleSection"] = localize(rows, self.chain)[0]["name"]
        tags = await loaders.taxonomy.tags_of_post.load(int(self.id))
        if tags:
            by_tag: dict[int, list[PostTagRow]] = {}
            for row in tags:
                by_tag.setdefault(row["tag_id"], []).append(row)
            data["keywords"] = [localize(rows, self.chain)[0]["name"] for rows in by_tag.values()]
        if self.row["cover_id"] is not None:
            cover = await loaders.media.by_id.load(self.row["cover_id"])
            if cover is not None and cover.renditions:
                data["image"] = context.storage.url(cover.renditions[0]["key"])
        return JSON({key: value for key, value in data.items() if value is not None})

    @strawberry.field(description="Published events the post mentions.")
    async def events(self, info: Info) -> list[Event]:
        loaders = info.context.loaders  # events are public: the same in a preview
        return await load_events(
            info, await loaders.events.ids_by_post.load(int(self.id)), self.chain
        )

    @strawberry.field(description="The image shown with the post.")
    def cover(self, info: Info) -> Media | None:
        cover_id = self.row["cover_id"]
        if cover_id is None:
            return None
        return from_loader(
            info.context.loaders.media.by_id,
            cover_id,
            lambda found: Media.build(found) if found else None,
        )

    @strawberry.field(description="Every translation of this post (hreflang alternates).")
    def alternates(self) -> list[Alternate]:
        return [
            Alternate(locale=t["locale"], slug=t["slug"], title=t["title"])
            for t in sorted(self.translations, key=lambda t: t["locale"])
        ]

    @strawberry.field(description="The post numbered just before this one in its category.")
    async def previous(self, info: Info) -> Post | None:
        return await self._neighbour(info, -1)

    @strawberry.field(description="The post numbered just after this one in its category.")
    async def next(self, info: Info) -> Post | None:
        return await self._neighbour(info, +1)

    async def _neighbour(self, info: Info, step: int) -> Post | None:
        number, category_id = self.row["series_number"], self.row["category_id"]
        if number is None or category_id is None:
            return None
        # A token previewing one post sees its published neighbours only.
        published_only = self.published_only or info.context.viewer.post_id is not None
        loaders = info.context.loaders_for(published_only).posts
        found = await loaders.neighbours.load((int(self.id), self.chain))
        target = found and (found["previous_id"] if step < 0 else found["next_id"])
        if target is None:
            return None
        return await post_builders().load_post(info, target, self.chain, published_only)


def _edge_cursor(root: PostEdge) -> str:
    # Made when asked for: a page's reader usually wants the last one only.
    return service.encode_cursor(root.order, root.row)


@strawberry.type
class PostEdge:
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: Post
    order: Private[service.PostOrder]
    row: Private[service.ListedPostRow]


@strawberry.type(description="A page of posts.")
class PostConnection:
    edges: list[PostEdge]
    page_info: PageInfo
    query: Private[service.PostQuery]
    # Counted with the page when the query asked for it (see ``service.list_posts``).
    total: Private[int | None] = None

    @strawberry.field(description="Posts on this page, without cursors.")
    def nodes(self) -> list[Post]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many posts match, across all pages.")
    def total_count(self) -> int:
        if self.total is not None:
            return self.total
        # graphql-core awaits what a resolver returns when it is awaitable (as from_loader
        # relies on): the count costs a statement and a turn of the loop only when not known.
        return cast(int, service.count_posts(self.query))
