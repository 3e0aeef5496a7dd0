"""What an anonymous reader may see: the one rule every public surface applies.

- A **post** is public when it is published and not in the trash.
- A **translation** of a post is public when the post is and the translation is published.
- An **event** is public when it is published; all its translations are then public.

The API, feeds, the sitemap, search, redirects and webhooks all answer with this rule, so a
reader never finds in one what another hides.

Time plays no part in it. Publishing stamps ``published_at`` no later than now (a date by
hand is refused in the future), and a scheduled post stays ``scheduled`` until the scheduler
publishes it, with a write. So what readers see changes only through writes, and every write
empties the response cache, appends to the change log and sends webhooks; a condition on the
clock would let a page appear with none of that, and the API and the feeds disagree until the
next write.

The rule is stated three ways, for the three ways content is read: SQL conditions for the
parameterized read paths (:mod:`cms.services.sql`, the same text on SQLite and PostgreSQL),
Tortoise filters for ORM queries, and predicates for decisions taken in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from cms.models import EventStatus, PostStatus, TranslationStatus


@dataclass(frozen=True)
class Condition:
    """One SQL condition with ``?`` placeholders, and the values they stand for."""

    sql: str
    params: tuple[Any, ...]


def public_post(alias: str = "p") -> Condition:
    """The post ``alias`` (a row of ``post``) is public."""
    return Condition(
        f"{alias}.deleted_at IS NULL AND {alias}.status = ?", (PostStatus.PUBLISHED.value,)
    )


def public_translation(alias: str = "t") -> Condition:
    """The translation ``alias`` (a row of ``post_translation``) is published; public when
    its post is (:func:`public_post`)."""
    return Condition(f"{alias}.status = ?", (TranslationStatus.PUBLISHED.value,))


def public_event(alias: str = "e") -> Condition:
    """The event ``alias`` (a row of ``event``) is public."""
    return Condition(f"{alias}.status = ?", (EventStatus.PUBLISHED.value,))


def public_post_filter() -> Q:
    """ORM filter on :class:`cms.models.Post`: the post is public."""
    return Q(status=PostStatus.PUBLISHED, deleted_at__isnull=True)


def public_translation_filter() -> Q:
    """ORM filter on :class:`cms.models.PostTranslation`: the translation is published."""
    return Q(status=TranslationStatus.PUBLISHED)


def public_event_filter(path: str = "") -> Q:
    """ORM filter: the event (the model filtered, or the one reached through ``path``, such as
    ``event__``) is public."""
    return Q(**{f"{path}status": EventStatus.PUBLISHED})


def is_public_post(status: str, deleted_at: datetime | None) -> bool:
    """A post with this ``status`` and ``deleted_at`` is public."""
    # PostStatus is a StrEnum: equal to the plain strings rows read with SQL hold.
    return deleted_at is None and status == PostStatus.PUBLISHED


def is_public_translation(status: str) -> bool:
    """A translation with this ``status`` is published (public when its post is)."""
    return status == TranslationStatus.PUBLISHED


def is_public_event(status: str) -> bool:
    """An event with this ``status`` is public."""
    return status == EventStatus.PUBLISHED
