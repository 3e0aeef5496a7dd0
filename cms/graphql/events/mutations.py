"""Mutations for events, their occurrences, organizers and venues."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import field
from typing import cast

import strawberry
from strawberry.scalars import JSON

from cms.graphql.common import LocaleArg
from cms.graphql.context import Context, Info
from cms.graphql.events.resolvers import build_events
from cms.graphql.events.types import Event, Organizer, Venue
from cms.graphql.ids import parse_id, required_id
from cms.graphql.payloads import DeletePayload, MutationError, run
from cms.graphql.permissions import Requires
from cms.models import EventStatus
from cms.services import event_writing as writing
from cms.services import events as reading
from cms.services.errors import ContentError
from cms.services.permissions import Permission
from cms.services.post_writing import Actor


@strawberry.input(description="An event's time, place and terms. Times are local, in `timezone`.")
class EventInput:
    timezone: str
    start_local: str = strawberry.field(description="Like 2027-01-06T17:00.")
    end_local: str
    rrule: str | None = strawberry.field(
        default=None, description="At most daily: FREQ=WEEKLY;BYDAY=WE."
    )
    exdates: list[str] = strawberry.field(default_factory=list)
    venue_id: strawberry.ID | None = None
    online_url: str | None = None
    organizer_id: strawberry.ID | None = None
    is_free: bool = True
    price_cents: int | None = None
    currency: str | None = None
    audience: JSON = strawberry.field(
        default_factory=dict, description='{"minAge": 25, "maxAge": 35}'
    )
    languages: list[str] = strawberry.field(default_factory=list)
    registration_url: str | None = None
    cover_id: strawberry.ID | None = None
    tag_ids: list[strawberry.ID] = strawberry.field(default_factory=list)

    def to_service(self) -> writing.EventFields:
        audience = self.audience if isinstance(self.audience, dict) else {}
        return writing.EventFields(
            timezone=self.timezone,
            start_local=self.start_local,
            end_local=self.end_local,
            rrule=self.rrule,
            exdates=self.exdates,
            venue_id=parse_id(self.venue_id, "venueId"),
            online_url=self.online_url,
            organizer_id=parse_id(self.organizer_id, "organizerId"),
            is_free=self.is_free,
            price_cents=self.price_cents,
            currency=self.currency,
            audience={
                k: v
                for k, v in audience.items()
                if k in {"minAge", "maxAge"} and isinstance(v, int)
            },
            languages=self.languages,
            registration_url=self.registration_url,
            cover_id=parse_id(self.cover_id, "coverId"),
            tag_ids=[parse_id(t, "tagIds") or 0 for t in self.tag_ids],
        )


@strawberry.input
class EventTranslationInput:
    locale: str
    title: str
    slug: str | None = None
    summary: str = ""
    description: str = strawberry.field(default="", description="Markdown.")

    def to_service(self) -> writing.EventText:
        return writing.EventText(self.locale, self.title, self.slug, self.summary, self.description)


@strawberry.input
class OrganizerNameInput:
    locale: str
    name: str
    description: str = ""


@strawberry.input
class VenueInput:
    name: str
    city: str
    address: str = ""
    region: str = ""
    country: str = "CA"
    latitude: float | None = None
    longitude: float | None = None


@strawberry.type
class EventPayload:
    event: Event | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class OrganizerPayload:
    organizer: Organizer | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class VenuePayload:
    venue: Venue | None = None
    errors: list[MutationError] = field(default_factory=list)


def _actor(context: Context) -> Actor:
    return Actor.of(context.viewer, context.settings.locales)


async def _event_payload(
    info: Info, locale: str | None, write: Callable[[Actor], Awaitable[int]], *, show: bool = True
) -> EventPayload:
    """Run ``write`` (which returns the event id) and answer with the event as its writer
    sees it, drafts included (unless ``show`` is off: the event is gone), or with the error
    that stopped it."""

    async def answer() -> EventPayload:
        context = info.context
        chain = context.chain(locale)
        event_id = await write(_actor(context))
        if not show:
            return EventPayload()
        found = await build_events(info, [event_id], chain, published_only=False)
        return EventPayload(event=found.get(event_id))

    return await run(EventPayload, answer)


async def _organizer(info: Info, organizer_id: int) -> Organizer:
    rows = await reading.organizer_translations([organizer_id])
    return Organizer.build(organizer_id, rows, info.context.chain(None))


@strawberry.type
class EventMutations:
    @strawberry.mutation(
        description="Write a new event, as a draft.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def create_event(
        self,
        info: Info,
        input: EventInput,
        translations: list[EventTranslationInput],
        locale: LocaleArg = None,
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            return await writing.create_event(
                input.to_service(),
                [t.to_service() for t in translations],
                actor.locales,
                actor.account_id,
            )

        return await _event_payload(info, locale, write)

    @strawberry.mutation(
        description="Change an event's time, place or terms.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def update_event(
        self, info: Info, id: strawberry.ID, expected_version: int, input: EventInput
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            ident = required_id(id)
            await writing.update_event(actor, ident, expected_version, input.to_service())
            return ident

        return await _event_payload(info, None, write)

    @strawberry.mutation(
        description="Add or change an event's translation.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def upsert_event_translation(
        self,
        info: Info,
        event_id: strawberry.ID,
        expected_version: int,
        input: EventTranslationInput,
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            ident = required_id(event_id, "eventId")
            await writing.upsert_text(actor, ident, expected_version, input.to_service())
            return ident

        return await _event_payload(info, input.locale, write)

    @strawberry.mutation(
        description="Delete an event.", extensions=[Requires(Permission.CREATE_CONTENT)]
    )
    async def delete_event(
        self, info: Info, id: strawberry.ID, expected_version: int
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            ident = required_id(id)
            await writing.delete_event(actor, ident, expected_version)
            return ident

        return await _event_payload(info, None, write, show=False)

    @strawberry.mutation(description="Publish an event.", extensions=[Requires(Permission.PUBLISH)])
    async def publish_event(
        self, info: Info, id: strawberry.ID, expected_version: int
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            await writing.set_status(required_id(id), expected_version, EventStatus.PUBLISHED)
            return required_id(id)

        return await _event_payload(info, None, write)

    @strawberry.mutation(
        description="Take an event back to draft.", extensions=[Requires(Permission.PUBLISH)]
    )
    async def unpublish_event(
        self, info: Info, id: strawberry.ID, expected_version: int
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            await writing.set_status(required_id(id), expected_version, EventStatus.DRAFT)
            return required_id(id)

        return await _event_payload(info, None, write)

    @strawberry.mutation(
        description="Cancel one occurrence (`occurrenceStart` is the local start the rule gives "
        "it), or move it within 31 days (`start`, `end`), or neither: restore it.",
        extensions=[Requires(Permission.PUBLISH)],
    )
    async def change_occurrence(
        self,
        info: Info,
        event_id: strawberry.ID,
        expected_version: int,
        occurrence_start: str,
        cancelled: bool = False,
        start: str | None = None,
        end: str | None = None,
    ) -> EventPayload:
        async def write(actor: Actor) -> int:
            ident = required_id(event_id, "eventId")
            await writing.change_occurrence(
                ident, expected_version, occurrence_start, cancelled=cancelled, start=start, end=end
            )
            return ident

        return await _event_payload(info, None, write)

    @strawberry.mutation(
        description="Create or change an organizer.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def save_organizer(
        self,
        info: Info,
        names: list[OrganizerNameInput],
        id: strawberry.ID | None = None,
        website: str | None = None,
        social_links: JSON | None = None,
    ) -> OrganizerPayload:
        async def write() -> OrganizerPayload:
            # JSON is typed as any object: the value is iterated as sent, its dicts kept.
            received = cast(Iterable[object], social_links or [])
            links = [
                {"network": str(link.get("network", "")), "url": str(link.get("url", ""))}
                for link in received
                if isinstance(link, dict)
            ]
            by_locale = {}
            for entry in names:
                if entry.locale not in info.context.settings.locales:
                    raise ContentError("names", "INVALID", f"{entry.locale!r} is not configured.")
                by_locale[entry.locale] = (entry.name, entry.description)
            ident = await writing.save_organizer(parse_id(id, "id"), website, links, by_locale)
            return OrganizerPayload(organizer=await _organizer(info, ident))

        return await run(OrganizerPayload, write)

    @strawberry.mutation(
        description="Delete an organizer no event uses.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def delete_organizer(self, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await writing.delete_organizer(required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Create or change a venue.", extensions=[Requires(Permission.MANAGE_TAXONOMY)]
    )
    async def save_venue(self, input: VenueInput, id: strawberry.ID | None = None) -> VenuePayload:
        values = {
            "name": input.name.strip(),
            "city": input.city.strip(),
            "address": input.address.strip(),
            "region": input.region.strip(),
            "country": input.country.strip().upper(),
            "latitude": input.latitude,
            "longitude": input.longitude,
        }

        async def write() -> VenuePayload:
            ident = await writing.save_venue(parse_id(id, "id"), values)
            (row,) = await reading.venues([ident])
            return VenuePayload(venue=Venue.build(row))

        return await run(VenuePayload, write)

    @strawberry.mutation(
        description="Delete a venue no event uses.",
        extensions=[Requires(Permission.MANAGE_TAXONOMY)],
    )
    async def delete_venue(self, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await writing.delete_venue(required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)
