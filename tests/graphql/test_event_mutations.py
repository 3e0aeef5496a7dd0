"""Writing events through the API: typed errors, versions, roles, occurrences, places."""

from __future__ import annotations

import pytest

from cms.models import Event, Role
from tests.auth import caller

CREATE = """
mutation($input: EventInput!, $texts: [EventTranslationInput!]!) {
  createEvent(input: $input, translations: $texts) {
    event { id version slug title rrule }
    errors { field code message currentVersion }
  }
}
"""
WINDOW = {"from": "2027-01-01T00:00:00Z", "to": "2027-02-01T00:00:00Z"}
OCCURRENCES = """
query($from: DateTime!, $to: DateTime!) {
  events(from: $from, to: $to) {
    edges { node { localStart start cancelled moved event { slug } } }
  }
}
"""


def weekly(**overrides) -> dict:
    return {
        "timezone": "America/Montreal",
        "startLocal": "2027-01-06T17:00",
        "endLocal": "2027-01-06T19:00",
        "rrule": "FREQ=WEEKLY;BYDAY=WE",
        "onlineUrl": "https://meet.example/reseau",
        **overrides,
    }


TEXTS = [
    {"locale": "fr-CA", "title": "Réseautage : l’apéro du mercredi", "description": "## Viens"},
    {"locale": "en-CA", "title": "Wednesday networking drinks"},
]


@pytest.fixture
async def editor(client):
    return await caller(client, Role.EDITOR)


async def _create(editor, **overrides) -> dict:
    return (await editor.data(CREATE, input=weekly(**overrides), texts=TEXTS))["createEvent"]


async def test_an_event_is_written_published_and_read(editor, gql) -> None:
    created = await _create(editor)
    event = created["event"]
    assert created["errors"] == []
    assert (event["slug"], event["version"]) == ("reseautage-lapero-du-mercredi", 1)
    assert (await gql.data(OCCURRENCES, **WINDOW))["events"]["edges"] == []  # a draft

    published = await editor.data(
        "mutation($id: ID!) { publishEvent(id: $id, expectedVersion: 1) { event { version } } }",
        id=event["id"],
    )
    assert published["publishEvent"]["event"]["version"] == 2
    starts = [
        e["node"]["localStart"] for e in (await gql.data(OCCURRENCES, **WINDOW))["events"]["edges"]
    ]
    assert starts == [
        "2027-01-06T17:00",
        "2027-01-13T17:00",
        "2027-01-20T17:00",
        "2027-01-27T17:00",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"rrule": "FREQ=HOURLY"}, "rrule", "more frequent than daily"),
        ({"rrule": "FREQ=DAILY;BYHOUR=9,17"}, "rrule", "one time of day"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"endLocal": "2027-01-06T16:00"}, "endLocal", "ends after it starts"),
        ({"startLocal": "6 janvier"}, "startLocal", "local time"),
        ({"onlineUrl": None}, "venueId", "venue or online"),
        ({"onlineUrl": "javascript:alert(1)"}, "onlineUrl", "http(s)"),
        ({"isFree": False}, "price", "price in cents"),
        ({"venueId": "999999", "onlineUrl": None}, "venueId", "No venue"),
    ],
)
async def test_bad_events_get_typed_errors_and_write_nothing(
    editor, overrides, field, fragment
) -> None:
    result = await _create(editor, **overrides)
    assert result["event"] is None
    (error,) = result["errors"]
    assert (error["field"], error["code"]) == (
        field,
        "NOT_FOUND" if "No " in fragment else "INVALID",
    )
    assert fragment in error["message"]
    assert await Event.all().count() == 0


async def test_a_stale_version_is_a_conflict(editor) -> None:
    event = (await _create(editor))["event"]
    update = """
    mutation($id: ID!, $v: Int!, $input: EventInput!) {
      updateEvent(id: $id, expectedVersion: $v, input: $input) {
        event { version } errors { code currentVersion }
      }
    }"""
    first = await editor.data(
        update, id=event["id"], v=1, input=weekly(endLocal="2027-01-06T20:00")
    )
    assert first["updateEvent"]["event"]["version"] == 2
    stale = await editor.data(update, id=event["id"], v=1, input=weekly())
    assert stale["updateEvent"]["errors"] == [{"code": "VERSION_CONFLICT", "currentVersion": 2}]
    assert (await Event.get(id=int(event["id"]))).end_local == "2027-01-06T20:00"


async def test_occurrences_are_cancelled_moved_and_restored(editor, gql) -> None:
    event = (await _create(editor))["event"]
    change = """
    mutation($id: ID!, $v: Int!, $at: String!, $cancelled: Boolean, $start: String) {
      changeOccurrence(eventId: $id, expectedVersion: $v, occurrenceStart: $at,
                       cancelled: $cancelled, start: $start) {
        event { version } errors { field code }
      }
    }"""
    await editor.data(
        "mutation($id: ID!) { publishEvent(id: $id, expectedVersion: 1) { event { id } } }",
        id=event["id"],
    )
    await editor.data(change, id=event["id"], v=2, at="2027-01-13T17:00", cancelled=True)
    await editor.data(change, id=event["id"], v=3, at="2027-01-20T17:00", start="2027-01-21T18:00")
    nowhere = await editor.data(change, id=event["id"], v=4, at="2027-01-14T17:00", cancelled=True)
    assert nowhere["changeOccurrence"]["errors"] == [
        {"field": "occurrenceStart", "code": "NOT_FOUND"}
    ]

    nodes = [e["node"] for e in (await gql.data(OCCURRENCES, **WINDOW))["events"]["edges"]]
    assert [(n["localStart"], n["cancelled"], n["moved"], n["start"][:16]) for n in nodes] == [
        ("2027-01-06T17:00", False, False, "2027-01-06T17:00"),
        ("2027-01-13T17:00", True, False, "2027-01-13T17:00"),
        ("2027-01-20T17:00", False, True, "2027-01-21T18:00"),
        ("2027-01-27T17:00", False, False, "2027-01-27T17:00"),
    ]
    await editor.data(change, id=event["id"], v=4, at="2027-01-13T17:00")  # restore
    nodes = [e["node"] for e in (await gql.data(OCCURRENCES, **WINDOW))["events"]["edges"]]
    assert not any(n["cancelled"] for n in nodes)


async def test_authors_write_drafts_but_do_not_publish(client) -> None:
    author = await caller(client, Role.AUTHOR)
    event = (await _create(author))["event"]
    refused = await author.data(
        "mutation($id: ID!) { publishEvent(id: $id, expectedVersion: 1) { errors { code } } }",
        id=event["id"],
    )
    assert refused["publishEvent"]["errors"] == [{"code": "FORBIDDEN"}]
    other = await caller(client, Role.AUTHOR)
    not_theirs = await other.data(
        "mutation($id: ID!) { deleteEvent(id: $id, expectedVersion: 1) { errors { code } } }",
        id=event["id"],
    )
    assert not_theirs["deleteEvent"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_places_in_use_cannot_be_deleted(editor) -> None:
    venue = await editor.data(
        'mutation { saveVenue(input: {name: "Café", city: "Montréal", latitude: 45.5, '
        "longitude: -73.6}) { venue { id city } errors { code } } }"
    )
    venue_id = venue["saveVenue"]["venue"]["id"]
    organizer = await editor.data(
        'mutation { saveOrganizer(names: [{locale: "fr-CA", name: "Réseau"}], '
        'website: "https://reseau.example") { organizer { id name } errors { code } } }'
    )
    organizer_id = organizer["saveOrganizer"]["organizer"]["id"]
    created = await _create(editor, onlineUrl=None, venueId=venue_id, organizerId=organizer_id)
    assert created["errors"] == []

    for mutation, ident in (("deleteVenue", venue_id), ("deleteOrganizer", organizer_id)):
        refused = await editor.data(
            f"mutation($id: ID!) {{ {mutation}(id: $id) {{ deletedId errors {{ code }} }} }}",
            id=ident,
        )
        assert refused[mutation] == {"deletedId": None, "errors": [{"code": "CONFLICT"}]}


async def test_posts_mention_events(editor, gql) -> None:
    event = (await _create(editor))["event"]
    await editor.data(
        "mutation($id: ID!) { publishEvent(id: $id, expectedVersion: 1) { event { id } } }",
        id=event["id"],
    )
    created = await editor.data(
        "mutation($e: ID!) { createPost(input: {eventIds: [$e], translations: "
        '[{locale: "fr-CA", title: "On se voit mercredi"}]}) { post { id version } } }',
        e=event["id"],
    )
    post = created["createPost"]["post"]
    await editor.data(
        "mutation($id: ID!) { publishPost(id: $id, expectedVersion: 1) { post { id } } }",
        id=post["id"],
    )
    read = await gql.data(
        "query($id: ID!, $e: ID!) { post(id: $id) { events { id } } "
        "event(id: $e) { posts { id } } }",
        id=post["id"],
        e=event["id"],
    )
    assert read["post"]["events"] == [{"id": event["id"]}]
    assert read["event"]["posts"] == [{"id": post["id"]}]
    unknown = await editor.data(
        "mutation($id: ID!) { updatePost(id: $id, expectedVersion: 2, "
        'input: {eventIds: ["999999"]}) { errors { field code } } }',
        id=post["id"],
    )
    assert unknown["updatePost"]["errors"] == [{"field": "eventIds", "code": "NOT_FOUND"}]
