"""What the events pages of the web app ask while editing: drafts opened with preview, an
event's status, an organizer's names as written, and the occurrences a schedule would give
before it is saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from cms.models import Event, PostStatus, Role, TokenScope
from tests.auth import caller
from tests.conftest import GraphQLClient
from tests.factories import make_event, make_post

PLANNED = """
query($timezone: String!, $startLocal: String!, $endLocal: String!, $rrule: String,
      $exdates: [String!], $after: DateTime, $first: Int) {
  plannedOccurrences(timezone: $timezone, startLocal: $startLocal, endLocal: $endLocal,
                     rrule: $rrule, exdates: $exdates, after: $after, first: $first) {
    start end localStart
  }
}
"""
CREATE = """
mutation($input: EventInput!, $texts: [EventTranslationInput!]!) {
  createEvent(input: $input, translations: $texts) {
    event { id slug status }
    errors { field code message }
  }
}
"""
PUBLISH = """
mutation($id: ID!, $v: Int!) {
  publishEvent(id: $id, expectedVersion: $v) { event { status } errors { code } }
}
"""
ONE = """
query($id: ID, $slug: String, $preview: Boolean! = false) {
  event(id: $id, slug: $slug, preview: $preview) { id slug title status }
}
"""
OCCURRENCES = """
query($from: DateTime!, $to: DateTime!, $preview: Boolean! = false) {
  events(from: $from, to: $to, preview: $preview) {
    edges { node { localStart start event { id status } } }
  }
}
"""
SAVE_ORGANIZER = """
mutation($id: ID, $names: [OrganizerNameInput!]!) {
  saveOrganizer(id: $id, names: $names, website: "https://reseau.example") {
    organizer { id name names { locale name description } }
    errors { field code }
  }
}
"""
# March 2027 in Montreal: EST (-05:00) until the change on Sunday the 14th, EDT (-04:00) after.
MARCH = {"from": "2027-03-01T00:00:00Z", "to": "2027-04-01T00:00:00Z"}
BEFORE_THE_FIRST = "2027-03-01T00:00:00Z"
TEXTS = [
    {"locale": "fr-CA", "title": "Le 5 à 7 du mercredi"},
    {"locale": "en-CA", "title": "Wednesday 5-to-7"},
]


def wednesdays(**overrides) -> dict:
    """A weekly Wednesday 17:00–19:00 in Montreal, from 2027-03-03: the times of an event."""
    return {
        "timezone": "America/Montreal",
        "startLocal": "2027-03-03T17:00",
        "endLocal": "2027-03-03T19:00",
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
        **overrides,
    }


@pytest.fixture
async def editor(client):
    return await caller(client, Role.EDITOR)


async def _planned(who: GraphQLClient, **variables) -> list[dict]:
    return (await who.data(PLANNED, **variables))["plannedOccurrences"]


def _starts(occurrences: list[dict]) -> list[str]:
    return [o["localStart"] for o in occurrences]


async def _create_draft(editor) -> dict:
    created = (
        await editor.data(
            CREATE,
            input={**wednesdays(), "onlineUrl": "https://meet.example/reseau"},
            texts=TEXTS,
        )
    )["createEvent"]
    assert created["errors"] == []
    return created["event"]


def _codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


# The occurrences a schedule would give.


async def test_a_weekly_evening_keeps_17_local_while_its_offset_changes(editor) -> None:
    found = await _planned(editor, **wednesdays(), after=BEFORE_THE_FIRST, first=4)

    assert found == [
        {
            "start": "2027-03-03T17:00:00-05:00",
            "end": "2027-03-03T19:00:00-05:00",
            "localStart": "2027-03-03T17:00",
        },
        {
            "start": "2027-03-10T17:00:00-05:00",
            "end": "2027-03-10T19:00:00-05:00",
            "localStart": "2027-03-10T17:00",
        },
        {
            "start": "2027-03-17T17:00:00-04:00",
            "end": "2027-03-17T19:00:00-04:00",
            "localStart": "2027-03-17T17:00",
        },
        {
            "start": "2027-03-24T17:00:00-04:00",
            "end": "2027-03-24T19:00:00-04:00",
            "localStart": "2027-03-24T17:00",
        },
    ]
    assert await Event.all().count() == 0  # a preview writes nothing


async def test_ten_occurrences_are_listed_unless_first_says_otherwise(editor) -> None:
    default = await _planned(editor, **wednesdays(), after=BEFORE_THE_FIRST)
    one = await _planned(editor, **wednesdays(), after=BEFORE_THE_FIRST, first=1)
    most = await _planned(editor, **wednesdays(), after=BEFORE_THE_FIRST, first=50)

    assert _starts(default) == [
        f"2027-{day}T17:00"
        for day in (
            "03-03", "03-10", "03-17", "03-24", "03-31",
            "04-07", "04-14", "04-21", "04-28", "05-05",
        )
    ]  # fmt: skip
    assert _starts(one) == ["2027-03-03T17:00"]
    assert len(most) == 50
    assert most[:10] == default
    assert most[-1]["localStart"] == "2028-02-09T17:00"  # 49 weeks after the first
    assert most[-1]["start"] == "2028-02-09T17:00:00-05:00"


@pytest.mark.parametrize(
    ("after", "first_start"),
    [
        # March 17 is 21:00–23:00 UTC (EDT): still going at 22:00, over at 23:00.
        ("2027-03-17T22:00:00Z", "2027-03-17T17:00"),
        ("2027-03-17T22:59:59Z", "2027-03-17T17:00"),
        ("2027-03-17T23:00:00Z", "2027-03-24T17:00"),
        ("2027-03-17T19:00:00-04:00", "2027-03-24T17:00"),
        ("2027-03-17T18:00:00-04:00", "2027-03-17T17:00"),
    ],
)
async def test_the_list_starts_with_the_first_occurrence_ending_after_after(
    editor, after, first_start
) -> None:
    found = await _planned(editor, **wednesdays(), after=after, first=2)

    assert _starts(found)[0] == first_start
    assert len(found) == 2


async def test_without_after_the_list_starts_now(editor) -> None:
    # Every day 12:00–13:00 UTC since 2020: the first listed is the first not yet over.
    before = datetime.now(UTC)
    found = await _planned(
        editor,
        timezone="UTC",
        startLocal="2020-01-01T12:00",
        endLocal="2020-01-01T13:00",
        rrule="FREQ=DAILY",
        first=3,
    )
    after = datetime.now(UTC)

    ends = [datetime.fromisoformat(o["end"]) for o in found]
    assert len(ends) == 3
    assert ends[0] > before
    assert ends[0] - timedelta(days=1) <= after  # the day before was over already
    assert [b - a for a, b in pairwise(ends)] == [timedelta(days=1)] * 2
    assert all(o["start"].endswith("+00:00") for o in found)


MID_MARCH = "2027-03-11T00:00:00Z"  # after the second Wednesday, before the third
COUNT_3 = "FREQ=WEEKLY;BYDAY=WE;COUNT=3"


@pytest.mark.parametrize(
    ("overrides", "after", "expected"),
    [
        (
            {"exdates": ["2027-03-10T17:00"]},
            BEFORE_THE_FIRST,
            ["2027-03-03T17:00", "2027-03-17T17:00", "2027-03-24T17:00", "2027-03-31T17:00"],
        ),
        (
            {"exdates": ["2027-03-03T17:00", "2027-03-24T17:00"]},
            BEFORE_THE_FIRST,
            ["2027-03-10T17:00", "2027-03-17T17:00", "2027-03-31T17:00", "2027-04-07T17:00"],
        ),
        (
            {"rrule": COUNT_3},
            BEFORE_THE_FIRST,
            ["2027-03-03T17:00", "2027-03-10T17:00", "2027-03-17T17:00"],
        ),
        ({"rrule": COUNT_3}, MID_MARCH, ["2027-03-17T17:00"]),  # counted from the first
        ({"rrule": COUNT_3}, "2027-03-18T00:00:00Z", []),
        (
            {"rrule": "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270317T170000"},
            BEFORE_THE_FIRST,
            ["2027-03-03T17:00", "2027-03-10T17:00", "2027-03-17T17:00"],
        ),
        (
            {"rrule": "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270323T235959"},
            MID_MARCH,
            ["2027-03-17T17:00"],
        ),
        ({"rrule": None}, BEFORE_THE_FIRST, ["2027-03-03T17:00"]),
        ({"rrule": None}, MID_MARCH, []),
    ],
    ids=[
        "one-exdate",
        "two-exdates",
        "count",
        "count-mid-series",
        "count-over",
        "until-inclusive",
        "until-mid-series",
        "one-off",
        "one-off-over",
    ],
)
async def test_exdates_skip_and_count_or_until_end_the_series(
    editor, overrides, after, expected
) -> None:
    first = 4
    found = await _planned(editor, **wednesdays(**overrides), after=after, first=first)

    assert _starts(found) == expected
    everything = await _planned(editor, **wednesdays(), after=after, first=first)
    assert len(everything) == first  # the plain rule fills the page: the limit is the rule's


async def test_a_start_in_the_spring_forward_gap_is_listed_as_the_api_lists_it(
    client, gql, editor
) -> None:
    # 02:30 on March 14 does not exist in Montreal; the event still happens, as `events` says.
    times = wednesdays(startLocal="2027-03-14T02:30", endLocal="2027-03-14T03:30", rrule=None)
    found = await _planned(editor, **times, after=BEFORE_THE_FIRST)
    created = (
        await editor.data(
            CREATE, input={**times, "onlineUrl": "https://meet.example/nuit"}, texts=TEXTS
        )
    )["createEvent"]
    await editor.data(PUBLISH, id=created["event"]["id"], v=1)
    listed = (await gql.data(OCCURRENCES, **MARCH))["events"]["edges"]
    assert [o["start"] for o in found] == [e["node"]["start"] for e in listed]
    assert _starts(found) == ["2027-03-14T02:30"]


async def test_a_yearly_rule_lists_its_years(editor) -> None:
    found = await _planned(editor, **wednesdays(rrule="FREQ=YEARLY"), after=BEFORE_THE_FIRST)
    assert _starts(found) == [f"{2027 + n}-03-03T17:00" for n in range(10)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rrule": "FREQ=HOURLY"}, "rrule"),
        ({"rrule": "FREQ=DAILY;BYHOUR=9,17"}, "rrule"),
        ({"rrule": "FREQ=SOMETIMES"}, "rrule"),
        ({"rrule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),
        ({"rrule": "FREQ=WEEKLY;INTERVAL=100"}, "rrule"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"endLocal": "2027-03-03T16:00"}, "endLocal"),
        ({"endLocal": "2027-03-03T17:00"}, "endLocal"),
        ({"endLocal": "2027-03-11T17:00"}, "endLocal"),
        ({"endLocal": "19 h"}, "endLocal"),
        ({"startLocal": "3 mars 2027, 17 h"}, "startLocal"),
        ({"startLocal": "2027-03-03 17:00"}, "startLocal"),
        ({"exdates": ["2027-03-10T17:00", "mercredi 10"]}, "exdates"),
    ],
)
async def test_bad_times_are_refused_as_a_save_refuses_them(editor, overrides, field) -> None:
    times = wednesdays(**overrides)
    body = await editor(PLANNED, **times, after=BEFORE_THE_FIRST)
    saved = await editor.data(
        CREATE, input={**times, "onlineUrl": "https://meet.example/reseau"}, texts=TEXTS
    )

    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    (refusal,) = saved["createEvent"]["errors"]
    assert (refusal["field"], refusal["code"]) == (field, "INVALID")
    assert error["message"] == refusal["message"]
    assert await Event.all().count() == 0


@pytest.mark.parametrize("first", [0, -1, 51, 1000])
async def test_first_is_between_1_and_50(editor, first) -> None:
    body = await editor(PLANNED, **wednesdays(), after=BEFORE_THE_FIRST, first=first)

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_after_needs_an_offset(editor) -> None:
    body = await editor(PLANNED, **wednesdays(), after="2027-03-01T00:00:00")

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        (None, None, False),
        (Role.EDITOR, TokenScope.READ, False),
        (Role.EDITOR, TokenScope.PREVIEW, False),
        (Role.AUTHOR, TokenScope.FULL, True),
        (Role.EDITOR, TokenScope.FULL, True),
    ],
    ids=["anonymous", "read-scoped", "preview-scoped", "author", "editor"],
)
async def test_planning_is_for_those_who_create_content(client, gql, role, scope, allowed) -> None:
    who = gql if role is None else await caller(client, role, scope=scope)

    body = await who(PLANNED, **wednesdays(), after=BEFORE_THE_FIRST, first=2)

    if allowed:
        assert "errors" not in body, body
        assert _starts(body["data"]["plannedOccurrences"]) == [
            "2027-03-03T17:00",
            "2027-03-10T17:00",
        ]
    else:
        assert body["data"] is None
        assert _codes(body) == ["FORBIDDEN"]


# Drafts with preview.


async def test_a_draft_event_is_seen_with_preview_by_those_who_read_drafts(
    client, gql, editor
) -> None:
    draft = await _create_draft(editor)
    ident, slug = draft["id"], draft["slug"]
    assert draft["status"] == "DRAFT"

    # Readers learn nothing of it, and may not ask for drafts.
    assert (await gql.data(ONE, id=ident))["event"] is None
    assert (await gql.data(ONE, slug=slug))["event"] is None
    for who in (gql, await caller(client, Role.EDITOR, scope=TokenScope.READ)):
        refused = await who(ONE, id=ident, preview=True)
        assert refused["data"] == {"event": None}
        assert _codes(refused) == ["FORBIDDEN"]

    # Preview is asked for, not implied by the token.
    assert (await editor.data(ONE, id=ident))["event"] is None

    previewers = [
        editor,
        await caller(client, Role.AUTHOR),
        await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW),
    ]
    for who in previewers:
        by_id = (await who.data(ONE, id=ident, preview=True))["event"]
        by_slug = (await who.data(ONE, slug=slug, preview=True))["event"]
        assert (
            by_id
            == by_slug
            == {
                "id": ident,
                "slug": slug,
                "title": "Le 5 à 7 du mercredi",
                "status": "DRAFT",
            }
        )


async def test_events_lists_draft_occurrences_only_with_preview(client, gql, editor) -> None:
    draft = await _create_draft(editor)
    published = await make_event(start_local="2027-03-05T18:00", end_local="2027-03-05T20:00")

    def listed(data: dict) -> list[tuple[str, str, str]]:
        return [
            (e["node"]["event"]["id"], e["node"]["localStart"], e["node"]["event"]["status"])
            for e in data["events"]["edges"]
        ]

    only_published = [(str(published.id), "2027-03-05T18:00", "PUBLISHED")]
    assert listed(await gql.data(OCCURRENCES, **MARCH)) == only_published
    assert listed(await editor.data(OCCURRENCES, **MARCH)) == only_published

    with_drafts = listed(await editor.data(OCCURRENCES, **MARCH, preview=True))
    draft_days = ["03-03", "03-10", "03-17", "03-24", "03-31"]
    assert [o for o in with_drafts if o[0] == draft["id"]] == [
        (draft["id"], f"2027-{day}T17:00", "DRAFT") for day in draft_days
    ]
    assert [o for o in with_drafts if o[0] != draft["id"]] == only_published
    assert [o[1] for o in with_drafts] == sorted(o[1] for o in with_drafts)

    for who in (gql, await caller(client, Role.EDITOR, scope=TokenScope.READ)):
        refused = await who(OCCURRENCES, **MARCH, preview=True)
        assert refused["data"] is None
        assert _codes(refused) == ["FORBIDDEN"]


async def test_a_published_event_is_published_for_everyone(client, gql, editor) -> None:
    draft = await _create_draft(editor)
    ident = draft["id"]

    published = await editor.data(PUBLISH, id=ident, v=1)
    assert published["publishEvent"] == {"event": {"status": "PUBLISHED"}, "errors": []}

    expected = {"id": ident, "slug": draft["slug"], "title": "Le 5 à 7 du mercredi"}
    seen = [
        (await gql.data(ONE, id=ident))["event"],
        (await editor.data(ONE, id=ident))["event"],
        (await editor.data(ONE, id=ident, preview=True))["event"],
    ]
    assert seen == [{**expected, "status": "PUBLISHED"}] * 3
    occurrences = (await gql.data(OCCURRENCES, **MARCH))["events"]["edges"]
    assert [(e["node"]["event"]["id"], e["node"]["event"]["status"]) for e in occurrences] == [
        (ident, "PUBLISHED")
    ] * 5
    assert occurrences[2]["node"]["start"] == "2027-03-17T17:00:00-04:00"


async def test_a_preview_token_for_one_post_sees_no_draft_event(client, editor) -> None:
    post = await make_post(status=PostStatus.DRAFT)
    draft = await _create_draft(editor)
    published = await make_event(start_local="2027-03-05T18:00", end_local="2027-03-05T20:00")
    minted = await editor.data(
        "mutation($id: ID!) { createPreviewToken(postId: $id) { secret errors { code } } }",
        id=str(post.id),
    )
    assert minted["createPreviewToken"]["errors"] == []
    one_post = GraphQLClient(client)
    one_post.headers = {"Authorization": f"Bearer {minted['createPreviewToken']['secret']}"}

    # The token works: it opens its own draft post.
    shown = await one_post.data(
        "query($id: ID!) { post(id: $id, preview: true) { id } }", id=str(post.id)
    )
    assert shown["post"] == {"id": str(post.id)}

    assert (await one_post.data(ONE, id=draft["id"], preview=True))["event"] is None
    assert (await one_post.data(ONE, slug=draft["slug"], preview=True))["event"] is None
    assert (await one_post.data(ONE, id=str(published.id), preview=True))["event"] is None
    assert (await one_post.data(ONE, id=str(published.id)))["event"]["status"] == "PUBLISHED"

    listing = await one_post(OCCURRENCES, **MARCH, preview=True)
    assert listing["data"] is None
    assert _codes(listing) == ["FORBIDDEN"]
    without = (await one_post.data(OCCURRENCES, **MARCH))["events"]["edges"]
    assert [e["node"]["event"]["id"] for e in without] == [str(published.id)]


# Organizers' names as written.


async def test_an_organizer_shows_every_name_as_written(gql, editor) -> None:
    names = [
        {
            "locale": "fr-CA",
            "name": "Réseau « 5 à 7 » de Montréal",
            "description": "Des **soirées** pour se rencontrer, _chaque_ mercredi.",
        },
        {"locale": "en-CA", "name": "Montreal 5-to-7 Network", "description": ""},
    ]
    saved = (await editor.data(SAVE_ORGANIZER, names=names))["saveOrganizer"]
    assert saved["errors"] == []
    as_written = sorted(names, key=lambda n: n["locale"])
    assert as_written[0]["locale"] == "en-CA"
    assert saved["organizer"]["names"] == as_written

    listed = {
        locale: (
            await gql.data(
                "query($l: String) { organizers(locale: $l) { id name names "
                "{ locale name description } } }",
                l=locale,
            )
        )["organizers"]
        for locale in ("fr-CA", "en-CA")
    }
    organizer_id = saved["organizer"]["id"]
    assert [(o["id"], o["name"]) for o in listed["fr-CA"]] == [
        (organizer_id, "Réseau « 5 à 7 » de Montréal")
    ]
    assert [(o["id"], o["name"]) for o in listed["en-CA"]] == [
        (organizer_id, "Montreal 5-to-7 Network")
    ]
    assert listed["fr-CA"][0]["names"] == listed["en-CA"][0]["names"] == as_written

    changed = [{"locale": "en-CA", "name": "5-to-7 Network", "description": "Every Wednesday."}]
    again = (await editor.data(SAVE_ORGANIZER, id=organizer_id, names=changed))["saveOrganizer"]
    assert again["errors"] == []
    assert again["organizer"]["names"] == [changed[0], as_written[1]]

    created = await editor.data(
        CREATE,
        input={
            **wednesdays(),
            "onlineUrl": "https://meet.example/reseau",
            "organizerId": organizer_id,
        },
        texts=TEXTS,
    )
    event_id = created["createEvent"]["event"]["id"]
    seen = await editor.data(
        "query($id: ID) { event(id: $id, preview: true) "
        "{ organizer { id names { locale name description } } } }",
        id=event_id,
    )
    assert seen["event"]["organizer"] == {
        "id": organizer_id,
        "names": [changed[0], as_written[1]],
    }
