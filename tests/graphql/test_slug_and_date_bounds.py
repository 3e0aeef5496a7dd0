"""Slugs and dates that cannot be stored are refused as typed errors, never "Unexpected
error.": a slug longer than its column or with a trailing newline, an event in year 9999."""

from __future__ import annotations

import pytest

from cms.models import Event, Role
from tests.auth import caller

ERRORS = "errors { field code message }"
CREATE_POST = f"""
mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ post {{ id }} {ERRORS} }} }}
"""
CREATE_CATEGORY = f"""
mutation($names: [TermNameInput!]!) {{
  createCategory(names: $names) {{ category {{ id }} {ERRORS} }}
}}
"""
CREATE_AUTHOR = f"""
mutation($slug: String) {{
  createAuthor(name: "Claire", slug: $slug) {{ author {{ id }} {ERRORS} }}
}}
"""
CREATE_EVENT = f"""
mutation($input: EventInput!, $texts: [EventTranslationInput!]!) {{
  createEvent(input: $input, translations: $texts) {{ event {{ id }} {ERRORS} }}
}}
"""
UNSTORABLE_SLUGS = ["reseautage\n", "a" * 201]


def event_input(**overrides: object) -> dict:
    return {
        "timezone": "America/Montreal",
        "startLocal": "2027-01-06T17:00",
        "endLocal": "2027-01-06T19:00",
        "onlineUrl": "https://meet.example/reseau",
        **overrides,
    }


@pytest.fixture
async def editor(client):
    return await caller(client, Role.EDITOR)


def refused(payload: dict, field: str) -> str:
    assert [e["field"] for e in payload["errors"]] == [field], payload
    assert payload["errors"][0]["code"] == "INVALID"
    return payload["errors"][0]["message"]


@pytest.mark.parametrize("slug", UNSTORABLE_SLUGS)
async def test_a_post_slug_that_cannot_be_stored_is_refused(editor, slug) -> None:
    translation = {"locale": "fr-CA", "title": "Réseautage", "slug": slug}
    body = await editor.data(CREATE_POST, input={"translations": [translation]})
    refused(body["createPost"], "slug")
    assert body["createPost"]["post"] is None


@pytest.mark.parametrize("slug", UNSTORABLE_SLUGS)
async def test_a_term_or_author_slug_that_cannot_be_stored_is_refused(editor, slug) -> None:
    names = [{"locale": "fr-CA", "name": "Blogue", "slug": slug}]
    category = (await editor.data(CREATE_CATEGORY, names=names))["createCategory"]
    assert "up to 200" in refused(category, "slug")
    author = (await editor.data(CREATE_AUTHOR, slug=slug))["createAuthor"]
    assert "up to 200" in refused(author, "slug")


@pytest.mark.parametrize("slug", UNSTORABLE_SLUGS)
async def test_an_event_slug_that_cannot_be_stored_is_refused(editor, slug) -> None:
    texts = [{"locale": "fr-CA", "title": "Apéro", "slug": slug}]
    body = await editor.data(CREATE_EVENT, input=event_input(), texts=texts)
    assert "up to 200" in refused(body["createEvent"], "translations[0].slug")


async def test_an_event_names_the_translation_at_fault(editor) -> None:
    texts = [
        {"locale": "fr-CA", "title": "Apéro", "slug": "apero"},
        {"locale": "en-CA", "title": "Drinks", "slug": "Not A Slug"},
    ]
    body = await editor.data(CREATE_EVENT, input=event_input(), texts=texts)
    assert "lowercase" in refused(body["createEvent"], "translations[1].slug")
    assert not await Event.exists()


@pytest.mark.parametrize("start", ["9999-12-31T20:00", "0001-01-01T10:00"])
async def test_an_event_outside_the_calendar_window_is_refused(editor, start) -> None:
    texts = [{"locale": "fr-CA", "title": "Apéro"}]
    body = await editor.data(
        CREATE_EVENT, input=event_input(startLocal=start, endLocal=start), texts=texts
    )
    assert "between 1900 and 2999" in refused(body["createEvent"], "startLocal")


async def test_text_longer_than_its_column_is_refused_for_venues_and_organizers(editor) -> None:
    venue = await editor.data(
        "mutation($input: VenueInput!) { saveVenue(input: $input) { venue { id } "
        + ERRORS
        + " } }",
        input={"name": "Salle", "city": "a" * 101},
    )
    assert "at most 100" in refused(venue["saveVenue"], "city")
    organizer = f"""
    mutation($names: [OrganizerNameInput!]!, $website: String) {{
      saveOrganizer(names: $names, website: $website) {{ organizer {{ id }} {ERRORS} }}
    }}
    """
    long_name = await editor.data(organizer, names=[{"locale": "fr-CA", "name": "🎉" * 256}])
    assert "at most 200" in refused(long_name["saveOrganizer"], "names")
    long_site = await editor.data(
        organizer,
        names=[{"locale": "fr-CA", "name": "JAM"}],
        website="https://example.com/" + "a" * 1000,
    )
    assert "at most 500" in refused(long_site["saveOrganizer"], "website")


async def test_a_time_zone_too_long_for_a_file_name_is_no_time_zone(editor) -> None:
    texts = [{"locale": "fr-CA", "title": "Apéro"}]
    body = await editor.data(CREATE_EVENT, input=event_input(timezone="a" * 300), texts=texts)
    assert "IANA" in refused(body["createEvent"], "timezone")


async def test_a_date_time_with_no_utc_form_is_refused_as_input(gql, editor) -> None:
    listed = await gql(
        'query { posts(filter: {publishedAfter: "0001-01-01T00:00:00+14:00"}) { totalCount } }'
    )
    (error,) = listed["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "beyond the calendar" in error["message"]
    token = await editor(
        'mutation($at: DateTime) { createToken(accountId: "1", name: "x", expiresAt: $at) '
        "{ token { id } } }",
        at="9999-12-31T23:59:59-14:00",
    )
    (error,) = token["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_spread_of_an_unknown_fragment_is_a_validation_error(gql) -> None:
    body = await gql("{ ...G }")
    (error,) = body["errors"]
    assert error["message"] == "Unknown fragment 'G'."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
