"""Writing events, organizers and venues, with the same rules as posts: one transaction per
write, opened by a conditional version bump; expected failures as :class:`ContentError`;
the webhook a write of an event calls for emitted in its transaction. Who may change an
event (:mod:`cms.services.event_rights`) is checked inside that transaction too."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from cms.models import (
    Event,
    EventOverride,
    EventStatus,
    EventTranslation,
    Media,
    Organizer,
    OrganizerTranslation,
    Tag,
    Venue,
)
from cms.services import webhooks
from cms.services.errors import ContentError, VersionConflict, not_found
from cms.services.event_rights import require_edit
from cms.services.events import (
    EARLIEST,
    LATEST,
    LOCAL_FORMAT,
    MOVE_MARGIN,
    local,
)
from cms.services.markdown import render
from cms.services.post_writing import MAX_SLUG, SLUG_RE, Actor
from cms.services.recurrence import (
    Occurrence,
    RuleError,
    check_rule,
    expand,
    parse_rule,
    zone,
)
from cms.services.text import slugify
from cms.services.webhooks.diffs import event_change

_CURRENCY = re.compile(r"^[A-Z]{3}$")
#: How far ahead :func:`planned_occurrences` looks for occurrences.
PLAN_HORIZON = timedelta(days=3653)


@dataclass(frozen=True)
class EventFields:
    timezone: str
    start_local: str
    end_local: str
    rrule: str | None = None
    exdates: Sequence[str] = ()
    venue_id: int | None = None
    online_url: str | None = None
    organizer_id: int | None = None
    is_free: bool = True
    price_cents: int | None = None
    currency: str | None = None
    audience: dict[str, Any] = field(default_factory=dict)
    languages: Sequence[str] = ()
    registration_url: str | None = None
    cover_id: int | None = None
    tag_ids: Sequence[int] = ()


@dataclass(frozen=True)
class EventText:
    locale: str
    title: str
    slug: str | None = None
    summary: str = ""
    description: str = ""


async def create_event(
    fields: EventFields, texts: Sequence[EventText], locales: Sequence[str], account_id: int | None
) -> int:
    if not texts:
        raise ContentError("translations", "INVALID", "An event needs at least one translation.")
    values = await _values(fields)
    async with in_transaction():
        event = await Event.create(status=EventStatus.DRAFT, created_by_id=account_id, **values)
        await _set_tags(event, fields.tag_ids)
        for index, text in enumerate(texts):
            try:
                await _write_text(event.id, text, locales)
            except ContentError as error:
                # Name the translation at fault: several are written at once.
                raise ContentError(
                    f"translations[{index}].{error.field}", error.code, error.message
                ) from None
    return event.id


async def update_event(actor: Actor, event_id: int, expected: int, fields: EventFields) -> None:
    async with in_transaction(), event_change(event_id):
        await require_edit(actor.viewer, event_id)
        values = await _values(fields)
        event = await _bump(event_id, expected, **values)
        await _set_tags(event, fields.tag_ids)


async def upsert_text(actor: Actor, event_id: int, expected: int, text: EventText) -> None:
    async with in_transaction(), event_change(event_id):
        await require_edit(actor.viewer, event_id)
        await _bump(event_id, expected)
        await _write_text(event_id, text, actor.locales)


async def set_status(event_id: int, expected: int, status: EventStatus) -> None:
    async with in_transaction(), event_change(event_id):
        await _bump(event_id, expected, status=status)


async def delete_event(actor: Actor, event_id: int, expected: int) -> None:
    async with in_transaction(), event_change(event_id):
        await require_edit(actor.viewer, event_id)
        await _bump(event_id, expected)
        await Event.filter(id=event_id).delete()


async def change_occurrence(
    event_id: int,
    expected: int,
    occurrence: str,
    *,
    cancelled: bool,
    start: str | None = None,
    end: str | None = None,
) -> None:
    """Cancel one occurrence, or move it (within 31 days), or (neither) restore it."""
    async with in_transaction(), event_change(event_id):
        event = await _bump(event_id, expected)
        original = _local("occurrenceStart", occurrence)
        if not _is_occurrence(event, original):
            raise ContentError(
                "occurrenceStart", "NOT_FOUND", f"The event does not happen at {occurrence}."
            )
        await EventOverride.filter(event_id=event_id, occurrence_local=occurrence).delete()
        if start is not None:
            moved = _local("start", start)
            finish = _local("end", end) if end else None
            if abs(moved - original) > MOVE_MARGIN:
                raise ContentError("start", "INVALID", "An occurrence moves 31 days at most.")
            if finish is not None and finish <= moved:
                raise ContentError("end", "INVALID", "The end must come after the start.")
        if cancelled or start is not None:
            await EventOverride.create(
                event_id=event_id,
                occurrence_local=occurrence,
                cancelled=cancelled,
                start_local=start,
                end_local=end,
            )


async def save_organizer(
    organizer_id: int | None,
    website: str | None,
    social_links: list[dict[str, str]],
    names: dict[str, tuple[str, str]],
) -> int:
    """Create (no id) or replace an organizer; ``names`` maps locale to (name, description)."""
    if organizer_id is None and not names:
        raise ContentError("names", "INVALID", "Name the organizer in at least one locale.")
    _url("website", website)
    for link in social_links:
        _url("socialLinks", link.get("url"))
    _fits(Organizer, {"website": website})
    for name, _description in names.values():
        _fits(OrganizerTranslation, {"name": name.strip()}, field="names")
    async with in_transaction():
        if organizer_id is None:
            organizer = await Organizer.create(website=website, social_links=social_links)
        else:
            found = await Organizer.get_or_none(id=organizer_id)
            if found is None:
                raise not_found("organizer", organizer_id)
            organizer = found
            organizer.website, organizer.social_links = website, social_links
            await organizer.save()
        for locale, (name, description) in names.items():
            if not name.strip():
                raise ContentError("names", "INVALID", "A name cannot be empty.")
            updated = await OrganizerTranslation.filter(
                organizer_id=organizer.id, locale=locale
            ).update(name=name.strip(), description=description)
            if not updated:
                await OrganizerTranslation.create(
                    organizer=organizer, locale=locale, name=name.strip(), description=description
                )
        if organizer_id is not None:
            await webhooks.emit("organizer.updated", {"id": str(organizer_id)})
    return organizer.id


async def save_venue(venue_id: int | None, values: dict[str, Any]) -> int:
    if not (values.get("name") or "").strip() or not (values.get("city") or "").strip():
        raise ContentError("name", "INVALID", "A venue needs a name and a city.")
    lat, lon = values.get("latitude"), values.get("longitude")
    if (lat is None) != (lon is None) or (
        lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
    ):
        raise ContentError("latitude", "INVALID", "Give both coordinates, in degrees.")
    if not re.match(r"^[A-Z]{2}\Z", values.get("country") or ""):
        raise ContentError("country", "INVALID", "A country is a two-letter code such as CA.")
    _fits(Venue, values)
    if venue_id is None:
        return (await Venue.create(**values)).id
    async with in_transaction():
        if not await Venue.filter(id=venue_id).update(**values):
            raise not_found("venue", venue_id)
        await webhooks.emit("venue.updated", {"id": str(venue_id)})
    return venue_id


async def delete_organizer(organizer_id: int) -> None:
    """Delete an organizer no event uses."""
    await _delete_place(Organizer, organizer_id, "organizer")


async def delete_venue(venue_id: int) -> None:
    """Delete a venue no event uses."""
    await _delete_place(Venue, venue_id, "venue")


async def _delete_place(model: Any, ident: int, kind: str) -> None:
    """Delete an organizer or a venue, refused while an event uses it."""
    row = await model.get_or_none(id=ident)
    if row is None:
        raise not_found(kind, ident)
    used = await Event.filter(**{f"{kind}_id": ident}).count()
    if used:
        raise ContentError("id", "CONFLICT", f"{used} event(s) use this {kind}.")
    await row.delete()


# --- building blocks -----------------------------------------------------------------------


async def _bump(event_id: int, expected: int, **changes: Any) -> Event:
    updated = await Event.filter(id=event_id, version=expected).update(
        version=F("version") + 1, updated_at=datetime.now(UTC), **changes
    )
    if updated:
        return await Event.get(id=event_id)
    current = await Event.get_or_none(id=event_id)
    if current is None:
        raise not_found("event", event_id)
    raise VersionConflict(current.version)


@dataclass(frozen=True)
class Schedule:
    """An event's times, checked: what :func:`schedule` makes of the text a writer gave."""

    tz: ZoneInfo
    start: datetime  # naive, local
    end: datetime
    rule: rrule | None
    exdates: list[datetime]


def schedule(
    timezone: str, start_local: str, end_local: str, rule: str | None, exdates: Sequence[str]
) -> Schedule:
    """Check an event's times as a save would, raising the same :class:`ContentError`: a save
    and a preview of the rule (:func:`planned_occurrences`) refuse the same input."""
    try:
        tz = zone(timezone)
    except RuleError as error:
        raise ContentError("timezone", "INVALID", str(error)) from None
    start, end = _local("startLocal", start_local), _local("endLocal", end_local)
    if not start < end <= start + timedelta(days=7):
        raise ContentError("endLocal", "INVALID", "An event ends after it starts, within 7 days.")
    parsed = None
    if rule:
        _fits(Event, {"rrule": rule})
        try:
            parsed = check_rule(rule, start, tz)
        except RuleError as error:
            raise ContentError("rrule", "INVALID", str(error)) from None
    return Schedule(tz, start, end, parsed, [_local("exdates", text) for text in exdates])


def planned_occurrences(plan: Schedule, after: datetime, limit: int) -> list[Occurrence]:
    """The first ``limit`` occurrences of an unsaved schedule that end after ``after``
    (aware), within :data:`PLAN_HORIZON` of the later of ``after`` and the first start: what
    the event would do once saved, before any occurrence is cancelled or moved.

    Expansion stops at ``limit``, so the horizon costs a dense rule nothing; it lets a yearly
    rule list its years, and bounds the search for a rule that never happens again."""
    first = plan.start.replace(tzinfo=plan.tz).astimezone(UTC)
    return expand(
        plan.rule,
        plan.start,
        plan.end - plan.start,
        plan.tz,
        after,
        min(max(after, first) + PLAN_HORIZON, LATEST),
        exdates=plan.exdates,
        limit=limit,
    ).occurrences


async def _values(fields: EventFields) -> dict[str, Any]:
    plan = schedule(
        fields.timezone, fields.start_local, fields.end_local, fields.rrule, fields.exdates
    )
    start, end, exdates = plan.start, plan.end, plan.exdates
    if (fields.venue_id is None) == (fields.online_url is None):
        raise ContentError("venueId", "INVALID", "An event is at a venue or online (one of them).")
    _url("onlineUrl", fields.online_url)
    _url("registrationUrl", fields.registration_url)
    if not fields.is_free and (
        fields.price_cents is None
        or fields.price_cents < 0
        or not _CURRENCY.match(fields.currency or "")
    ):
        raise ContentError("price", "INVALID", "A paid event has a price in cents and a currency.")
    _fits(
        Event,
        {
            "timezone": fields.timezone,
            "online_url": fields.online_url,
            "registration_url": fields.registration_url,
            "rrule": fields.rrule,
        },
    )
    for name, model, ident in (
        ("venueId", Venue, fields.venue_id),
        ("organizerId", Organizer, fields.organizer_id),
        ("coverId", Media, fields.cover_id),
    ):
        if ident is not None and not await model.exists(id=ident):
            raise not_found(name[:-2], ident, field=name)
    return {
        "timezone": fields.timezone,
        "start_local": start.strftime(LOCAL_FORMAT),
        "end_local": end.strftime(LOCAL_FORMAT),
        "rrule": fields.rrule.strip().removeprefix("RRULE:") if fields.rrule else None,
        "exdates": [d.strftime(LOCAL_FORMAT) for d in exdates],
        "venue_id": fields.venue_id,
        "online_url": fields.online_url,
        "organizer_id": fields.organizer_id,
        "is_free": fields.is_free,
        "price_cents": None if fields.is_free else fields.price_cents,
        "currency": None if fields.is_free else fields.currency,
        "audience": dict(fields.audience),
        "languages": list(fields.languages),
        "registration_url": fields.registration_url,
        "cover_id": fields.cover_id,
    }


async def _set_tags(event: Event, tag_ids: Sequence[int]) -> None:
    unique = list(dict.fromkeys(tag_ids))
    tags = await Tag.filter(id__in=unique)
    if len(tags) != len(unique):
        raise ContentError("tagIds", "NOT_FOUND", "A tag does not exist.")
    await event.tags.clear()
    if tags:
        await event.tags.add(*tags)


async def _write_text(event_id: int, text: EventText, locales: Sequence[str]) -> None:
    if text.locale not in locales:
        raise ContentError("locale", "INVALID", f"{text.locale!r} is not a configured locale.")
    title = text.title.strip()
    if not title or len(title) > 300:
        raise ContentError("title", "INVALID", "A title has 1 to 300 characters.")
    slug = text.slug if text.slug is not None else slugify(title) or "event"
    if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        raise ContentError(
            "slug", "INVALID", f"A slug is up to {MAX_SLUG} lowercase letters, digits and hyphens."
        )
    taken = EventTranslation.filter(locale=text.locale, slug=slug).exclude(event_id=event_id)
    if await taken.exists():
        raise ContentError("slug", "SLUG_TAKEN", f"Another {text.locale} event uses {slug!r}.")
    body = render(text.description)
    values: dict[str, Any] = {
        "title": title,
        "slug": slug,
        "summary": text.summary.strip(),
        "description": text.description,
        "description_html": body.html,
        "description_text": body.text,
    }
    try:
        async with in_transaction():
            updated = await EventTranslation.filter(event_id=event_id, locale=text.locale).update(
                **values
            )
            if not updated:
                await EventTranslation.create(event_id=event_id, locale=text.locale, **values)
    except IntegrityError:
        raise ContentError("slug", "SLUG_TAKEN", f"{slug!r} was just taken.") from None


def _is_occurrence(event: Event, original: datetime) -> bool:
    tz = zone(event.timezone)
    start, end = local(event.start_local), local(event.end_local)
    rule = parse_rule(event.rrule, start, tz) if event.rrule else None
    around = original.replace(tzinfo=tz)
    found = expand(
        rule, start, end - start, tz, around - timedelta(days=1), around + timedelta(days=1)
    )
    return any(o.local_start == original for o in found.occurrences)


def _local(name: str, text: str) -> datetime:
    try:
        value = datetime.strptime(text, LOCAL_FORMAT)
    except (TypeError, ValueError):
        raise ContentError(
            name, "INVALID", f"{name} is a local time like 2027-01-06T17:00."
        ) from None
    # The window reads accept: recurrence and time-zone arithmetic stay far from year 1 and
    # year 9999, where they would overflow.
    if not EARLIEST.year <= value.year < LATEST.year:
        raise ContentError(
            name, "INVALID", f"{name} is between {EARLIEST.year} and {LATEST.year - 1}."
        )
    return value


def _fits(model: Any, values: dict[str, Any], field: str | None = None) -> None:
    """Refuse text longer than its column, as a typed error rather than the database's."""
    for name, value in values.items():
        column = model._meta.fields_map.get(name)
        limit = getattr(column, "max_length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            api_name = field or re.sub(r"_(\w)", lambda m: m.group(1).upper(), name)
            raise ContentError(api_name, "INVALID", f"{api_name} has at most {limit} characters.")


def _url(name: str, value: str | None) -> None:
    if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise ContentError(name, "INVALID", f"{name} must be an http(s) address.")
