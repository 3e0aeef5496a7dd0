"""Events as iCalendar (RFC 5545), for calendar apps to subscribe to.

Recurring events keep their RRULE and EXDATEs (calendar apps expand them), each zone used
gets its VTIMEZONE, and an occurrence that was cancelled or moved is a separate VEVENT with the
same UID and a RECURRENCE-ID. UIDs are stable across exports; SEQUENCE follows the event's
version, so subscribers see an update when the event changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.prop import vRecur

from cms.services.events import EventRow, EventTranslationRow, OverrideRow, VenueRow, local
from cms.services.locales import pick
from cms.settings import Settings


def calendar(
    settings: Settings,
    chain: tuple[str, ...],
    events: Sequence[EventRow],
    translations: Mapping[int, Sequence[EventTranslationRow]],
    overrides: Mapping[int, Sequence[OverrideRow]],
    venues: Mapping[int, VenueRow],
    name: str,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Cinq//Events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    host = urlsplit(settings.site_url).hostname or "cinq"
    for event in events:
        chosen = pick(translations.get(event["id"], []), chain)
        if chosen is None:
            continue
        tz = ZoneInfo(event["timezone"])
        uid = f"event-{event['id']}@{host}"
        venue = venues.get(event["venue_id"]) if event["venue_id"] is not None else None
        master = _vevent(settings, event, chosen, venue, uid, tz)
        master.add("dtstart", local(event["start_local"]).replace(tzinfo=tz))
        master.add("dtend", local(event["end_local"]).replace(tzinfo=tz))
        if event["rrule"]:
            master.add("rrule", _rule(event["rrule"], tz))
            if event["exdates"]:
                master.add("exdate", [local(x).replace(tzinfo=tz) for x in event["exdates"]])
        cal.add_component(master)
        duration = local(event["end_local"]) - local(event["start_local"])
        for override in overrides.get(event["id"], []):
            original = local(override["occurrence_local"])
            start = local(override["start_local"]) if override["start_local"] else original
            end = local(override["end_local"]) if override["end_local"] else start + duration
            instance = _vevent(settings, event, chosen, venue, uid, tz)
            instance.add("recurrence-id", original.replace(tzinfo=tz))
            instance.add("dtstart", start.replace(tzinfo=tz))
            instance.add("dtend", end.replace(tzinfo=tz))
            if override["cancelled"]:
                instance.add("status", "CANCELLED")
            cal.add_component(instance)
    cal.add_missing_timezones()
    return cal.to_ical()


def _rule(text: str, tz: ZoneInfo) -> vRecur:
    """The rule as RFC 5545 wants it beside a start with a zone: UNTIL in UTC (a rule may be
    written with UNTIL on the local wall clock, as it expands here)."""
    rule: vRecur = vRecur.from_ical(text.removeprefix("RRULE:"))
    if "UNTIL" in rule:
        rule["UNTIL"] = [
            (until if until.tzinfo else until.replace(tzinfo=tz)).astimezone(UTC)
            if isinstance(until, datetime)
            else until
            for until in rule["UNTIL"]
        ]
    return rule


def _vevent(
    settings: Settings,
    event: EventRow,
    translation: EventTranslationRow,
    venue: VenueRow | None,
    uid: str,
    tz: ZoneInfo,
) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", event["updated_at"])
    vevent.add("sequence", event["version"] - 1)
    vevent.add("summary", translation["title"])
    if translation.get("summary"):
        vevent.add("description", translation["summary"])
    vevent.add("url", settings.event_url(translation["locale"], translation["slug"]))
    if venue is not None:
        parts = [venue["name"], venue["address"], venue["city"], venue["region"], venue["country"]]
        vevent.add("location", ", ".join(p for p in parts if p))
        if venue["latitude"] is not None and venue["longitude"] is not None:
            vevent.add("geo", (venue["latitude"], venue["longitude"]))
    elif event["online_url"]:
        vevent.add("location", event["online_url"])
    return vevent
