"""Read-only event queries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from cms.graphql.common import LocaleArg, PageInfo, PreviewArg
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput, Forbidden
from cms.graphql.events.resolvers import build_events
from cms.graphql.events.types import (
    Event,
    EventOccurrence,
    EventOccurrenceConnection,
    EventOccurrenceEdge,
    Organizer,
    PlannedOccurrence,
    Venue,
)
from cms.graphql.ids import parse_id
from cms.graphql.permissions import Requires
from cms.services import event_writing, post_rights
from cms.services import events as service
from cms.services.cursors import InvalidCursor
from cms.services.errors import ContentError
from cms.services.permissions import Permission

#: The most occurrences a preview of a schedule lists.
MAX_PLANNED = 50


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
        description="Occurrences of published events (with preview, drafts too) in [from, "
        "to), by start, recurring events expanded; cancelled occurrences are listed with "
        "`cancelled: true`.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
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
        preview: PreviewArg = False,
    ) -> EventOccurrenceConnection:
        context = info.context
        if preview and not post_rights.may_list_previews(context.viewer):
            raise Forbidden("A preview token for one post cannot list drafts.")
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
        rows = await service.visible_events(chain, filters, published_only=not preview)
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
        events = await build_events(
            info, sorted({o.event_id for o in page}), chain, published_only=not preview
        )
        edges = [
            EventOccurrenceEdge(
                cursor=service.encode_cursor(o), node=EventOccurrence.build(o, events[o.event_id])
            )
            for o in page[:first]
            if o.event_id in events
        ]
        return EventOccurrenceConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges],
                has_next=len(page) > first,
                has_previous=after is not None,
            ),
        )

    @strawberry.field(
        description="One published event (with preview, a draft too) by id or by a slug of "
        "any locale.",
        extensions=[Requires(Permission.READ_DRAFTS, when="preview")],
    )
    async def event(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: LocaleArg = None,
        preview: PreviewArg = False,
    ) -> Event | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of 'id' and 'slug'.", field="id")
        context = info.context
        # A token minted to preview one post learns nothing of draft events.
        if preview and not post_rights.may_list_previews(context.viewer):
            return None
        chain = context.chain(locale)
        event_id = parse_id(id, "id")
        if event_id is None:
            assert slug is not None
            event_id = await service.find_by_slug(slug, chain, published_only=not preview)
        if event_id is None:
            return None
        found = await build_events(info, [event_id], chain, published_only=not preview)
        return found.get(event_id)

    @strawberry.field(
        description="The first occurrences an event's times would give once saved, ending "
        "after `after` (now when omitted) and starting within ten years of it (or of the "
        "first start, when later), in the event's zone: a recurrence builder's preview. The "
        "times are checked as a save checks them, with the same errors. Writes nothing.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def planned_occurrences(
        self,
        timezone: str,
        start_local: str,
        end_local: str,
        rrule: str | None = None,
        exdates: list[str] | None = None,
        after: datetime | None = None,
        first: int = 10,
    ) -> list[PlannedOccurrence]:
        if not 1 <= first <= MAX_PLANNED:
            raise BadUserInput(f"'first' is between 1 and {MAX_PLANNED}.", field="first")
        moment = _instant(after, "after") if after is not None else datetime.now(UTC)
        try:
            plan = event_writing.schedule(timezone, start_local, end_local, rrule, exdates or ())
        except ContentError as error:
            raise BadUserInput(error.message, field=error.field) from None
        return [
            PlannedOccurrence.build(o)
            for o in event_writing.planned_occurrences(plan, moment, first)
        ]

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
