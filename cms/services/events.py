"""Reading events and their occurrences in a window of time.

Lookups by slug answer "not found" for a text longer than the slug column without asking the
database: the ORM refuses such a value instead of finding nothing. Other texts are matched
exactly and simply find nothing; they are not checked against today's slug rule, which rows
written before it (imports, older versions) may not follow.

Windows of time lie within :data:`EARLIEST` and :data:`LATEST`. Expansion widens a window by
a month on each side (moved occurrences, zone offsets, durations): near the ends of Python's
calendar (years 1 and 9999) that arithmetic overflows, and no event is that far anyway.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.models import Model

from cms.models import (
    Event,
    EventOverride,
    EventStatus,
    EventTranslation,
    OrganizerTranslation,
    TagTranslation,
    Venue,
)
from cms.services.recurrence import RuleError, expand, parse_rule, zone

MAX_WINDOW = timedelta(days=400)
#: The span windows of time must lie in (see the module docstring).
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
# How far an override may move an occurrence and still be found from its window.
MOVE_MARGIN = timedelta(days=31)
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
EVENT_FIELDS = (
    "id", "status", "version", "organizer_id", "venue_id", "online_url", "timezone",
    "start_local", "end_local", "rrule", "exdates", "is_free", "price_cents", "currency",
    "audience", "languages", "registration_url", "cover_id", "updated_at",
)  # fmt: skip
TRANSLATION_FIELDS = ("id", "event_id", "locale", "title", "slug", "summary", "updated_at")


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class EventFilter:
    city: str | None = None
    organizer_id: int | None = None
    tag_slug: str | None = None
    free: bool | None = None


@dataclass(frozen=True)
class Occurrence:
    event_id: int
    start: datetime  # aware, in the event's zone
    end: datetime
    local_start: datetime  # as the rule gives it (its RECURRENCE-ID), before any move
    cancelled: bool = False
    moved: bool = False

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return self.start.astimezone(UTC), self.event_id


def local(text: str) -> datetime:
    return datetime.strptime(text, LOCAL_FORMAT)


def _fits(model: type[Model], column: str, text: str) -> bool:
    """Whether ``text`` fits the column (see the module docstring)."""
    return len(text) <= model._meta.fields_map[column].max_length


def within_bounds(moment: datetime) -> bool:
    """Whether an aware ``moment`` may bound a window of occurrences."""
    return EARLIEST <= moment <= LATEST


async def visible_events(
    chain: tuple[str, ...], filter: EventFilter, *, published_only: bool
) -> list[dict[str, Any]]:
    """Events matching ``filter`` with a translation in ``chain``."""
    if filter.tag_slug is not None and not _fits(TagTranslation, "slug", filter.tag_slug):
        return []
    qs = Event.filter(translations__locale__in=chain).distinct()
    if published_only:
        qs = qs.filter(status=EventStatus.PUBLISHED)
    if filter.city is not None:
        qs = qs.filter(venue__city__iexact=filter.city)
    if filter.organizer_id is not None:
        qs = qs.filter(organizer_id=filter.organizer_id)
    if filter.tag_slug is not None:
        qs = qs.filter(tags__translations__slug=filter.tag_slug)
    if filter.free is not None:
        qs = qs.filter(is_free=filter.free)
    return await qs.order_by("id").values(*EVENT_FIELDS)


async def events_by_id(ids: list[int], *, published_only: bool) -> list[dict[str, Any]]:
    qs = Event.filter(id__in=ids)
    if published_only:
        qs = qs.filter(status=EventStatus.PUBLISHED)
    return await qs.values(*EVENT_FIELDS)


async def translations_of(event_ids: list[int]) -> list[dict[str, Any]]:
    return await EventTranslation.filter(event_id__in=event_ids).values(*TRANSLATION_FIELDS)


async def descriptions(translation_ids: list[int]) -> list[dict[str, Any]]:
    return await EventTranslation.filter(id__in=translation_ids).values(
        "id", "description", "description_html", "description_text"
    )


async def tag_translations_of(event_ids: list[int]) -> list[dict[str, Any]]:
    """Tag translations of these events, each row with its ``event_id``."""
    return await TagTranslation.filter(tag__events__id__in=event_ids).values(
        "tag_id", "locale", "name", "slug", event_id="tag__events__id"
    )


async def events_of_post(post_id: int) -> list[int]:
    """Published events a post mentions."""
    return (
        await Event.filter(posts__id=post_id, status=EventStatus.PUBLISHED)
        .order_by("id")
        .values_list("id", flat=True)
    )


async def overrides_of(event_ids: list[int]) -> list[dict[str, Any]]:
    return await EventOverride.filter(event_id__in=event_ids).values(
        "event_id", "occurrence_local", "cancelled", "start_local", "end_local"
    )


async def find_by_slug(slug: str, chain: tuple[str, ...], *, published_only: bool) -> int | None:
    if not _fits(EventTranslation, "slug", slug):
        return None
    qs = EventTranslation.filter(slug=slug)
    if published_only:
        qs = qs.filter(event__status=EventStatus.PUBLISHED)
    matches = await qs.values("event_id", "locale")
    if not matches:
        return None
    rank = {code: index for index, code in enumerate(chain)}
    return min(matches, key=lambda m: (rank.get(m["locale"], len(chain)), m["event_id"]))[
        "event_id"
    ]


async def venues(ids: list[int] | None = None) -> list[dict[str, Any]]:
    qs = Venue.all() if ids is None else Venue.filter(id__in=ids)
    return await qs.order_by("city", "name").values(
        "id", "name", "address", "city", "region", "country", "latitude", "longitude"
    )


async def organizer_translations(ids: list[int] | None = None) -> list[dict[str, Any]]:
    qs = (
        OrganizerTranslation.all()
        if ids is None
        else OrganizerTranslation.filter(organizer_id__in=ids)
    )
    return await qs.order_by("organizer_id", "id").values(
        "organizer_id", "locale", "name", "description", "organizer__website",
        "organizer__social_links",
    )  # fmt: skip


def occurrences(
    event: dict[str, Any],
    overrides: list[dict[str, Any]],
    window_start: datetime,
    window_end: datetime,
    limit: int = 1_000,
) -> list[Occurrence]:
    """The event's occurrences overlapping the window, overrides applied, in start order."""
    tz = zone(event["timezone"])
    start, end = local(event["start_local"]), local(event["end_local"])
    try:
        rule = parse_rule(event["rrule"], start) if event["rrule"] else None
    except RuleError:
        rule = None  # refused when saved; a row written otherwise shows its first date only
    exdates = [local(text) for text in event["exdates"] or ()]
    by_original = {local(o["occurrence_local"]): o for o in overrides}
    # Widen the window by the largest move, so occurrences moved into it are found.
    found = expand(
        rule, start, end - start, tz, window_start - MOVE_MARGIN, window_end + MOVE_MARGIN,
        exdates=exdates, limit=limit + 2 * MOVE_MARGIN.days + 2,  # at most daily in the margins
    ).occurrences  # fmt: skip
    result = []
    for found_one in found:
        override = by_original.get(found_one.local_start)
        begin, finish, moved = found_one.start, found_one.end, False
        if override and override["start_local"]:
            begin = local(override["start_local"]).replace(tzinfo=tz)
            finish = local(override["end_local"] or override["start_local"]).replace(tzinfo=tz)
            if not override["end_local"]:
                finish = begin + (found_one.end - found_one.start)
            moved = True
        if finish.astimezone(UTC) <= window_start or begin.astimezone(UTC) >= window_end:
            continue
        cancelled = bool(override and override["cancelled"])
        result.append(
            Occurrence(event["id"], begin, finish, found_one.local_start, cancelled, moved)
        )
    return sorted(result, key=lambda o: o.sort_key)[:limit]


def encode_cursor(occurrence: Occurrence) -> str:
    raw = json.dumps(
        [occurrence.start.astimezone(UTC).isoformat(), occurrence.event_id], separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        when, event_id = json.loads(raw)
        moment = datetime.fromisoformat(when)
        if moment.tzinfo is None or type(event_id) is not int:
            raise InvalidCursor(cursor)
        return moment, event_id
    except (binascii.Error, ValueError, TypeError) as error:
        raise InvalidCursor(cursor) from error
