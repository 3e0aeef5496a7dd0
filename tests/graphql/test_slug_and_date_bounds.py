"""Slugs and dates that cannot be stored are refused as typed errors, never "Unexpected
error.": a slug longer than its column or with a trailing newline, an event in year 9999."""

from __future__ import annotations

import pytest

from cms.models import Role
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
    assert "up to 200" in refused(body["createEvent"], "slug")


@pytest.mark.parametrize("start", ["9999-12-31T20:00", "0001-01-01T10:00"])
async def test_an_event_outside_the_calendar_window_is_refused(editor, start) -> None:
    texts = [{"locale": "fr-CA", "title": "Apéro"}]
    body = await editor.data(
        CREATE_EVENT, input=event_input(startLocal=start, endLocal=start), texts=texts
    )
    assert "between 1900 and 2999" in refused(body["createEvent"], "startLocal")
