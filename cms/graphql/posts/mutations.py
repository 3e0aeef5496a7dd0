"""Mutations that write posts and their translations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import field
from datetime import datetime
from typing import Annotated

import strawberry

from cms.graphql.common import LocaleArg
from cms.graphql.context import Context, Info
from cms.graphql.ids import required_id
from cms.graphql.payloads import MutationError, run
from cms.graphql.permissions import Requires
from cms.graphql.posts.resolvers import load_post
from cms.graphql.posts.types import Post
from cms.services import post_writing
from cms.services.permissions import Permission


@strawberry.input(
    description="A translation's content; the slug is made from the title if omitted."
)
class TranslationInput:
    locale: str
    title: str
    slug: str | None = None
    excerpt: str = ""
    body: str = strawberry.field(default="", description="Markdown (CommonMark).")
    seo_title: str | None = None
    seo_description: str | None = None
    source_version: int | None = strawberry.field(
        default=None,
        description="The `textVersion` of the source this text follows, as the translator saw "
        "it; never above its current one. Omitted: a new translation follows the source's "
        "current text, a saved one keeps what it recorded. Not for the post's source locale.",
    )
    source_locale: str | None = strawberry.field(
        default=None,
        description="The translation this text follows: another existing translation of the "
        "post. Omitted: the one it followed before, else the post's `sourceLocale`.",
    )

    def to_service(self) -> post_writing.TranslationInput:
        return post_writing.TranslationInput(
            locale=self.locale,
            title=self.title,
            slug=self.slug,
            excerpt=self.excerpt,
            body=self.body,
            seo_title=self.seo_title,
            seo_description=self.seo_description,
            source_locale=self.source_locale,
            source_version=self.source_version,
        )


PUBLISHED_AT = (
    "Backdating: when the post was first published, a past instant with a UTC offset (from "
    "1900). Needs the publish permission."
)


@strawberry.input
class CreatePostInput:
    translations: list[TranslationInput]
    series_number: int | None = None
    category_id: strawberry.ID | None = None
    author_id: strawberry.ID | None = strawberry.field(
        default=None, description="The byline; an author's own profile when omitted."
    )
    tag_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    cover_id: strawberry.ID | None = None
    event_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Events the post mentions."
    )
    published_at: datetime | None = strawberry.field(default=None, description=PUBLISHED_AT)


@strawberry.input(description="Fields left out keep their value; null clears a field.")
class UpdatePostInput:
    series_number: int | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.UNSET
    author_id: strawberry.ID | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET
    cover_id: strawberry.ID | None = strawberry.UNSET
    event_ids: list[strawberry.ID] | None = strawberry.UNSET
    published_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description=PUBLISHED_AT + " It cannot be cleared."
    )
    translation: TranslationInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="A translation to add or change in the same save: one version, one "
        "revision, all or nothing.",
    )


@strawberry.type
class PostPayload:
    post: Post | None = None
    errors: list[MutationError] = field(default_factory=list)


def _actor(context: Context) -> post_writing.Actor:
    return post_writing.Actor.of(context.viewer, context.settings.locales)


async def _payload(
    info: Info,
    locale: str | None,
    write: Callable[[post_writing.Actor], Awaitable[int]],
    *,
    show: bool = True,
) -> PostPayload:
    """Run ``write`` (which returns the post id) and answer with the post as its writer sees
    it, drafts included (unless ``show`` is off: the post is gone), or with the error that
    stopped it."""

    async def answer() -> PostPayload:
        context = info.context
        chain = context.chain(locale)
        post_id = await write(_actor(context))
        if not show:
            return PostPayload()
        post = await load_post(info, post_id, chain, published_only=False)
        return PostPayload(post=post)

    return await run(PostPayload, answer)


async def _change(
    info: Info,
    id: strawberry.ID,
    locale: str | None,
    change: Callable[[post_writing.Actor, int], Awaitable[None]],
    *,
    id_field: str = "id",
    show: bool = True,
) -> PostPayload:
    """Apply ``change`` to one post; the service decides whether the caller may."""

    async def write(actor: post_writing.Actor) -> int:
        post_id = required_id(id, id_field)
        await change(actor, post_id)
        return post_id

    return await _payload(info, locale, write, show=show)


def _ids(values: list[strawberry.ID] | None, name: str) -> list[int]:
    return [required_id(v, name) for v in values or ()]


def _optional_id(value: strawberry.ID | object | None, name: str) -> int | object | None:
    if value is strawberry.UNSET or value is None:
        return post_writing.KEEP if value is strawberry.UNSET else None
    return required_id(value, name)  # type: ignore[arg-type]


def _keep(value: object) -> object:
    return post_writing.KEEP if value is strawberry.UNSET else value


@strawberry.type
class PostMutations:
    @strawberry.mutation(
        description="Write a new post, as a draft, with its first translations.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def create_post(
        self, info: Info, input: CreatePostInput, locale: LocaleArg = None
    ) -> PostPayload:
        async def write(actor: post_writing.Actor) -> int:
            fields = post_writing.PostFields(
                series_number=input.series_number,
                category_id=_optional_id(input.category_id, "categoryId"),  # type: ignore[arg-type]
                author_id=_optional_id(input.author_id, "authorId"),  # type: ignore[arg-type]
                cover_id=_optional_id(input.cover_id, "coverId"),  # type: ignore[arg-type]
                event_ids=_ids(input.event_ids, "eventIds"),
                tag_ids=_ids(input.tag_ids, "tagIds"),
                published_at=post_writing.KEEP
                if input.published_at is None
                else input.published_at,
            )
            translations = [t.to_service() for t in input.translations]
            return (await post_writing.create_post(actor, fields, translations)).id

        return await _payload(info, locale, write)

    @strawberry.mutation(
        description="Change a post's number, category, byline or tags.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def update_post(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: int,
        input: UpdatePostInput,
        locale: LocaleArg = None,
    ) -> PostPayload:
        async def write(actor: post_writing.Actor) -> int:
            post_id = required_id(id)
            fields = post_writing.PostFields(
                series_number=_keep(input.series_number),  # type: ignore[arg-type]
                category_id=_optional_id(input.category_id, "categoryId"),  # type: ignore[arg-type]
                author_id=_optional_id(input.author_id, "authorId"),  # type: ignore[arg-type]
                cover_id=_optional_id(input.cover_id, "coverId"),  # type: ignore[arg-type]
                event_ids=post_writing.KEEP
                if input.event_ids is strawberry.UNSET
                else _ids(input.event_ids, "eventIds"),
                tag_ids=post_writing.KEEP
                if input.tag_ids is strawberry.UNSET
                else _ids(input.tag_ids, "tagIds"),
                published_at=_keep(input.published_at),  # type: ignore[arg-type]
            )
            translation = (
                None
                if input.translation in (None, strawberry.UNSET)
                else input.translation.to_service()
            )
            await post_writing.update_post(actor, post_id, expected_version, fields, translation)
            return post_id

        return await _payload(info, locale, write)

    @strawberry.mutation(
        description="Add a translation (as a draft) or change one (keeping its state).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def upsert_translation(
        self,
        info: Info,
        post_id: strawberry.ID,
        expected_version: int,
        input: TranslationInput,
    ) -> PostPayload:
        return await _change(
            info,
            post_id,
            input.locale,
            lambda actor, ident: post_writing.upsert_translation(
                actor, ident, expected_version, input.to_service()
            ),
            id_field="postId",
        )

    @strawberry.mutation(
        description="Remove one translation (a post keeps at least one).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def delete_translation(
        self, info: Info, post_id: strawberry.ID, expected_version: int, locale: str
    ) -> PostPayload:
        return await _change(
            info,
            post_id,
            None,
            lambda actor, ident: post_writing.delete_translation(
                actor, ident, expected_version, locale
            ),
            id_field="postId",
        )

    @strawberry.mutation(
        description="Publish the post and its translations, or only those in `locales`.",
        extensions=[Requires(Permission.PUBLISH)],
    )
    async def publish_post(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: int,
        locales: list[str] | None = None,
        locale: LocaleArg = None,
        published_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="Backdating: the date to show as first published (a past instant "
                "with a UTC offset), replacing any earlier one. Omitted: the earlier date, or now."
            ),
        ] = None,
    ) -> PostPayload:
        return await _change(
            info,
            id,
            locale,
            lambda actor, ident: post_writing.publish(
                actor, ident, expected_version, locales, published_at
            ),
        )

    @strawberry.mutation(
        description="Back to draft: the post, or only the translations in `locales`.",
        extensions=[Requires(Permission.PUBLISH)],
    )
    async def unpublish_post(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: int,
        locales: list[str] | None = None,
        locale: LocaleArg = None,
    ) -> PostPayload:
        return await _change(
            info,
            id,
            locale,
            lambda actor, ident: post_writing.unpublish(actor, ident, expected_version, locales),
        )

    @strawberry.mutation(
        description="Go live at `publishAt` and/or come down at `unpublishAt`, unattended.",
        extensions=[Requires(Permission.PUBLISH)],
    )
    async def schedule_post(
        self,
        info: Info,
        id: strawberry.ID,
        expected_version: int,
        publish_at: datetime | None = None,
        unpublish_at: datetime | None = None,
        locale: LocaleArg = None,
    ) -> PostPayload:
        return await _change(
            info,
            id,
            locale,
            lambda actor, ident: post_writing.schedule(
                actor, ident, expected_version, publish_at, unpublish_at
            ),
        )

    @strawberry.mutation(
        description="Take a post down for good, keeping it.",
        extensions=[Requires(Permission.PUBLISH)],
    )
    async def archive_post(
        self, info: Info, id: strawberry.ID, expected_version: int, locale: LocaleArg = None
    ) -> PostPayload:
        return await _change(
            info,
            id,
            locale,
            lambda actor, ident: post_writing.archive(actor, ident, expected_version),
        )

    @strawberry.mutation(
        description="Move a post to the trash: hidden, restorable, its slugs reserved.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def delete_post(
        self, info: Info, id: strawberry.ID, expected_version: int
    ) -> PostPayload:
        return await _change(
            info,
            id,
            None,
            lambda actor, ident: post_writing.trash(actor, ident, expected_version),
            show=False,
        )

    @strawberry.mutation(
        description="Bring a post back from the trash.",
        extensions=[Requires(Permission.EDIT_ANY_CONTENT)],
    )
    async def restore_post(
        self, info: Info, id: strawberry.ID, locale: LocaleArg = None
    ) -> PostPayload:
        return await _change(info, id, locale, post_writing.restore)

    @strawberry.mutation(
        description="Delete a trashed post for good, with its history.",
        extensions=[Requires(Permission.PURGE)],
    )
    async def purge_post(self, info: Info, id: strawberry.ID) -> PostPayload:
        return await _change(
            info,
            id,
            None,
            post_writing.purge,
            show=False,
        )

    @strawberry.mutation(
        description="Bring back an earlier revision's content, as a new revision.",
        extensions=[Requires(Permission.EDIT_ANY_CONTENT)],
    )
    async def restore_revision(
        self,
        info: Info,
        post_id: strawberry.ID,
        revision_id: strawberry.ID,
        expected_version: int,
        locale: LocaleArg = None,
    ) -> PostPayload:
        return await _change(
            info,
            post_id,
            locale,
            lambda actor, ident: post_writing.restore_revision(
                actor, ident, expected_version, required_id(revision_id, "revisionId")
            ),
            id_field="postId",
        )
