"""Read-only post queries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.graphql.common import LocaleArg, PreviewArg
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput, Forbidden
from cms.graphql.ids import parse_id
from cms.graphql.permissions import Requires
from cms.graphql.posts.inputs import MAX_SEARCH, PostFilter, PostOrder, TranslationFilter
from cms.graphql.posts.resolvers import load_post, post_connection
from cms.graphql.posts.types import Post, PostBody, PostConnection
from cms.models import PostStatus
from cms.services import post_rights
from cms.services import posts as service
from cms.services.markdown import derived_fields
from cms.services.permissions import Permission
from cms.services.post_writing import MAX_BODY
from cms.services.translation_sources import TranslationState


def _service_filter(info: Info, value: PostFilter | None, preview: bool) -> service.PostFilter:
    if value is None:
        return service.PostFilter()
    if value.trashed:
        if not preview:
            raise BadUserInput("The trash is listed with preview: true only.", field="trashed")
        if not post_rights.may_see_trash(info.context.viewer):
            raise Forbidden("Listing the trash needs the edit_any_content permission.")
    if value.search is not None and len(value.search) > MAX_SEARCH:
        raise BadUserInput(
            f"'search' has at most {MAX_SEARCH} characters, got {len(value.search)}.",
            field="search",
        )
    return service.PostFilter(
        category_id=parse_id(value.category_id, "categoryId"),
        category_slug=value.category_slug,
        tag_id=parse_id(value.tag_id, "tagId"),
        tag_slug=value.tag_slug,
        author_id=parse_id(value.author_id, "authorId"),
        author_slug=value.author_slug,
        series_number=value.series_number,
        published_after=_instant(value.published_after, "publishedAfter"),
        published_before=_instant(value.published_before, "publishedBefore"),
        statuses=None
        if value.status is None
        # strawberry.enum(...) is no type to mypy, so neither are the list's items.
        else tuple(PostStatus(status.value) for status in value.status),  # type: ignore[attr-defined]
        search=value.search,
        trashed=bool(value.trashed),
        translation=_translation_filter(info, value.translation),
    )


def _translation_filter(
    info: Info, value: TranslationFilter | None
) -> service.TranslationFilter | None:
    if value is None:
        return None
    locales = info.context.settings.locales
    if value.locale not in locales:
        raise BadUserInput(
            f"Unknown locale {value.locale!r}; use one of {', '.join(locales)}.",
            field="translation",
        )
    state = None if value.state is None else TranslationState(value.state.value)
    return service.TranslationFilter(locale=value.locale, state=state)


def _instant(value: datetime | None, field: str) -> datetime | None:
    """An instant needs an offset: "2026-03-01T13:00:00" alone could be any time zone's."""
    if value is not None and value.utcoffset() is None:
        raise BadUserInput(
            f"{field!r} needs a UTC offset, such as 2026-03-01T13:00:00-05:00 or …Z.", field=field
        )
    return value


@strawberry.type
class PostQueries:
    @strawberry.field(
        description="One post by id or by a slug of any locale. The returned `slug` is the "
        "canonical one for `resolvedLocale`: redirect when it differs from the one asked for.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
    )
    async def post(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: LocaleArg = None,
        preview: PreviewArg = False,
    ) -> Post | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of 'id' and 'slug'.", field="id")
        context = info.context
        chain = context.chain(locale)
        published_only = not preview
        post_id = parse_id(id, "id")
        # The trash is opened by id only, never by a slug.
        with_trash = preview and id is not None and post_rights.may_see_trash(context.viewer)
        # All the post's page shows comes in one statement, into the request's loaders.
        full = await service.full_post(
            chain, post_id=post_id, slug=slug, published_only=published_only, with_trash=with_trash
        )
        if full is None:
            return None
        if preview and not post_rights.may_preview(context.viewer, full.row["id"]):
            return None
        loaders = context.loaders_for(published_only).posts
        loaders.prime_full(full, chain, with_trash=with_trash)
        return await load_post(info, full.row["id"], chain, published_only, with_trash=with_trash)

    @strawberry.field(
        description="Posts with a translation in the locale or its fallbacks; a preview lists "
        "every post, in its source language when none is in them.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
    )
    async def posts(
        self,
        info: Info,
        locale: LocaleArg = None,
        filter: PostFilter | None = None,
        order_by: PostOrder = PostOrder.NEWEST,
        first: int = 20,
        after: str | None = None,
        preview: PreviewArg = False,
        last: int | None = None,
        before: str | None = None,
    ) -> PostConnection:
        context = info.context
        if preview and not post_rights.may_list_previews(context.viewer):
            raise Forbidden("A preview token for one post cannot list drafts.")
        chain = context.chain(locale)
        return await post_connection(
            info,
            chain,
            _service_filter(info, filter, preview),
            order_by,
            first,
            after,
            not preview,
            last=last,
            before=before,
        )

    @strawberry.field(
        description="Markdown rendered as a save would render it, and shown as readers are "
        "shown a body (sanitized HTML, media embeds as <picture> in `locale`): a live preview. "
        "Writes nothing.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def preview_body(self, info: Info, markdown: str, locale: LocaleArg = None) -> PostBody:
        chain = info.context.chain(locale)
        if len(markdown) > MAX_BODY:
            raise BadUserInput(
                f"A body has at most {MAX_BODY} characters, got {len(markdown)}.",
                field="markdown",
            )
        return await PostBody.build(derived_fields(markdown), info, chain)
