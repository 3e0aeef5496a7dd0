"""Writing posts: create, edit, translate, publish, trash, restore, with history.

Every operation that changes a post runs in one transaction that starts with a conditional
version bump (``UPDATE post SET version = version + 1 WHERE id = ? AND version = ?``): of two
writers holding the same version exactly one gets the row, the other gets a
:class:`VersionConflict`, on SQLite and on PostgreSQL alike. The transaction ends by appending
a revision, so a failure anywhere leaves neither a partial write nor a stray revision.
Each such write also emits the webhook its change calls for, in the same transaction
(:mod:`cms.services.webhooks.diffs`), judged from the same one read of the post as left by
the write that its revision records (:func:`record_revision`).

Translations record which text they follow and at which version, by the rules of
:mod:`cms.services.translation_sources`; a write that changes a translation's text moves its
``text_version`` up, which is what makes the translations that follow it outdated.

A write that changes a translation's slug keeps the slug it replaces (:class:`PostSlug`), in
the same transaction, so links that used it keep finding the post; a slug some post takes as
its current one stops being anyone's old slug (a current slug always wins).

Who may do what (:mod:`cms.services.post_rights`) is checked first thing in each write's
transaction, against the post as locked there, with the rights of the :class:`Actor`: a
check made before the transaction could pass on a draft that an editor publishes before the
write lands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from typing import Any, cast
from urllib.parse import unquote

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Coalesce
from tortoise.transactions import in_transaction

from cms.models import (
    Author,
    Category,
    Event,
    Media,
    Post,
    PostSlug,
    PostStatus,
    PostTranslation,
    Revision,
    Tag,
    TranslationStatus,
)
from cms.services.errors import ContentError, VersionConflict, not_found
from cms.services.markdown import derived_fields
from cms.services.permissions import SYSTEM, Viewer
from cms.services.post_rights import Action, byline, may_date, require
from cms.services.text import slugify
from cms.services.translation_sources import (
    NOTHING,
    TEXT_FIELDS,
    Follows,
    effective_source,
    first_source,
    resolve,
    restored,
)
from cms.services.webhooks.diffs import PostChange, post_change

# \Z, not $: "$" also matches before a final newline, and "abc\n" is no slug.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_TITLE = 300
MAX_SLUG = 200
MAX_BODY = 200_000
EARLIEST_PUBLICATION = datetime(1900, 1, 1, tzinfo=UTC)
_SLUG_ATTEMPTS = 5


class Keep(Enum):
    """Marks an update field the caller left out (as opposed to setting it to null)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class TranslationInput:
    locale: str
    title: str
    slug: str | None = None  # generated from the title when None
    excerpt: str = ""
    body: str = ""
    seo_title: str | None = None
    seo_description: str | None = None
    # The translation this text was made from and the text_version of it the translator saw
    # (the post's source takes neither); see :func:`cms.services.translation_sources.resolve`.
    source_locale: str | None = None
    source_version: int | None = None


@dataclass(frozen=True)
class PostFields:
    """Post-level fields; on update, ``KEEP`` leaves a field as it is."""

    series_number: int | Keep | None = KEEP
    category_id: int | Keep | None = KEEP
    author_id: int | Keep | None = KEEP
    cover_id: int | Keep | None = KEEP
    event_ids: Sequence[int] | Keep = KEEP
    tag_ids: Sequence[int] | Keep = KEEP
    # A date in the past (backdating); null is refused: a publication date is not removed.
    published_at: datetime | Keep | None = KEEP


@dataclass(frozen=True)
class Actor:
    """Who writes: recorded on revisions and as the creator of new posts, and whose rights
    the rules of :mod:`cms.services.post_rights` check, in each write's transaction."""

    account_id: int | None
    # The configured locales: translations in any other are refused.
    locales: tuple[str, ...]
    # Whose rights decide. Always said: a caller who forgets cannot write as the server.
    viewer: Viewer

    @classmethod
    def of(cls, viewer: Viewer, locales: Sequence[str]) -> Actor:
        """A person (or a token) writing: recorded as themselves, held to their rights."""
        return cls(account_id=viewer.account_id, locales=tuple(locales), viewer=viewer)

    @classmethod
    def system(cls, locales: Sequence[str], account_id: int | None = None) -> Actor:
        """The server itself (the scheduler, imports, the demo, commands): no rule refuses
        it; ``account_id`` names the person a command acts for, if any, on revisions."""
        return cls(account_id=account_id, locales=tuple(locales), viewer=SYSTEM)

    @property
    def default_locale(self) -> str | None:
        return self.locales[0] if self.locales else None


async def create_post(
    actor: Actor, fields: PostFields, translations: Sequence[TranslationInput]
) -> Post:
    async with in_transaction():
        fields = await _allowed_fields(actor, fields)
        if not translations:
            raise ContentError("translations", "INVALID", "A post needs at least one translation.")
        locales = [t.locale for t in translations]
        _check_locales(actor, locales)
        source = first_source(locales, actor.default_locale)
        # Every translation is new: each is at text version 1.
        versions = dict.fromkeys(locales, 1)
        follows = [
            resolve(t.locale, source, versions, t.source_locale, t.source_version, None)
            for t in translations
        ]
        values = await _post_values(None, fields)
        with _series_race(values):
            post = await Post.create(
                status=PostStatus.DRAFT,
                created_by_id=actor.account_id,
                source_locale=source,
                **values,
            )
        await _set_tags(post, fields.tag_ids)
        await _set_events(post, fields.event_ids)
        for translation, follow in zip(translations, follows, strict=True):
            await _write_translation(post.id, translation, TranslationStatus.DRAFT, follows=follow)
        await record_revision(post.id, actor, "create")
    return post


async def update_post(
    actor: Actor,
    post_id: int,
    expected: int,
    fields: PostFields,
    translation: TranslationInput | None = None,
) -> None:
    """Change post-level fields and, with ``translation``, one translation as well: one save,
    one version, one revision (what an editor's Save button sends)."""
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.EDIT)
        fields = await _allowed_fields(actor, fields)
        if translation is not None:
            _check_locales(actor, [translation.locale])
        values = await _post_values(post_id, fields)
        with _series_race(values):
            post = await _bump(post_id, expected, **values)
        await _set_tags(post, fields.tag_ids)
        await _set_events(post, fields.event_ids)
        if translation is not None:
            await _upsert(actor, post, translation)
        await record_revision(post_id, actor, "update", change)


async def upsert_translation(
    actor: Actor, post_id: int, expected: int, translation: TranslationInput
) -> None:
    """Add a translation (as a draft) or change one (keeping its state)."""
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.EDIT)
        _check_locales(actor, [translation.locale])
        post = await _bump(post_id, expected)
        await _upsert(actor, post, translation)
        await record_revision(post_id, actor, "translate", change)


async def _upsert(actor: Actor, post: Post, translation: TranslationInput) -> None:
    """Write one translation of a post the caller has claimed, recording what it follows."""
    translations = await PostTranslation.filter(post_id=post.id).order_by("id")
    source = await _source_of(post, translations, actor)
    existing = next((t for t in translations if t.locale == translation.locale), None)
    status = existing.status if existing else TranslationStatus.DRAFT
    follows = resolve(
        translation.locale,
        source or translation.locale,
        {t.locale: t.text_version for t in translations},
        translation.source_locale,
        translation.source_version,
        _follows_of(existing),
    )
    await _write_translation(post.id, translation, status, existing, follows=follows)


async def delete_translation(actor: Actor, post_id: int, expected: int, locale: str) -> None:
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.EDIT)
        post = await _bump(post_id, expected)
        translations = await PostTranslation.filter(post_id=post_id).order_by("id")
        if locale not in {t.locale for t in translations}:
            raise ContentError("locale", "NOT_FOUND", f"The post has no {locale} translation.")
        if len(translations) == 1:
            raise ContentError(
                "locale", "INVALID", "A post keeps at least one translation; trash it instead."
            )
        source = await _source_of(post, translations, actor)
        await PostTranslation.filter(post_id=post_id, locale=locale).delete()
        remaining = [t for t in translations if t.locale != locale]
        await _refollow(post_id, locale, source, remaining, actor)
        await record_revision(post_id, actor, "delete_translation", change)


async def publish(
    actor: Actor,
    post_id: int,
    expected: int,
    locales: Sequence[str] | None = None,
    published_at: datetime | None = None,
) -> None:
    """Publish the post and its translations (all, or those in ``locales``).

    The post keeps the date it was first published on, unless ``published_at`` (a past
    date: backdating) replaces it.
    """
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.PUBLISH)
        if published_at is not None:
            published_at = publication_date(published_at)
        await _claim(
            post_id,
            expected,
            status=PostStatus.PUBLISHED,
            published_at=published_at or Coalesce("published_at", datetime.now(UTC)),
            publish_at=None,
        )
        targets = await _translations_named(post_id, locales)
        await PostTranslation.filter(id__in=[t.id for t in targets]).update(
            status=TranslationStatus.PUBLISHED
        )
        await record_revision(post_id, actor, "publish", change)


async def unpublish(
    actor: Actor, post_id: int, expected: int, locales: Sequence[str] | None = None
) -> None:
    """Take the post back to draft, or only the translations in ``locales``."""
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.PUBLISH)
        await _claim(post_id, expected)
        if locales:
            targets = await _translations_named(post_id, locales)
            await PostTranslation.filter(id__in=[t.id for t in targets]).update(
                status=TranslationStatus.DRAFT
            )
        else:
            await Post.filter(id=post_id).update(
                status=PostStatus.DRAFT, publish_at=None, unpublish_at=None
            )
        await record_revision(post_id, actor, "unpublish", change)


async def schedule(
    actor: Actor,
    post_id: int,
    expected: int,
    publish_at: datetime | None,
    unpublish_at: datetime | None,
) -> None:
    """Go live at ``publish_at`` and/or come down at ``unpublish_at``, with nobody present."""
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.PUBLISH)
        now = datetime.now(UTC)
        # Stored in UTC: SQLite compares timestamps as text, and the scheduler compares with now.
        publish_at = _in_utc(publish_at, "publishAt") if publish_at is not None else None
        unpublish_at = _in_utc(unpublish_at, "unpublishAt") if unpublish_at is not None else None
        if publish_at is None and unpublish_at is None:
            raise ContentError("publishAt", "INVALID", "Give publishAt, unpublishAt or both.")
        if publish_at is not None and publish_at <= now:
            raise ContentError("publishAt", "INVALID", "publishAt must be in the future.")
        if unpublish_at is not None and unpublish_at <= (publish_at or now):
            raise ContentError(
                "unpublishAt", "INVALID", "unpublishAt must come after publishAt and after now."
            )
        post = await _bump(post_id, expected)
        changes: dict[str, Any] = {"unpublish_at": unpublish_at}
        if publish_at is not None:
            changes |= {"status": PostStatus.SCHEDULED, "publish_at": publish_at}
        elif post.status is not PostStatus.PUBLISHED:
            raise ContentError(
                "unpublishAt", "INVALID", "Only a published post can be scheduled to come down."
            )
        await Post.filter(id=post_id).update(**changes)
        await record_revision(post_id, actor, "schedule", change)


async def archive(actor: Actor, post_id: int, expected: int) -> None:
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.PUBLISH)
        await _claim(
            post_id, expected, status=PostStatus.ARCHIVED, publish_at=None, unpublish_at=None
        )
        await record_revision(post_id, actor, "archive", change)


async def trash(actor: Actor, post_id: int, expected: int) -> None:
    """Hide the post everywhere; it stays restorable, and keeps its slugs, until purged."""
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.TRASH)
        await _claim(post_id, expected, deleted_at=datetime.now(UTC))
        await record_revision(post_id, actor, "trash", change)


async def restore(actor: Actor, post_id: int) -> None:
    async with in_transaction(), post_change(post_id) as change:
        await require(actor.viewer, post_id, Action.RESTORE)
        updated = await Post.filter(id=post_id, deleted_at__isnull=False).update(
            deleted_at=None, version=F("version") + 1, updated_at=datetime.now(UTC)
        )
        if not updated:
            raise ContentError("id", "NOT_FOUND", f"No post with id {post_id} is in the trash.")
        await record_revision(post_id, actor, "restore", change)


async def purge(actor: Actor, post_id: int) -> None:
    """Delete a trashed post for good, with its translations and history."""
    async with in_transaction(), post_change(post_id):
        await require(actor.viewer, post_id, Action.PURGE)
        deleted = await Post.filter(id=post_id, deleted_at__isnull=False).delete()
    if not deleted:
        raise ContentError("id", "NOT_FOUND", f"No post with id {post_id} is in the trash.")


async def restore_revision(actor: Actor, post_id: int, expected: int, revision_id: int) -> None:
    """Bring back the content of an earlier revision, as a new revision (history is kept)."""
    revision = await Revision.get_or_none(id=revision_id, post_id=post_id)
    if revision is None:
        raise not_found("revision of this post", revision_id, field="revisionId")
    snap = revision.snapshot
    async with in_transaction(), post_change(post_id) as change:
        await _bump(
            post_id,
            expected,
            series_number=snap["series_number"],
            category_id=await _existing(Category, snap["category_id"]),
            author_id=await _existing(Author, snap["author_id"]),
            cover_id=await _existing(Media, snap.get("cover_id")),
        )
        post = await Post.get(id=post_id)
        existing_tags = await Tag.filter(id__in=snap["tag_ids"]).values_list("id", flat=True)
        await _set_tags(post, _flat_ids(existing_tags))
        linked = snap.get("event_ids", [])
        await _set_events(
            post, _flat_ids(await Event.filter(id__in=linked).values_list("id", flat=True))
        )
        kept = {t["locale"] for t in snap["translations"]}
        await PostTranslation.filter(post_id=post_id).exclude(locale__in=kept).delete()
        current = {t.locale: t for t in await PostTranslation.filter(post_id=post_id)}
        texts = {t["locale"]: _restored_text(t) for t in snap["translations"]}
        # The text versions once restored: a changed text moves on, a re-created one takes
        # the number it had, so what followed it then lines up again.
        versions = {
            t["locale"]: _next_text_version(
                current.get(t["locale"]), _text(texts[t["locale"]]), t.get("text_version", 1)
            )
            for t in snap["translations"]
        }
        saved_versions = {t["locale"]: t.get("text_version", 1) for t in snap["translations"]}
        source = _restored_source(snap, post, current, actor)
        if source != post.source_locale:
            await Post.filter(id=post_id).update(source_locale=source)
        for t in snap["translations"]:
            existing = current.get(t["locale"])
            status = existing.status if existing else TranslationStatus.DRAFT
            follows = restored(t, saved_versions, source, versions, _follows_of(existing))
            await _write_translation(
                post_id,
                texts[t["locale"]],
                status,
                existing,
                follows=follows,
                text_version=versions[t["locale"]],
            )
        await record_revision(post_id, actor, "restore_revision", change)


# --- building blocks -----------------------------------------------------------------------


async def _allowed_fields(actor: Actor, fields: PostFields) -> PostFields:
    """``fields`` as the caller may write them: a publication date only from those who
    publish, and the byline an author's own (their profile when they name none)."""
    may_date(actor.viewer, None if fields.published_at is KEEP else fields.published_at)
    if fields.author_id is KEEP:
        return fields
    return replace(fields, author_id=await byline(actor.viewer, fields.author_id))


async def _bump(post_id: int, expected: int, **changes: Any) -> Post:
    """Claim the post at ``expected`` (see :func:`_claim`) and read it as claimed."""
    await _claim(post_id, expected, **changes)
    return await Post.get(id=post_id)


async def _claim(post_id: int, expected: int, **changes: Any) -> None:
    """Claim the post at ``expected`` by moving it to the next version, with ``changes`` in
    the same statement, or raise; for writes that need nothing more of the post's row."""
    updated = await Post.filter(id=post_id, version=expected, deleted_at__isnull=True).update(
        version=F("version") + 1, updated_at=datetime.now(UTC), **changes
    )
    if updated:
        return
    current = await Post.get_or_none(id=post_id, deleted_at__isnull=True)
    if current is None:
        raise not_found("post", post_id)
    raise VersionConflict(current.version)


async def _post_values(post_id: int | None, fields: PostFields) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if fields.category_id is not KEEP:
        values["category_id"] = await _reference(Category, fields.category_id, "categoryId")
    if fields.author_id is not KEEP:
        values["author_id"] = await _reference(Author, fields.author_id, "authorId")
    if fields.cover_id is not KEEP:
        values["cover_id"] = await _reference(Media, fields.cover_id, "coverId")
    if fields.series_number is not KEEP:
        if fields.series_number is not None and not 1 <= fields.series_number <= 1_000_000:
            raise ContentError("seriesNumber", "INVALID", "A series number is from 1 up.")
        values["series_number"] = fields.series_number
    if fields.published_at is not KEEP:
        values["published_at"] = publication_date(fields.published_at)
    number = values.get("series_number")
    if number is not None or "category_id" in values:
        await _check_series(post_id, values)
    return values


async def _check_series(post_id: int | None, values: dict[str, Any]) -> None:
    current = None
    if post_id is not None:
        current = await Post.get_or_none(id=post_id, deleted_at__isnull=True)
        if current is None:
            raise not_found("post", post_id)
    number = values.get("series_number", current.series_number if current else None)
    category_id = values.get("category_id", current.category_id if current else None)
    if number is None or category_id is None:
        return
    clash = Post.filter(category_id=category_id, series_number=number)
    if post_id is not None:
        clash = clash.exclude(id=post_id)
    if await clash.exists():
        raise ContentError(
            "seriesNumber", "CONFLICT", f"Number {number} is already used in this category."
        )


@contextmanager
def _series_race(values: dict[str, Any]) -> Iterator[None]:
    """A concurrent writer took the number between our check and our write."""
    try:
        yield
    except IntegrityError:
        if values.get("series_number") is None:
            raise
        number = values["series_number"]
        raise ContentError(
            "seriesNumber", "CONFLICT", f"Number {number} is already used in this category."
        ) from None


async def _reference(model: Any, ident: int | None, field_name: str) -> int | None:
    if ident is not None and not await model.exists(id=ident):
        raise not_found(model.__name__.lower(), ident, field=field_name)
    return ident


async def _existing(model: Any, ident: int | None) -> int | None:
    """``ident`` if that row still exists (restoring a revision drops deleted references)."""
    return ident if ident is not None and await model.exists(id=ident) else None


async def _set_tags(post: Post, tag_ids: Sequence[int] | Keep) -> None:
    if tag_ids is KEEP:
        return
    unique = list(dict.fromkeys(tag_ids))
    tags = await Tag.filter(id__in=unique)
    if len(tags) != len(unique):
        missing = sorted(set(unique) - {tag.id for tag in tags})
        raise ContentError("tagIds", "NOT_FOUND", f"No tag has id {missing[0]}.")
    await post.tags.clear()
    if tags:
        await post.tags.add(*tags)


async def _set_events(post: Post, event_ids: Sequence[int] | Keep) -> None:
    """The events a post mentions (drafts included: readers see the published ones)."""
    if event_ids is KEEP:
        return
    unique = list(dict.fromkeys(event_ids))
    events = await Event.filter(id__in=unique)
    if len(events) != len(unique):
        raise ContentError("eventIds", "NOT_FOUND", "An event does not exist.")
    await post.events.clear()
    if events:
        await post.events.add(*events)


def publication_date(value: datetime | None) -> datetime:
    """``value`` checked as a publication date given by hand: a past instant with an offset.

    A date in the future is what scheduling is for: a post with one would read as published
    before it is.
    """
    if value is None:
        raise ContentError(
            "publishedAt", "INVALID", "A publication date cannot be removed, only changed."
        )
    if value.utcoffset() is None:
        raise ContentError(
            "publishedAt",
            "INVALID",
            "publishedAt needs a UTC offset, such as 2024-05-01T09:00:00-04:00 or …Z.",
        )
    value = _in_utc(value, "publishedAt")
    if value > datetime.now(UTC):
        raise ContentError(
            "publishedAt",
            "INVALID",
            "publishedAt cannot be in the future: schedule the post (schedulePost) instead.",
        )
    if value < EARLIEST_PUBLICATION:
        raise ContentError("publishedAt", "INVALID", "publishedAt is in 1900 or later.")
    # SQLite compares timestamps as text: every one is stored in UTC.
    return value.astimezone(UTC)


def _in_utc(value: datetime, field: str) -> datetime:
    """``value`` in UTC, refused when it lies where the calendar ends (year 1 at +14:00 has no
    UTC form) or in a year no schedule means: before 1900 or after 2999."""
    if value.utcoffset() is None:
        raise ContentError(field, "INVALID", f"{field} needs a UTC offset, such as …Z.")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not 1900 <= utc.year <= 2999:
        raise ContentError(field, "INVALID", f"{field} lies between 1900 and 2999.")
    return utc


async def _source_of(
    post: Post, translations: Sequence[PostTranslation], actor: Actor
) -> str | None:
    """The post's source locale, recorded on the post if it was not yet (or is stale)."""
    rows = [{"id": t.id, "locale": t.locale} for t in translations]
    source = effective_source(post.source_locale, rows, actor.default_locale)
    if source != post.source_locale:
        await Post.filter(id=post.id).update(source_locale=source)
        post.source_locale = source
    return source


def _follows_of(translation: PostTranslation | None) -> Follows | None:
    if translation is None:
        return None
    return Follows(translation.source_locale, translation.source_version)


async def _refollow(
    post_id: int,
    deleted: str,
    source: str | None,
    remaining: Sequence[PostTranslation],
    actor: Actor,
) -> None:
    """After the ``deleted`` translation is gone: when it was the source, the post gets a
    new one (by the rule a new post's is chosen), and what followed it follows the post's
    source at its current version (nothing tells how it compares to that text)."""
    new_source = source
    if source == deleted or source is None:
        rows = [{"id": t.id, "locale": t.locale} for t in remaining]
        new_source = effective_source(None, rows, actor.default_locale)
        await Post.filter(id=post_id).update(source_locale=new_source)
    versions = {t.locale: t.text_version for t in remaining}
    for t in remaining:
        if t.locale == new_source:
            follows = NOTHING
        elif t.source_locale == deleted and new_source is not None:
            follows = Follows(new_source, versions[new_source])
        else:
            continue
        if follows != _follows_of(t):
            await PostTranslation.filter(id=t.id).update(
                source_locale=follows.locale, source_version=follows.version
            )


def _restored_source(
    snap: dict[str, Any], post: Post, current: dict[str, PostTranslation], actor: Actor
) -> str:
    """The source once a revision is restored: the one it recorded, else the post's current
    one, else one chosen by the rule for new posts among the restored translations."""
    locales = [t["locale"] for t in snap["translations"]]
    for candidate in (snap.get("source_locale"), post.source_locale):
        if candidate is not None and candidate in locales:
            return str(candidate)
    # Re-created translations count as newer than every existing one.
    rows = [
        {"id": current[locale].id if locale in current else 2**62 + index, "locale": locale}
        for index, locale in enumerate(locales)
    ]
    source = effective_source(None, rows, actor.default_locale)
    if source is None:
        raise ContentError("revisionId", "INVALID", "The revision holds no translation.")
    return source


def _text(source: TranslationInput) -> dict[str, Any]:
    """The text columns of a translation, as stored (title and excerpt trimmed)."""
    text = {name: getattr(source, name) for name in TEXT_FIELDS}
    return text | {"title": source.title.strip(), "excerpt": source.excerpt.strip()}


def _next_text_version(
    existing: PostTranslation | None, text: dict[str, Any], initial: int = 1
) -> int:
    """The text version after saving ``text``: ``initial`` for a new translation; the same
    when no text column changes (a slug or status change); else one more."""
    if existing is None:
        return initial
    changed = any(getattr(existing, name) != text[name] for name in TEXT_FIELDS)
    return existing.text_version + 1 if changed else existing.text_version


def _restored_text(saved: dict[str, Any]) -> TranslationInput:
    return TranslationInput(
        locale=saved["locale"],
        slug=saved["slug"],
        **{name: saved[name] for name in TEXT_FIELDS},
    )


def _check_locales(actor: Actor, locales: Sequence[str]) -> None:
    for locale in locales:
        if locale not in actor.locales:
            raise ContentError(
                "locale", "INVALID", f"{locale!r} is not one of {', '.join(actor.locales)}."
            )
    if len(set(locales)) != len(locales):
        raise ContentError("translations", "INVALID", "Each locale may appear once.")


async def _translations_named(post_id: int, locales: Sequence[str] | None) -> list[PostTranslation]:
    translations = await PostTranslation.filter(post_id=post_id)
    if not locales:
        return translations
    by_locale = {t.locale: t for t in translations}
    for locale in locales:
        if locale not in by_locale:
            raise ContentError("locales", "NOT_FOUND", f"The post has no {locale} translation.")
    return [by_locale[locale] for locale in locales]


async def _write_translation(
    post_id: int,
    source: TranslationInput,
    status: TranslationStatus,
    existing: PostTranslation | None = None,
    *,
    follows: Follows,
    text_version: int | None = None,
) -> None:
    """Create or change one translation; its text version moves on when its text changes
    (``text_version`` overrides that, for a revision restore)."""
    title = source.title.strip()
    if not title or len(title) > MAX_TITLE:
        raise ContentError("title", "INVALID", f"A title has 1 to {MAX_TITLE} characters.")
    if len(source.body) > MAX_BODY:
        raise ContentError("body", "INVALID", f"A body has at most {MAX_BODY} characters.")
    text = _text(source)
    values = {
        **text,
        "status": status,
        "text_version": text_version or _next_text_version(existing, text),
        "source_locale": follows.locale,
        "source_version": follows.version,
        **derived_fields(source.body),
    }
    also_taken: set[str] = set()
    for _ in range(_SLUG_ATTEMPTS):
        slug = await _slug(post_id, source.locale, title, source.slug, also_taken)
        try:
            # A savepoint: on PostgreSQL a failed statement would abort the whole transaction.
            async with in_transaction():
                if existing is None:
                    await PostTranslation.create(
                        post_id=post_id, locale=source.locale, slug=slug, **values
                    )
                else:
                    await PostTranslation.filter(id=existing.id).update(
                        updated_at=datetime.now(UTC), slug=slug, **values
                    )
        except IntegrityError:
            # A concurrent writer took the slug between our check and our write: a slug the
            # caller chose is refused, a generated one moves on to the next free number.
            if source.slug is not None:
                raise _slug_taken(slug, source.locale) from None
            also_taken.add(slug)
            continue
        await _move_slug(post_id, source.locale, existing.slug if existing else None, slug)
        return
    raise _slug_taken(slug, source.locale)


async def _slug(
    post_id: int, locale: str, title: str, explicit: str | None, also_taken: set[str]
) -> str:
    """The given slug if valid and free, or one generated from the title made unique."""
    taken = PostTranslation.filter(locale=locale).exclude(post_id=post_id)
    if explicit is not None:
        if not SLUG_RE.match(explicit) or len(explicit) > MAX_SLUG:
            raise ContentError(
                "slug", "INVALID", "A slug is lowercase letters, digits and single hyphens."
            )
        if await taken.filter(slug=explicit).exists():
            raise _slug_taken(explicit, locale)
        return explicit
    base = slugify(title) or "post"
    # Tortoise types a flat values_list as tuples; it yields the column's values.
    used = set(
        cast(list[str], await taken.filter(slug__startswith=base).values_list("slug", flat=True))
    )
    used |= also_taken
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _slug_taken(slug: str, locale: str) -> ContentError:
    return ContentError(
        "slug", "SLUG_TAKEN", f"Another {locale} post (perhaps in the trash) uses {slug!r}."
    )


# --- old slugs -------------------------------------------------------------------------------


async def remember_old_slug(post_id: int, locale: str, slug: str) -> None:
    """Record ``slug`` as one the post's ``locale`` translation had before, so that links
    using it find the post (an import's ``_wp_old_slug``, say).

    WordPress keeps non-ASCII slugs percent-encoded (``%c3%a9t%c3%a9``): the slug is stored
    decoded and in NFC, the form a frontend reads from a request path and passes to
    ``post(slug:)``. A slug that is some post's current slug in ``locale`` is skipped: the
    current one always wins. Of two posts recorded with the same old slug, the later wins.
    """
    slug = _old_slug(slug)
    if not locale or len(locale) > 35:
        raise ContentError("locale", "INVALID", f"{locale!r} is not a locale.")
    async with in_transaction():
        if not await Post.exists(id=post_id):
            raise not_found("post", post_id)
        if await PostTranslation.exists(locale=locale, slug=slug):
            return
        await _keep_old_slug(post_id, locale, slug)


def _old_slug(raw: str) -> str:
    """``raw`` decoded, NFC and checked: one path segment of at most ``MAX_SLUG``
    characters."""
    try:
        slug = unicodedata.normalize("NFC", unquote(raw.strip(), errors="strict"))
    except UnicodeDecodeError:
        raise ContentError("slug", "INVALID", f"{raw!r} is not percent-encoded UTF-8.") from None
    if not slug or len(slug) > MAX_SLUG:
        raise ContentError("slug", "INVALID", f"A slug has 1 to {MAX_SLUG} characters.")
    if "/" in slug or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in slug):
        raise ContentError(
            "slug", "INVALID", "A slug is one path segment: no slash, space or control character."
        )
    return slug


async def _move_slug(post_id: int, locale: str, old: str | None, new: str) -> None:
    """After a translation's slug went from ``old`` (None: a new translation) to ``new``:
    ``old`` leads to the post from now on, and ``new`` is nobody's old slug any more."""
    if old == new:
        return
    await PostSlug.filter(locale=locale, slug=new).delete()
    if old is not None:
        await _keep_old_slug(post_id, locale, old)


async def _keep_old_slug(post_id: int, locale: str, slug: str) -> None:
    """Upsert on (locale, slug): the newest owner of an old slug wins."""
    now = datetime.now(UTC)
    if await PostSlug.filter(locale=locale, slug=slug).update(post_id=post_id, created_at=now):
        return
    try:
        # A savepoint: on PostgreSQL a failed statement would abort the whole transaction.
        async with in_transaction():
            await PostSlug.create(post_id=post_id, locale=locale, slug=slug)
    except IntegrityError:
        # A concurrent writer recorded the same slug between our update and our insert.
        await PostSlug.filter(locale=locale, slug=slug).update(post_id=post_id, created_at=now)


def snapshot(
    post: Post,
    translations: Sequence[PostTranslation],
    tag_ids: Sequence[int],
    event_ids: Sequence[int],
) -> dict[str, Any]:
    """The content of ``post`` with its translations (in locale order), tags and events, as a
    revision keeps it."""
    return {
        "series_number": post.series_number,
        "status": post.status.value,
        "category_id": post.category_id,
        "author_id": post.author_id,
        "cover_id": post.cover_id,
        "tag_ids": sorted(tag_ids),
        "event_ids": sorted(event_ids),
        "publish_at": post.publish_at.isoformat() if post.publish_at else None,
        "unpublish_at": post.unpublish_at.isoformat() if post.unpublish_at else None,
        "source_locale": post.source_locale,
        "translations": [
            {
                "locale": t.locale,
                "status": t.status.value,
                "slug": t.slug,
                **{name: getattr(t, name) for name in TEXT_FIELDS},
                "text_version": t.text_version,
                "source_locale": t.source_locale,
                "source_version": t.source_version,
            }
            for t in translations
        ],
    }


async def record_revision(
    post_id: int, actor: Actor, action: str, change: PostChange | None = None
) -> None:
    """Append the post as the write leaves it to its history.

    The post is read once here, at the end of the write: ``change`` (the write's
    :func:`post_change`) judges from the same rows what readers see after the write.
    """
    post = await Post.get(id=post_id)
    translations = await PostTranslation.filter(post_id=post_id).order_by("locale")
    tag_ids = _flat_ids(await post.tags.all().values_list("id", flat=True))
    event_ids = _flat_ids(await post.events.all().values_list("id", flat=True))
    if change is not None:
        change.written(post, translations, tag_ids, event_ids)
    await Revision.create(
        post_id=post_id,
        version=post.version,
        snapshot=snapshot(post, translations, tag_ids, event_ids),
        account_id=actor.account_id,
        action=action,
    )


async def revisions(post_id: int, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` revisions of a post, with the display name of who made each (None
    once that account is deleted, or for the scheduler)."""
    return (
        await Revision.filter(post_id=post_id)
        .order_by("-version")
        .limit(limit)
        .values(
            "id",
            "version",
            "action",
            "account_id",
            "created_at",
            "snapshot",
            account_name="account__display_name",
        )
    )


def _flat_ids(values: object) -> list[int]:
    """The ids a flat ``values_list("id", flat=True)`` yields (Tortoise types them as tuples)."""
    return list(cast(list[int], values))
