"""Which webhook a write of content emits, decided by what the public sees of it.

A write wrapped in :func:`post_change` (or :func:`event_change`) reads, at its start and at
its end, inside its transaction, what an anonymous reader can see of the post by the rule of
:mod:`cms.services.visibility`: nothing (a draft, scheduled, archived, trashed or deleted
post, or one without a published translation), or its published translations and public
fields. Then:

- nothing → something: ``post.published`` (publishing, scheduled publishing, restoring a
  published post from the trash);
- something → nothing: ``post.deleted`` when the post went to the trash or was deleted,
  else ``post.unpublished`` (unpublishing, archiving, scheduled take-down, rescheduling);
- something → something different: ``post.updated`` (an edit of a published post, a
  translation published or taken down, a slug changed);
- otherwise nothing: edits of drafts, of draft translations, and of scheduling dates alone
  are invisible to readers and send nothing. Purging a trashed post sends nothing either: it
  was hidden (and ``post.deleted`` sent) when it went to the trash.

Events follow the same rule (an event is public when published; all its translations are).

``data`` is ``{id, version, slugs, previousSlugs}``: slugs by locale of what is public after
the write and of what was public before it, so a receiver can purge the old pages and build
the new ones without asking; for anything else it queries the API.

The starting read locks the row (``SELECT … FOR UPDATE`` on PostgreSQL), so two writers
cannot both compare against the same "before". The end of a post write is not read again: the
write reads the post once, for its revision, and hands those rows to :meth:`PostChange.written`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from cms.models import (
    Event,
    EventOverride,
    EventTranslation,
    Media,
    Post,
    PostTranslation,
)
from cms.services import visibility
from cms.services.sql import take_write_lock
from cms.services.translation_sources import TEXT_FIELDS
from cms.services.webhooks import Endpoint, active_endpoints, emit

_POST_FIELDS = (
    "series_number",
    "category_id",
    "author_id",
    "cover_id",
    "published_at",
)
_POST_TEXT = ("locale", "slug", *TEXT_FIELDS)
_EVENT_FIELDS = (
    "timezone",
    "start_local",
    "end_local",
    "rrule",
    "exdates",
    "venue_id",
    "online_url",
    "organizer_id",
    "is_free",
    "price_cents",
    "currency",
    "audience",
    "languages",
    "registration_url",
    "cover_id",
)
_EVENT_TEXT = ("locale", "slug", "title", "summary", "description")
_OVERRIDE = ("occurrence_local", "cancelled", "start_local", "end_local", "note")


@dataclass(frozen=True)
class Seen:
    """What the public sees of one post or event at one moment."""

    exists: bool  # False: deleted, or in the trash
    version: int | None = None
    public: dict[str, Any] | None = None  # None: not public
    slugs: dict[str, str] = field(default_factory=dict)


class PostChange:
    """A write of a post in progress, as :func:`post_change` judges it for readers."""

    def __init__(self, endpoints: Sequence[Endpoint]) -> None:
        self.endpoints = endpoints
        self.after: Seen | None = None

    @property
    def listening(self) -> bool:
        """Whether any endpoint is active: without one, the write reads nothing more."""
        return bool(self.endpoints)

    def written(
        self,
        post: Post,
        translations: Sequence[PostTranslation],
        tag_ids: Sequence[int],
        event_ids: Sequence[int],
    ) -> None:
        """The post as the write leaves it, from the rows the write read for its revision:
        what readers see after is judged from them rather than from another read."""
        if self.listening:
            self.after = seen_post(post, translations, tag_ids, event_ids)


@asynccontextmanager
async def post_change(post_id: int) -> AsyncIterator[PostChange]:
    """Wrap a write of a post, inside its transaction, to emit what it changed for readers.

    A write that hands its final rows to :meth:`PostChange.written` is not read again at its
    end; one that does not (a purge) is.
    """
    await take_write_lock()  # this write reads first
    change = PostChange(await active_endpoints())
    if not change.listening:
        yield change
        return
    before = await _post(post_id, lock=True)
    yield change
    after = change.after if change.after is not None else await _post(post_id)
    await _announce("post", post_id, before, after, change.endpoints)


@asynccontextmanager
async def event_change(event_id: int) -> AsyncIterator[None]:
    """Wrap a write of an event, inside its transaction, to emit what it changed for readers."""
    await take_write_lock()  # this write reads first
    endpoints = await active_endpoints()
    if not endpoints:
        yield
        return
    before = await _event(event_id, lock=True)
    yield
    await _announce("event", event_id, before, await _event(event_id), endpoints)


async def media_ready(media: Media) -> None:
    """A file's public renditions exist (for a PDF: the file itself); call in the write's
    transaction."""
    await emit(
        "media.ready",
        {
            "id": str(media.id),
            "contentType": media.content_type,
            "width": media.width,
            "height": media.height,
        },
    )


async def _announce(
    kind: str, ident: int, before: Seen, after: Seen, endpoints: Sequence[Endpoint]
) -> None:
    """Emit what changed for readers, to the endpoints active when the write started (one
    registered while it runs hears from the next write)."""
    if before.public is None and after.public is None:
        return
    if before.public is None:
        change = "published"
    elif after.public is None:
        change = "unpublished" if after.exists else "deleted"
    elif before.public != after.public:
        change = "updated"
    else:
        return
    version = after.version if after.version is not None else before.version
    await emit(
        f"{kind}.{change}",
        {"id": str(ident), "version": version, "slugs": after.slugs, "previousSlugs": before.slugs},
        endpoints,
    )


async def _post(post_id: int, *, lock: bool = False) -> Seen:
    query = Post.filter(id=post_id)
    post = await (query.select_for_update() if lock else query).first()
    if post is None or not visibility.is_public_post(post.status, post.deleted_at):
        return seen_post(post, (), (), ())
    translations = await PostTranslation.filter(
        visibility.public_translation_filter(), post_id=post_id
    )
    if not translations:
        return seen_post(post, (), (), ())
    # Tortoise types a flat values_list as tuples; it yields the ids.
    tag_ids = cast(list[int], await post.tags.all().values_list("id", flat=True))
    event_ids = cast(list[int], await post.events.all().values_list("id", flat=True))
    return seen_post(post, translations, tag_ids, event_ids)


def seen_post(
    post: Post | None,
    translations: Sequence[PostTranslation],
    tag_ids: Sequence[int],
    event_ids: Sequence[int],
) -> Seen:
    """What the public sees of ``post`` (None: deleted) with these translations, tags and
    events, by the rule of :mod:`cms.services.visibility`."""
    if post is None or post.deleted_at is not None:
        return Seen(exists=False, version=post.version if post else None)
    if not visibility.is_public_post(post.status, post.deleted_at):
        return Seen(exists=True, version=post.version)
    texts = [
        {name: getattr(t, name) for name in _POST_TEXT}
        for t in sorted(translations, key=lambda t: t.locale)
        if visibility.is_public_translation(t.status)
    ]
    if not texts:
        return Seen(exists=True, version=post.version)
    public = {
        "fields": {name: getattr(post, name) for name in _POST_FIELDS},
        "texts": texts,
        "tags": sorted(tag_ids),
        "events": sorted(event_ids),
    }
    return Seen(True, post.version, public, {t["locale"]: t["slug"] for t in texts})


async def _event(event_id: int, *, lock: bool = False) -> Seen:
    query = Event.filter(id=event_id)
    event = await (query.select_for_update() if lock else query).first()
    if event is None:
        return Seen(exists=False)
    if not visibility.is_public_event(event.status):
        return Seen(exists=True, version=event.version)
    texts = await EventTranslation.filter(event_id=event_id).order_by("locale").values(*_EVENT_TEXT)
    public = {
        "fields": {name: getattr(event, name) for name in _EVENT_FIELDS},
        "texts": texts,
        "overrides": await EventOverride.filter(event_id=event_id)
        .order_by("occurrence_local")
        .values(*_OVERRIDE),
        "tags": sorted(await event.tags.all().values_list("id", flat=True)),
    }
    return Seen(True, event.version, public, {t["locale"]: t["slug"] for t in texts})
