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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, cast

from tortoise.fields import CharField
from tortoise.models import Model

from cms.models import (
    Event,
    EventOverride,
    EventTranslation,
    OrganizerTranslation,
    TagTranslation,
    Venue,
)
from cms.services import cursors, visibility
from cms.services.recurrence import RuleError, expand, parse_rule, zone
from cms.services.text import sort_key

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


class EventRow(TypedDict):
    """An event's columns (``EVENT_FIELDS``); local times are ``LOCAL_FORMAT`` text in the
    event's ``timezone``."""

    id: int
    status: str  # an EventStatus value
    version: int
    organizer_id: int | None
    venue_id: int | None
    online_url: str | None
    timezone: str
    start_local: str
    end_local: str
    rrule: str | None
    exdates: list[str] | None  # local starts the rule skips
    is_free: bool
    price_cents: int | None
    currency: str | None
    audience: dict[str, Any]
    languages: list[str]
    registration_url: str | None
    cover_id: int | None
    updated_at: datetime


class EventTranslationRow(TypedDict):
    """A translation's light columns (``TRANSLATION_FIELDS``): no description."""

    id: int
    event_id: int
    locale: str
    title: str
    slug: str
    summary: str
    updated_at: datetime


class DescriptionRow(TypedDict):
    """A translation's description, by the translation's id."""

    id: int
    description: str
    description_html: str
    description_text: str


class EventTagRow(TypedDict):
    """A translation of a tag of the event ``event_id``."""

    tag_id: int
    locale: str
    name: str
    slug: str
    event_id: int


class OverrideRow(TypedDict):
    """One occurrence changed: ``occurrence_local`` is its start by the rule; a new start
    (and end) moves it."""

    event_id: int
    occurrence_local: str
    cancelled: bool
    start_local: str | None
    end_local: str | None


class VenueRow(TypedDict):
    id: int
    name: str
    address: str
    city: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None


class OrganizerTranslationRow(TypedDict):
    """A translation of an organizer, with the organizer's own columns."""

    organizer_id: int
    locale: str
    name: str
    description: str
    organizer__website: str | None
    organizer__social_links: list[Any]


class _SlugMatch(TypedDict):
    event_id: int
    locale: str


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
    """Whether ``text`` fits the column, a CharField (see the module docstring)."""
    field = model._meta.fields_map[column]
    assert isinstance(field, CharField)
    return len(text) <= field.max_length


def within_bounds(moment: datetime) -> bool:
    """Whether an aware ``moment`` may bound a window of occurrences."""
    return EARLIEST <= moment <= LATEST


async def visible_events(
    chain: tuple[str, ...], filter: EventFilter, *, published_only: bool
) -> list[EventRow]:
    """Events matching ``filter`` with a translation in ``chain``."""
    if filter.tag_slug is not None and not _fits(TagTranslation, "slug", filter.tag_slug):
        return []
    qs = Event.filter(translations__locale__in=chain).distinct()
    if published_only:
        qs = qs.filter(visibility.public_event_filter())
    if filter.city is not None:
        # Case and accents folded, as a reader types a city: "Montreal" finds "Montréal".
        # Venues are few: they are matched here, in one statement.
        wanted = sort_key(filter.city.strip())
        places = cast(list[tuple[int, str]], await Venue.all().values_list("id", "city"))
        qs = qs.filter(venue_id__in=[ident for ident, city in places if sort_key(city) == wanted])
    if filter.organizer_id is not None:
        qs = qs.filter(organizer_id=filter.organizer_id)
    if filter.tag_slug is not None:
        qs = qs.filter(tags__translations__slug=filter.tag_slug)
    if filter.free is not None:
        qs = qs.filter(is_free=filter.free)
    return cast(list[EventRow], await qs.order_by("id").values(*EVENT_FIELDS))


async def events_by_id(ids: list[int], *, published_only: bool) -> list[EventRow]:
    qs = Event.filter(id__in=ids)
    if published_only:
        qs = qs.filter(visibility.public_event_filter())
    return cast(list[EventRow], await qs.values(*EVENT_FIELDS))


async def translations_of(event_ids: list[int]) -> list[EventTranslationRow]:
    rows = await EventTranslation.filter(event_id__in=event_ids).values(*TRANSLATION_FIELDS)
    return cast(list[EventTranslationRow], rows)


async def descriptions(translation_ids: list[int]) -> list[DescriptionRow]:
    rows = await EventTranslation.filter(id__in=translation_ids).values(
        "id", "description", "description_html", "description_text"
    )
    return cast(list[DescriptionRow], rows)


async def tag_translations_of(event_ids: list[int]) -> list[EventTagRow]:
    """Tag translations of these events, each row with its ``event_id``."""
    rows = await TagTranslation.filter(tag__events__id__in=event_ids).values(
        "tag_id", "locale", "name", "slug", event_id="tag__events__id"
    )
    return cast(list[EventTagRow], rows)


async def events_of_post(post_id: int) -> list[int]:
    """Public events a post mentions."""
    ids = (
        await Event.filter(visibility.public_event_filter(), posts__id=post_id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return cast(list[int], ids)


async def overrides_of(event_ids: list[int]) -> list[OverrideRow]:
    rows = await EventOverride.filter(event_id__in=event_ids).values(
        "event_id", "occurrence_local", "cancelled", "start_local", "end_local"
    )
    return cast(list[OverrideRow], rows)


async def find_by_slug(slug: str, chain: tuple[str, ...], *, published_only: bool) -> int | None:
    if not _fits(EventTranslation, "slug", slug):
        return None
    qs = EventTranslation.filter(slug=slug)
    if published_only:
        qs = qs.filter(visibility.public_event_filter("event__"))
    matches = cast(list[_SlugMatch], await qs.values("event_id", "locale"))
    if not matches:
        return None
    rank = {code: index for index, code in enumerate(chain)}
    return min(matches, key=lambda m: (rank.get(m["locale"], len(chain)), m["event_id"]))[
        "event_id"
    ]


async def venues(ids: list[int] | None = None) -> list[VenueRow]:
    qs = Venue.all() if ids is None else Venue.filter(id__in=ids)
    rows = await qs.order_by("city", "name").values(
        "id", "name", "address", "city", "region", "country", "latitude", "longitude"
    )
    return cast(list[VenueRow], rows)


async def organizer_translations(ids: list[int] | None = None) -> list[OrganizerTranslationRow]:
    qs = (
        OrganizerTranslation.all()
        if ids is None
        else OrganizerTranslation.filter(organizer_id__in=ids)
    )
    rows = await qs.order_by("organizer_id", "id").values(
        "organizer_id", "locale", "name", "description", "organizer__website",
        "organizer__social_links",
    )  # fmt: skip
    return cast(list[OrganizerTranslationRow], rows)


def occurrences(
    event: EventRow,
    overrides: Sequence[OverrideRow],
    window_start: datetime,
    window_end: datetime,
    limit: int = 1_000,
) -> list[Occurrence]:
    """The event's occurrences overlapping the window, overrides applied, in start order."""
    tz = zone(event["timezone"])
    start, end = local(event["start_local"]), local(event["end_local"])
    try:
        rule = parse_rule(event["rrule"], start, tz) if event["rrule"] else None
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


_CURSOR_SCOPE = "occurrences"


def encode_cursor(occurrence: Occurrence) -> str:
    """An opaque cursor after ``occurrence`` in a list of occurrences."""
    start, event_id = occurrence.sort_key
    return cursors.encode(_CURSOR_SCOPE, start, event_id)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The :attr:`Occurrence.sort_key` a cursor of :func:`encode_cursor` ends at;
    :class:`InvalidCursor` for a cursor of another list, or none of ours."""
    start, event_id = cursors.decode(_CURSOR_SCOPE, cursor, 2)
    return cursors.instant(start), cursors.int4(event_id)
