"""Read-only event queries."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from cms.graphql.common import LocaleArg, PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.events.resolvers import build_events
from cms.graphql.events.types import (
    Event,
    EventOccurrence,
    EventOccurrenceConnection,
    EventOccurrenceEdge,
    Organizer,
    Venue,
)
from cms.graphql.ids import parse_id
from cms.services import events as service
from cms.services.cursors import InvalidCursor


def _instant(value: datetime, name: str) -> datetime:
    if value.utcoffset() is None:
        raise BadUserInput(f"{name!r} needs a UTC offset, such as …-05:00 or …Z.", field=name)
    if not service.within_bounds(value):
        raise BadUserInput(
            f"{name!r} must lie between {service.EARLIEST.year} and {service.LATEST.year} "
            f"({service.EARLIEST:%Y-%m-%dT%H:%MZ} to {service.LATEST:%Y-%m-%dT%H:%MZ}).",
            field=name,
        )
    return value


@strawberry.type
class EventQueries:
    @strawberry.field(
        description="Occurrences of published events in [from, to), by start, recurring "
        "events expanded; cancelled occurrences are listed with `cancelled: true`."
    )
    async def events(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        city: str | None = None,
        organizer_id: strawberry.ID | None = None,
        tag_slug: str | None = None,
        free: bool | None = None,
        locale: LocaleArg = None,
        first: int = 20,
        after: str | None = None,
    ) -> EventOccurrenceConnection:
        context = info.context
        chain = context.chain(locale)
        first = context.page_size(first)
        start, end = _instant(from_, "from"), _instant(to, "to")
        if not start < end <= start + service.MAX_WINDOW:
            raise BadUserInput(
                f"'to' must come after 'from', at most {service.MAX_WINDOW.days} days later.",
                field="to",
            )
        try:
            position = service.decode_cursor(after) if after else None
        except InvalidCursor:
            raise BadUserInput("'after' is not a cursor of this list.", field="after") from None
        filters = service.EventFilter(
            city=city,
            organizer_id=parse_id(organizer_id, "organizerId"),
            tag_slug=tag_slug,
            free=free,
        )
        rows = await service.visible_events(chain, filters, published_only=True)
        overrides = await service.overrides_of([r["id"] for r in rows])
        per_event: dict[int, list[service.OverrideRow]] = {}
        for o in overrides:
            per_event.setdefault(o["event_id"], []).append(o)
        found = sorted(
            (
                occurrence
                for row in rows
                for occurrence in service.occurrences(row, per_event.get(row["id"], []), start, end)
            ),
            key=lambda o: o.sort_key,
        )
        if position is not None:
            found = [o for o in found if o.sort_key > position]
        page = found[: first + 1]
        events = await build_events(info, sorted({o.event_id for o in page}), chain)
        edges = [
            EventOccurrenceEdge(
                cursor=service.encode_cursor(o), node=EventOccurrence.build(o, events[o.event_id])
            )
            for o in page[:first]
            if o.event_id in events
        ]
        return EventOccurrenceConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(page) > first, end_cursor=edges[-1].cursor if edges else None
            ),
        )

    @strawberry.field(description="One published event by id or by a slug of any locale.")
    async def event(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: LocaleArg = None,
    ) -> Event | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of 'id' and 'slug'.", field="id")
        chain = info.context.chain(locale)
        event_id = parse_id(id, "id")
        if event_id is None:
            assert slug is not None
            event_id = await service.find_by_slug(slug, chain, published_only=True)
        if event_id is None:
            return None
        return (await build_events(info, [event_id], chain)).get(event_id)

    @strawberry.field(description="Every organizer, in the locale or its fallback.")
    async def organizers(self, info: Info, locale: LocaleArg = None) -> list[Organizer]:
        chain = info.context.chain(locale)
        grouped: dict[int, list[service.OrganizerTranslationRow]] = {}
        for row in await service.organizer_translations():
            grouped.setdefault(row["organizer_id"], []).append(row)
        return [Organizer.build(i, rows, chain) for i, rows in grouped.items()]

    @strawberry.field(description="Every venue.")
    async def venues(self) -> list[Venue]:
        return [Venue.build(row) for row in await service.venues()]
