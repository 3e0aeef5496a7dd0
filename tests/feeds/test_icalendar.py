"""The .ics feeds parse, keep rules as rules, and expand to exactly the API's occurrences."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
import recurring_ical_events

from cms.demo.load import load_demo
from cms.models import Event
from tests.factories import make_event

WINDOW = ("2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z")
API = """
query($from: DateTime!, $to: DateTime!, $after: String) {
  events(from: $from, to: $to, first: 100, after: $after, locale: "en-CA") {
    pageInfo { hasNextPage endCursor }
    edges { node { startUtc cancelled event { title } } }
  }
}
"""


@pytest.fixture
async def demo(settings) -> None:
    await load_demo()


async def _api_occurrences(gql) -> list[tuple[str, datetime, bool]]:
    found, after = [], None
    while True:
        data = await gql.data(API, **{"from": WINDOW[0], "to": WINDOW[1]}, after=after)
        for edge in data["events"]["edges"]:
            node = edge["node"]
            found.append(
                (
                    node["event"]["title"],
                    datetime.fromisoformat(node["startUtc"]),
                    node["cancelled"],
                )
            )
        if not data["events"]["pageInfo"]["hasNextPage"]:
            return found
        after = data["events"]["pageInfo"]["endCursor"]


async def test_the_feed_expands_to_the_api_occurrences_for_a_year(client, gql, demo) -> None:
    response = await client.get("/events.ics", params={"locale": "en-CA"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(response.content)

    masters = [c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c]
    assert {str(c["RRULE"].to_ical(), "ascii") for c in masters} == {
        "FREQ=WEEKLY;BYDAY=WE",
        "FREQ=MONTHLY;BYDAY=3TH",
        "FREQ=MONTHLY;BYDAY=3TU",
    }
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"America/Montreal", "America/Toronto"}

    start, end = (datetime.fromisoformat(w) for w in WINDOW)
    expanded = recurring_ical_events.of(cal).between(start, end)
    from_feed = sorted(
        (str(e["SUMMARY"]), e["DTSTART"].dt.astimezone(UTC), e.get("STATUS") == "CANCELLED")
        for e in expanded
    )
    from_api = sorted(await _api_occurrences(gql))
    assert from_feed == from_api
    assert len(from_api) > 60
    assert ("Wednesday 5-to-7", datetime(2026, 12, 23, 22, tzinfo=UTC), True) in from_api


async def test_local_time_survives_daylight_saving_in_the_feed(client, demo) -> None:
    response = await client.get("/events/le-5-a-7-du-mercredi.ics")
    cal = icalendar.Calendar.from_ical(response.content)
    weekly = recurring_ical_events.of(cal).between(
        datetime(2026, 10, 20, tzinfo=UTC), datetime(2027, 3, 25, tzinfo=UTC)
    )
    assert {e["DTSTART"].dt.strftime("%H:%M") for e in weekly} == {"17:00"}
    assert {e["DTSTART"].dt.astimezone(UTC).hour for e in weekly} == {21, 22}
    (master,) = [c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c]
    assert str(master["SUMMARY"]) == "Le 5 à 7 du mercredi"  # the default locale
    assert str(master["URL"]).endswith("/fr/evenements/le-5-a-7-du-mercredi")
    assert "Café du Plateau" in str(master["LOCATION"])
    assert master["GEO"].latitude == pytest.approx(45.5186)


async def test_uids_are_stable_and_sequence_follows_changes(client, demo) -> None:
    first = icalendar.Calendar.from_ical((await client.get("/events.ics")).content)
    event = await Event.get(translations__slug="le-5-a-7-du-mercredi")
    event.version += 1
    await event.save()
    second = icalendar.Calendar.from_ical((await client.get("/events.ics")).content)

    def by_uid(cal):
        return {
            str(c["UID"]): int(c["SEQUENCE"])
            for c in cal.walk("VEVENT")
            if "RECURRENCE-ID" not in c
        }

    before, after = by_uid(first), by_uid(second)
    assert before.keys() == after.keys()
    changed = [uid for uid in before if after[uid] != before[uid]]
    assert changed == [f"event-{event.id}@localhost"]
    assert after[changed[0]] == before[changed[0]] + 1


async def test_unknown_events_and_locales(client, demo) -> None:
    assert (await client.get("/events/nope.ics")).status_code == 404
    assert (await client.get("/events.ics", params={"locale": "de-DE"})).status_code == 400


async def test_calendars_carry_validators_for_polling_apps(client, demo) -> None:
    first = await client.get("/events.ics")
    again = await client.get("/events.ics", headers={"if-none-match": first.headers["etag"]})

    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("until", ["20270317T235959", "20270318T035959Z"], ids=["local", "utc"])
async def test_until_is_written_in_utc_and_ends_the_series_where_the_api_does(
    client, gql, until
) -> None:
    # Both say: until the end of Wednesday, March 17, in Montreal (UTC-4 after the change).
    await make_event(
        start_local="2027-03-03T17:00",
        end_local="2027-03-03T19:00",
        rrule=f"FREQ=WEEKLY;BYDAY=WE;UNTIL={until}",
    )
    response = await client.get("/events.ics", params={"locale": "en-CA"})
    cal = icalendar.Calendar.from_ical(response.content)
    (master,) = cal.walk("VEVENT")
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20270318T035959Z;BYDAY=WE"

    start, end = (datetime.fromisoformat(w) for w in WINDOW)
    from_feed = sorted(
        e["DTSTART"].dt.astimezone(UTC) for e in recurring_ical_events.of(cal).between(start, end)
    )
    from_api = sorted(when for _title, when, _cancelled in await _api_occurrences(gql))
    assert from_feed == from_api
    assert [when.isoformat() for when in from_api] == [
        "2027-03-03T22:00:00+00:00",
        "2027-03-10T22:00:00+00:00",
        "2027-03-17T21:00:00+00:00",
    ]
