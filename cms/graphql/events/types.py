"""GraphQL types for events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import Private
from strawberry.scalars import JSON

from cms.graphql.common import Alternate, PageInfo, localize, requested_locale_field
from cms.graphql.context import Info
from cms.graphql.media.types import Media
from cms.graphql.posts.registry import post_builders
from cms.graphql.taxonomy.types import Tag
from cms.models import EventStatus
from cms.services import events as service
from cms.services import recurrence
from cms.services.locales import pick

if TYPE_CHECKING:
    from cms.graphql.posts.types import Post

# Posts show their events: the posts types import this module, so resolve theirs lazily.
PostRef = Annotated["Post", strawberry.lazy("cms.graphql.posts.types")]


EventStatusEnum = strawberry.enum(EventStatus, name="EventStatus")


@strawberry.type
class Price:
    amount_cents: int
    currency: str


@strawberry.type
class Venue:
    id: strawberry.ID
    name: str
    address: str
    city: str
    region: str
    country: str
    latitude: float | None
    longitude: float | None

    @classmethod
    def build(cls, row: service.VenueRow) -> Venue:
        return cls(
            id=strawberry.ID(str(row["id"])),
            name=row["name"],
            address=row["address"],
            city=row["city"],
            region=row["region"],
            country=row["country"],
            latitude=row["latitude"],
            longitude=row["longitude"],
        )


@strawberry.type(description="An organizer's name and description in one locale, as written.")
class OrganizerName:
    locale: str
    name: str
    description: str


@strawberry.type
class Organizer:
    id: strawberry.ID
    name: str
    description: str
    website: str | None
    social_links: JSON
    resolved_locale: str
    is_fallback: bool
    names: list[OrganizerName] = strawberry.field(
        description="Every translation as written, by locale (what an editor changes)."
    )
    chain: Private[tuple[str, ...]]
    requested_locale: str = requested_locale_field()

    @classmethod
    def build(
        cls,
        organizer_id: int,
        rows: Sequence[service.OrganizerTranslationRow],
        chain: tuple[str, ...],
    ) -> Organizer:
        row, is_fallback = localize(rows, chain)
        return cls(
            id=strawberry.ID(str(organizer_id)),
            name=row["name"],
            description=row["description"],
            website=row["organizer__website"],
            social_links=JSON(row["organizer__social_links"] or []),
            resolved_locale=row["locale"],
            is_fallback=is_fallback,
            names=[
                OrganizerName(locale=r["locale"], name=r["name"], description=r["description"])
                for r in sorted(rows, key=lambda r: r["locale"])
            ],
            chain=chain,
        )


@strawberry.type(description="An event's description in one locale, rendered when saved.")
class EventDescription:
    markdown: str
    html: str
    text: str


@strawberry.type(description="A meetup, once or recurring, in the requested locale.")
class Event:
    id: strawberry.ID
    title: str
    slug: str
    summary: str
    resolved_locale: str
    is_fallback: bool
    status: EventStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Readers see published events only; drafts are shown with preview."
    )
    timezone: str = strawberry.field(description="IANA zone of the local times.")
    start_local: str = strawberry.field(description="First start, local wall-clock time.")
    end_local: str
    rrule: str | None = strawberry.field(description="RFC 5545 recurrence rule.")
    exdates: list[str] = strawberry.field(description="Local starts that do not happen.")
    is_free: bool
    price: Price | None
    audience: JSON
    languages: list[str]
    registration_url: str | None
    online_url: str | None
    version: int
    updated_at: datetime
    row: Private[service.EventRow]
    translation_id: Private[int]
    translations: Private[Sequence[service.EventTranslationRow]]
    chain: Private[tuple[str, ...]]
    requested_locale: str = requested_locale_field()

    @classmethod
    def build(
        cls,
        row: service.EventRow,
        translations: Sequence[service.EventTranslationRow],
        chain: tuple[str, ...],
    ) -> Event | None:
        chosen = pick(translations, chain)
        if chosen is None:
            return None
        price = None
        if not row["is_free"] and row["price_cents"] is not None and row["currency"]:
            price = Price(amount_cents=row["price_cents"], currency=row["currency"])
        return cls(
            id=strawberry.ID(str(row["id"])),
            title=chosen["title"],
            slug=chosen["slug"],
            summary=chosen["summary"],
            resolved_locale=chosen["locale"],
            is_fallback=chosen["locale"] != chain[0],
            status=EventStatus(row["status"]),
            timezone=row["timezone"],
            start_local=row["start_local"],
            end_local=row["end_local"],
            rrule=row["rrule"],
            exdates=list(row["exdates"] or ()),
            is_free=row["is_free"],
            price=price,
            audience=JSON(row["audience"] or {}),
            languages=list(row["languages"] or ()),
            registration_url=row["registration_url"],
            online_url=row["online_url"],
            version=row["version"],
            updated_at=row["updated_at"],
            row=row,
            translation_id=chosen["id"],
            translations=translations,
            chain=chain,
        )

    @strawberry.field
    async def description(self, info: Info) -> EventDescription:
        row = await info.context.loaders.events.description.load(self.translation_id)
        assert row is not None  # the translation was read in this request
        return EventDescription(
            markdown=row["description"], html=row["description_html"], text=row["description_text"]
        )

    @strawberry.field
    async def venue(self, info: Info) -> Venue | None:
        return await self._venue(info)

    async def _venue(self, info: Info) -> Venue | None:
        if self.row["venue_id"] is None:
            return None
        row = await info.context.loaders.events.venue.load(self.row["venue_id"])
        return Venue.build(row) if row else None

    @strawberry.field
    async def organizer(self, info: Info) -> Organizer | None:
        return await self._organizer(info)

    async def _organizer(self, info: Info) -> Organizer | None:
        organizer_id = self.row["organizer_id"]
        if organizer_id is None:
            return None
        rows = await info.context.loaders.events.organizer.load(organizer_id)
        return Organizer.build(organizer_id, rows, self.chain) if rows else None

    @strawberry.field(description="Sorted by name.")
    async def tags(self, info: Info) -> list[Tag]:
        rows = await info.context.loaders.events.tags.load(int(self.id))
        by_tag: dict[int, list[service.EventTagRow]] = {}
        for row in rows:
            by_tag.setdefault(row["tag_id"], []).append(row)
        return Tag.build_sorted(by_tag, self.chain)

    @strawberry.field(description="The image shown with the event.")
    async def cover(self, info: Info) -> Media | None:
        if self.row["cover_id"] is None:
            return None
        found = await info.context.loaders.media.by_id.load(self.row["cover_id"])
        return Media.build(found) if found else None

    @strawberry.field(description="The event's page on the public site, in `resolvedLocale`.")
    def url(self, info: Info) -> str:
        return info.context.settings.event_url(self.resolved_locale, self.slug)

    @strawberry.field(
        description='schema.org Event for a <script type="application/ld+json">; recurring '
        "events describe their next occurrence."
    )
    async def json_ld(self, info: Info) -> JSON:
        settings = info.context.settings
        url = settings.event_url(self.resolved_locale, self.slug)
        now = datetime.now(UTC)
        overrides = await service.overrides_of([int(self.id)])
        upcoming = [
            o
            for o in service.occurrences(self.row, overrides, now, now + service.MAX_WINDOW, 5)
            if not o.cancelled
        ]
        first = upcoming[0] if upcoming else None
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.summary or None,
            "url": url,
            "inLanguage": self.languages or [self.resolved_locale],
            "startDate": first.start.isoformat() if first else None,
            "endDate": first.end.isoformat() if first else None,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/"
            + (
                "OfflineEventAttendanceMode"
                if self.row["venue_id"]
                else "OnlineEventAttendanceMode"
            ),
        }
        venue = await self._venue(info)
        if venue is not None:
            data["location"] = {
                "@type": "Place",
                "name": venue.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": venue.address,
                    "addressLocality": venue.city,
                    "addressRegion": venue.region,
                    "addressCountry": venue.country,
                },
                **(
                    {"geo": {"@type": "GeoCoordinates", "latitude": venue.latitude,
                             "longitude": venue.longitude}}
                    if venue.latitude is not None and venue.longitude is not None
                    else {}
                ),
            }  # fmt: skip
        elif self.online_url:
            data["location"] = {"@type": "VirtualLocation", "url": self.online_url}
        data["offers"] = {
            "@type": "Offer",
            "price": f"{self.price.amount_cents / 100:.2f}" if self.price else "0",
            "priceCurrency": self.price.currency if self.price else "CAD",
            "availability": "https://schema.org/InStock",
            "url": self.registration_url or url,
        }
        audience = self.row["audience"] or {}
        if audience.get("minAge") or audience.get("maxAge"):
            data["audience"] = {
                "@type": "PeopleAudience",
                **({"suggestedMinAge": audience["minAge"]} if audience.get("minAge") else {}),
                **({"suggestedMaxAge": audience["maxAge"]} if audience.get("maxAge") else {}),
            }
        organizer = await self._organizer(info)
        if organizer is not None:
            data["organizer"] = {
                "@type": "Organization",
                "name": organizer.name,
                **({"url": organizer.website} if organizer.website else {}),
            }
        return JSON({key: value for key, value in data.items() if value is not None})

    @strawberry.field(description="Published posts that mention this event.")
    async def posts(self, info: Info) -> list[PostRef]:
        rows = await info.context.loaders.posts.by_event.load(int(self.id))
        posts = await post_builders().build_posts(info, rows, self.chain)
        return [post for post in posts if post is not None]

    @strawberry.field(description="Every translation (hreflang alternates).")
    def alternates(self) -> list[Alternate]:
        return [
            Alternate(locale=t["locale"], slug=t["slug"], title=t["title"])
            for t in sorted(self.translations, key=lambda t: t["locale"])
        ]

    @strawberry.field(description="The next occurrences from now (cancelled ones flagged).")
    async def next_occurrences(self, info: Info, limit: int = 5) -> list[EventOccurrence]:
        limit = max(1, min(limit, 50))
        now = datetime.now(UTC)
        overrides = await service.overrides_of([int(self.id)])
        found = service.occurrences(self.row, overrides, now, now + service.MAX_WINDOW, limit)
        return [EventOccurrence.build(o, self) for o in found[:limit]]


@strawberry.type(description="One occurrence of an event.")
class EventOccurrence:
    event: Event
    start: datetime = strawberry.field(description="With the event zone's offset.")
    end: datetime
    start_utc: datetime
    end_utc: datetime
    local_start: str = strawberry.field(
        description="Local start the rule gives it (stable even when the occurrence moves)."
    )
    cancelled: bool
    moved: bool

    @classmethod
    def build(cls, occurrence: service.Occurrence, event: Event) -> EventOccurrence:
        return cls(
            event=event,
            start=occurrence.start,
            end=occurrence.end,
            start_utc=occurrence.start.astimezone(UTC),
            end_utc=occurrence.end.astimezone(UTC),
            local_start=occurrence.local_start.strftime(service.LOCAL_FORMAT),
            cancelled=occurrence.cancelled,
            moved=occurrence.moved,
        )


@strawberry.type
class EventOccurrenceEdge:
    cursor: str
    node: EventOccurrence


@strawberry.type(description="Occurrences in a window, by start time.")
class EventOccurrenceConnection:
    edges: list[EventOccurrenceEdge]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[EventOccurrence]:
        return [edge.node for edge in self.edges]


@strawberry.type(
    description="An occurrence an event's times would give once saved (before any is "
    "cancelled or moved)."
)
class PlannedOccurrence:
    start: datetime = strawberry.field(description="With the event zone's offset.")
    end: datetime
    local_start: str = strawberry.field(description="Local wall-clock start.")

    @classmethod
    def build(cls, occurrence: recurrence.Occurrence) -> PlannedOccurrence:
        return cls(
            start=occurrence.start,
            end=occurrence.end,
            local_start=occurrence.local_start.strftime(service.LOCAL_FORMAT),
        )
