"""Events as readers see them: occurrences in a window, in local time, filtered and paged."""

from __future__ import annotations

from pathlib import Path

import pytest

from cms.demo.load import load_demo
from cms.models import Event, EventOverride, EventStatus, EventTranslation
from tests.sql import recorded_statements

OCCURRENCES = """
query($from: DateTime!, $to: DateTime!, $city: String, $free: Boolean, $tag: String,
      $locale: String, $first: Int = 100, $after: String) {
  events(from: $from, to: $to, city: $city, free: $free, tagSlug: $tag, locale: $locale,
         first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { start startUtc end localStart cancelled moved
                          event { id title slug resolvedLocale venue { city } } } }
  }
}
"""


@pytest.fixture
async def demo(settings) -> None:
    await load_demo()


def nodes(data: dict) -> list[dict]:
    return [edge["node"] for edge in data["events"]["edges"]]


async def test_a_weekly_evening_stays_at_17_local_across_daylight_saving(gql, demo) -> None:
    data = await gql.data(
        OCCURRENCES,
        **{"from": "2026-10-20T00:00:00Z", "to": "2027-03-25T00:00:00Z"},
        city="Montréal",
    )
    weekly = [n for n in nodes(data) if n["event"]["slug"] == "le-5-a-7-du-mercredi"]

    assert {n["start"][11:16] for n in weekly} == {"17:00"}
    utc_hours = [int(n["startUtc"][11:13]) for n in weekly]
    assert utc_hours[0] == 21 and utc_hours[-1] == 21  # EDT at both ends
    assert set(utc_hours[2:-2]) == {22}  # EST in between
    assert weekly[0]["start"].endswith("-04:00") and weekly[3]["start"].endswith("-05:00")


async def test_a_cancelled_occurrence_is_listed_as_cancelled(gql, demo) -> None:
    data = await gql.data(
        OCCURRENCES, **{"from": "2026-12-20T00:00:00Z", "to": "2026-12-27T00:00:00Z"}
    )
    weekly = [n for n in nodes(data) if n["event"]["slug"] == "le-5-a-7-du-mercredi"]
    assert [(n["localStart"], n["cancelled"]) for n in weekly] == [("2026-12-23T17:00", True)]


async def test_a_moved_occurrence_shows_at_its_new_time(gql, demo) -> None:
    event = await Event.get(translations__slug="le-5-a-7-du-mercredi")
    await EventOverride.create(
        event=event,
        occurrence_local="2027-02-03T17:00",
        start_local="2027-02-04T18:00",
        end_local="2027-02-04T20:00",
    )
    data = await gql.data(
        OCCURRENCES,
        **{"from": "2027-02-01T00:00:00Z", "to": "2027-02-08T00:00:00Z"},
        city="Montréal",
    )
    weekly = [n for n in nodes(data) if n["event"]["slug"] == "le-5-a-7-du-mercredi"]
    assert [(n["localStart"], n["start"], n["moved"]) for n in weekly] == [
        ("2027-02-03T17:00", "2027-02-04T18:00:00-05:00", True)
    ]


async def test_filters_and_locale(gql, demo) -> None:
    window = {"from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z"}
    toronto = nodes(await gql.data(OCCURRENCES, **window, city="toronto", locale="en-CA"))
    assert {n["event"]["title"] for n in toronto} == {"Language exchange night in Toronto"}
    assert toronto[0]["start"] == "2027-01-19T19:00:00-05:00"  # the third Tuesday
    # Case and accents are folded as a reader types: "Montreal" finds "Montréal".
    for typed in ("Montreal", "MONTRÉAL", " montréal "):
        montreal = nodes(await gql.data(OCCURRENCES, **window, city=typed, locale="en-CA"))
        assert {n["event"]["venue"]["city"] for n in montreal} == {"Montréal"}, typed
    assert nodes(await gql.data(OCCURRENCES, **window, city="Montrea")) == []
    languages = nodes(await gql.data(OCCURRENCES, **window, tag="langues"))
    assert {n["event"]["venue"]["city"] for n in languages} == {"Montréal", "Toronto"}
    paid = nodes(await gql.data(OCCURRENCES, **window, free=False))
    assert paid == []


async def test_pages_walk_the_window_in_start_order(gql, demo) -> None:
    window = {"from": "2026-11-01T00:00:00Z", "to": "2027-01-01T00:00:00Z"}
    everything = nodes(await gql.data(OCCURRENCES, **window))
    seen, after = [], None
    while True:
        page = await gql.data(OCCURRENCES, **window, first=3, after=after)
        seen += nodes(page)
        if not page["events"]["pageInfo"]["hasNextPage"]:
            break
        after = page["events"]["pageInfo"]["endCursor"]
    assert [(n["startUtc"], n["event"]["id"]) for n in seen] == [
        (n["startUtc"], n["event"]["id"]) for n in everything
    ]
    assert [n["startUtc"] for n in seen] == sorted(n["startUtc"] for n in seen)
    assert len(seen) > 10


async def test_drafts_are_hidden(gql, demo) -> None:
    await Event.filter(translations__slug="le-5-a-7-du-mercredi").update(status=EventStatus.DRAFT)
    data = await gql.data(
        OCCURRENCES, **{"from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z"}
    )
    assert "le-5-a-7-du-mercredi" not in {n["event"]["slug"] for n in nodes(data)}
    assert (await gql.data('{ event(slug: "le-5-a-7-du-mercredi") { id } }'))["event"] is None


async def test_one_event_with_its_next_occurrences(gql, demo) -> None:
    data = await gql.data(
        """{ event(slug: "echange-linguistique-montreal", locale: "en-CA") {
               title slug resolvedLocale isFallback timezone rrule isFree languages
               alternates { locale slug } organizer { name website } venue { name city latitude }
               description { html } nextOccurrences(limit: 3) { start cancelled } } }"""
    )
    event = data["event"]
    assert (event["title"], event["slug"]) == (
        "Language exchange night in Montreal",
        "language-exchange-montreal",
    )
    assert event["timezone"] == "America/Montreal" and event["rrule"] == "FREQ=MONTHLY;BYDAY=3TH"
    assert {a["locale"] for a in event["alternates"]} == {"fr-CA", "en-CA"}
    assert (
        event["venue"]["city"] == "Montréal" and event["organizer"]["name"] == "Language Exchange"
    )
    assert '<h2 id="how-it-works">' in event["description"]["html"]
    starts = [o["start"] for o in event["nextOccurrences"]]
    assert len(starts) == 3 and starts == sorted(starts)
    assert all(o["start"][11:16] == "18:30" for o in event["nextOccurrences"])


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"from": "2027-01-01T00:00:00Z", "to": "2028-06-01T00:00:00Z"}, "to"),
        ({"from": "2027-01-02T00:00:00Z", "to": "2027-01-01T00:00:00Z"}, "to"),
        ({"from": "2027-01-01T00:00:00", "to": "2027-02-01T00:00:00Z"}, "from"),
    ],
)
async def test_windows_are_bounded(gql, demo, window, field) -> None:
    body = await gql(OCCURRENCES, **window)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_event_translations_exist_for_every_demo_event(settings, demo) -> None:
    assert await EventTranslation.all().count() == 6


async def test_event_structured_data_and_links_with_posts(gql, demo) -> None:
    data = await gql.data(
        """{ event(slug: "wednesday-5-to-7", locale: "en-CA") {
               url jsonLd posts { title event: events { slug } } } }"""
    )
    event = data["event"]
    assert event["url"].endswith("/en/events/wednesday-5-to-7")
    ld = event["jsonLd"]
    assert (ld["@type"], ld["name"], ld["url"]) == ("Event", "Wednesday 5-to-7", event["url"])
    assert ld["startDate"][11:16] == "17:00" and ld["startDate"][-6:] in {"-05:00", "-04:00"}
    assert ld["location"]["@type"] == "Place"
    assert ld["location"]["address"]["addressLocality"] == "Montréal"
    assert ld["location"]["geo"]["latitude"] == pytest.approx(45.5186)
    assert ld["offers"]["price"] == "0" and ld["offers"]["priceCurrency"] == "CAD"
    assert ld["audience"] == {
        "@type": "PeopleAudience",
        "suggestedMinAge": 25,
        "suggestedMaxAge": 35,
    }
    assert ld["organizer"]["name"] == "5-to-7 Network"
    assert ld["inLanguage"] == ["fr", "en"]
    assert len(event["posts"]) == 2
    assert all({"slug": "wednesday-5-to-7"} in post["event"] for post in event["posts"])


async def test_event_tags_in_the_locale(gql, demo) -> None:
    data = await gql.data(
        '{ event(slug: "wednesday-5-to-7", locale: "en-CA") { tags { name } cover { id } } }'
    )
    assert data["event"] == {"tags": [{"name": "Montreal"}, {"name": "Networking"}], "cover": None}


async def test_the_events_page_costs_the_same_statements_for_more_occurrences(gql, demo) -> None:
    page = (Path(__file__).parents[2] / "schema/operations/EventsPage.graphql").read_text()
    counts = []
    for to in ("2027-01-15T00:00:00Z", "2027-04-01T00:00:00Z"):
        with recorded_statements() as statements:
            data = await gql.data(page, **{"from": "2027-01-01T00:00:00Z", "to": to}, first=100)
        counts.append((len(data["events"]["edges"]), len(statements)))
    (few, small), (many, large) = counts
    assert many > few * 3
    assert large == small
