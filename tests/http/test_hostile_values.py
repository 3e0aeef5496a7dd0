"""Hostile values in URLs (feeds, calendars, media, sitemaps) get a 400 or a 404 in the API's
JSON error shape, never a 500, on SQLite and PostgreSQL alike.

The rule: a query parameter no filter can use is a 400; a path naming something that cannot
exist (an id beyond the database's integer range, a slug longer than its column, a NUL) is
simply not found, 404.
"""

from __future__ import annotations

import icalendar
import pytest

from cms.models import Role
from tests.auth import caller
from tests.factories import make_category, make_event, make_post

TOO_BIG = "99999999999999999999999"
HUGE = "9" * 5000  # past the digits Python parses into an int by default


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    return error["message"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("city=Montr%00al", "city"),
        ("organizer=2147483648", "organizer"),
        (f"organizer={TOO_BIG}", "organizer"),
        (f"organizer={HUGE}", "organizer"),
        ("organizer=0", "organizer"),
        ("organizer=%C2%B2", "organizer"),  # "²" is a digit to str.isdigit, not to int()
        ("organizer=-1", "organizer"),
    ],
)
async def test_a_calendar_filter_no_column_can_match_is_a_400(client, query, name) -> None:
    await make_event()
    message = _error(await client.get(f"/events.ics?{query}"), 400, "BAD_USER_INPUT")
    assert repr(name) in message


async def test_calendar_filters_in_range_still_filter(client) -> None:
    event = await make_event(online_url="https://meet.example/5a7")
    whole = icalendar.Calendar.from_ical((await client.get("/events.ics")).content)
    assert [str(e["UID"]).split("@")[0] for e in whole.walk("VEVENT")] == [f"event-{event.id}"]

    nobody = await client.get("/events.ics?organizer=2147483647")
    assert nobody.status_code == 200
    assert icalendar.Calendar.from_ical(nobody.content).walk("VEVENT") == []


@pytest.mark.parametrize("slug", ["a%00b", "a" * 201, "%ED%A0%80"])
async def test_an_event_calendar_by_a_slug_that_cannot_exist_is_404(client, slug) -> None:
    event = await make_event(translations={"fr-CA": {"title": "Le 5 à 7", "slug": "le-5-a-7"}})
    assert event.id
    assert (await client.get("/events/le-5-a-7.ics")).status_code == 200
    _error(await client.get(f"/events/{slug}.ics"), 404, "NOT_FOUND")


@pytest.mark.parametrize("slug", ["a%00b", "a" * 201])
async def test_a_category_feed_by_a_slug_that_cannot_exist_is_404(client, slug) -> None:
    category = await make_category({"fr-CA": "Blogue"})
    await make_post(category=category, locales=("fr-CA",))
    (real,) = await category.translations.all().values_list("slug", flat=True)
    assert (await client.get(f"/feeds/fr-CA/categories/{real}/rss.xml")).status_code == 200
    for name in ("rss.xml", "atom.xml", "feed.json"):
        response = await client.get(f"/feeds/fr-CA/categories/{slug}/{name}")
        _error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("number", ["2147483648", TOO_BIG, HUGE, "0", "abc"])
async def test_a_sitemap_part_that_cannot_exist_is_404(client, number) -> None:
    _error(await client.get(f"/sitemap-{number}.xml"), 404, "NOT_FOUND")


@pytest.mark.parametrize("media_id", ["2147483648", TOO_BIG, HUGE, "0", "abc"])
async def test_an_original_beyond_the_id_range_is_404(client, media_id) -> None:
    editor = await caller(client, Role.EDITOR)
    response = await client.get(f"/media/original/{media_id}", headers=editor.headers)
    _error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "key",
    ["blobs/ab/a%00", "blobs/ab/" + "a" * 65, "blobs/ab/" + "A" * 64, "renditions/a%00b.png"],
)
async def test_a_public_file_that_cannot_exist_is_404(client, key) -> None:
    _error(await client.get(f"/media/{key}"), 404, "NOT_FOUND")
