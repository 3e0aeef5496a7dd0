"""Hostile argument values get a clear BAD_USER_INPUT or an honest "not found", never
"Unexpected error.", and the same answer on SQLite and PostgreSQL.

Bodies are sent as raw JSON text, so a test can hold what a Python string cannot encode (a
lone surrogate, written ``\\ud800`` in JSON) exactly as a hostile client would send it.
"""

from __future__ import annotations

import json

import pytest

from cms.models import Post, PostTranslation, Role
from tests.auth import caller
from tests.factories import make_event

EVENT_BY_SLUG = "query($slug: String!) { event(slug: $slug) { id } }"
CREATE_POST = """
mutation($input: CreatePostInput!) {
  createPost(input: $input) { post { id title } errors { code } }
}
"""
EVENTS = """
query($from: DateTime!, $to: DateTime!, $city: String, $tag: String, $organizer: ID) {
  events(from: $from, to: $to, city: $city, tagSlug: $tag, organizerId: $organizer,
         first: 100) {
    edges { node { startUtc event { id } } }
  }
}
"""
WINDOW = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
LONG_SLUG = "a" * 201  # one more than the slug columns hold


async def _post(http, body: str, headers: dict[str, str] | None = None) -> dict:
    response = await http.post(
        "/graphql",
        content=body.encode("ascii"),
        headers={"content-type": "application/json", **(headers or {})},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _raw(query: str, variables: dict[str, object]) -> str:
    """The JSON body, ASCII-only: non-ASCII text travels as \\u escapes."""
    return json.dumps({"query": query, "variables": variables}, ensure_ascii=True)


def _refusal(body: dict) -> dict:
    """The one BAD_USER_INPUT error of a request, which returned nothing else."""
    assert not any((body.get("data") or {}).values()), body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return error


# --- NUL and lone surrogates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ('{ event(slug: "a\\u0000b") { id } }', "slug"),
        ('{ post(slug: "a\\u0000b") { id } }', "slug"),
        ('{ posts(filter: {categorySlug: "x\\u0000"}) { totalCount } }', "filter.categorySlug"),
        (
            '{ events(from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z", '
            'city: "Montr\\u0000al") { edges { cursor } } }',
            "city",
        ),
        ('query($s: String = "\\u0000") { post(slug: $s) { id } }', "$s"),
    ],
)
async def test_a_nul_in_a_literal_is_refused_naming_the_argument(client, query, field) -> None:
    error = _refusal(await _post(client, json.dumps({"query": query})))
    assert error["extensions"]["field"] == field
    assert "NUL" in error["message"]


@pytest.mark.parametrize(
    ("query", "variables", "path"),
    [
        (EVENT_BY_SLUG, '{"slug": "a\\u0000b"}', "$slug"),
        (EVENT_BY_SLUG, '{"slug": "a\\ud800b"}', "$slug"),
        (EVENT_BY_SLUG, '{"slug": "a\\udfffb"}', "$slug"),
        (
            "query($f: PostFilter) { posts(filter: $f) { totalCount } }",
            '{"f": {"categorySlug": "blog\\u0000"}}',
            "$f.categorySlug",
        ),
        (
            EVENTS,
            '{"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z", "city": "Mo\\u0000"}',
            "$city",
        ),
        (
            "query($q: String!) { search(query: $q) { totalCount } }",
            '{"q": "caf\\ud83c"}',  # the first half of an emoji, alone
            "$q",
        ),
    ],
)
async def test_a_nul_or_lone_surrogate_in_a_variable_is_refused_naming_it(
    client, query, variables, path
) -> None:
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables + "}"
    error = _refusal(await _post(client, body))
    assert error["extensions"]["field"] == path
    assert path in error["message"]


async def test_graphql_response_clients_get_the_refusal_as_http_400(client) -> None:
    response = await client.post(
        "/graphql",
        content=_raw(EVENT_BY_SLUG, {"slug": "a\x00b"}).encode(),
        headers={
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.status_code == 400
    assert "data" not in response.json()
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("title", ["Soirée\x00 réseautage", "Soirée \ud800 réseautage"])
async def test_a_title_no_column_can_hold_is_refused_and_nothing_is_written(client, title) -> None:
    editor = await caller(client, Role.EDITOR)
    variables = {"input": {"translations": [{"locale": "fr-CA", "title": title}]}}
    error = _refusal(await _post(client, _raw(CREATE_POST, variables), editor.headers))
    assert error["extensions"]["field"] == "$input.translations[0].title"
    assert await Post.all().count() == 0
    assert await PostTranslation.all().count() == 0


async def test_text_outside_the_basic_plane_is_not_mistaken_for_a_surrogate(client) -> None:
    editor = await caller(client, Role.EDITOR)
    title = "Fête 🎉 de fin d'année"  # sent as the escaped pair \ud83c\udf89, one character
    variables = {"input": {"translations": [{"locale": "fr-CA", "title": title}]}}
    body = await _post(client, _raw(CREATE_POST, variables), editor.headers)
    assert body["data"]["createPost"]["errors"] == []
    assert body["data"]["createPost"]["post"]["title"] == title
    assert (await PostTranslation.get()).title == title


async def test_a_json_variable_with_a_nul_in_a_key_is_refused(client) -> None:
    admin = await caller(client, Role.ADMIN)
    query = """
    mutation($links: JSON) {
      saveOrganizer(names: [{locale: "fr-CA", name: "Réseau"}], socialLinks: $links) {
        organizer { id } errors { code }
      }
    }
    """
    variables = '{"links": {"mastodon\\u0000": "https://social.example/@reseau"}}'
    body = '{"query": ' + json.dumps(query) + ', "variables": ' + variables + "}"
    error = _refusal(await _post(client, body, admin.headers))
    assert error["extensions"]["field"] == "$links"
    assert "key" in error["message"]


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2147483648", "99999999999999999999999", "0", "-1", "+1", "²"])
async def test_an_id_beyond_the_database_range_is_bad_input(gql, value) -> None:
    body = await gql("query($id: ID!) { event(id: $id) { id } }", id=value)
    error = _refusal(body)
    assert error["extensions"]["field"] == "id"

    body = await gql(EVENTS, **WINDOW, organizer=value)
    assert _refusal(body)["extensions"]["field"] == "organizerId"


async def test_the_largest_id_is_simply_not_found(gql) -> None:
    data = await gql.data("query($id: ID!) { event(id: $id) { id } }", id="2147483647")
    assert data == {"event": None}
    data = await gql.data(EVENTS, **WINDOW, organizer="2147483647")
    assert data["events"]["edges"] == []


# --- slugs that cannot exist ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["event", "post", "category", "tag", "author"])
async def test_a_slug_longer_than_its_column_is_not_found(gql, settings, field) -> None:
    await make_event()
    data = await gql.data(f"query($s: String!) {{ {field}(slug: $s) {{ id }} }}", s=LONG_SLUG)
    assert data == {field: None}


@pytest.mark.parametrize("name", ["categorySlug", "tagSlug", "authorSlug"])
async def test_a_post_filter_by_an_impossible_slug_finds_nothing(gql, name) -> None:
    query = "query($f: PostFilter) { posts(filter: $f) { totalCount } }"
    data = await gql.data(query, f={name: LONG_SLUG})
    assert data == {"posts": {"totalCount": 0}}


async def test_events_by_an_impossible_tag_slug_are_none(gql, settings) -> None:
    await make_event()
    everything = await gql.data(EVENTS, **WINDOW)
    assert len(everything["events"]["edges"]) == 1
    data = await gql.data(EVENTS, **WINDOW, tag=LONG_SLUG)
    assert data["events"]["edges"] == []


async def test_the_longest_possible_slug_still_finds_its_event(gql, settings) -> None:
    slug = "a" * 200
    event = await make_event(translations={"fr-CA": {"title": "Long", "slug": slug}})
    data = await gql.data(EVENT_BY_SLUG, slug=slug)
    assert data == {"event": {"id": str(event.id)}}


# --- windows of time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        # (A value with no UTC form at all, such as 0001-01-01T00:00:00+05:00, is refused by
        # the DateTime scalar before any window is read: test_slug_and_date_bounds.)
        ("9999-12-01T00:00:00Z", "9999-12-20T00:00:00Z", "from"),
        ("0001-01-01T00:00:00Z", "0001-01-20T00:00:00Z", "from"),
        ("1899-12-31T23:59:59Z", "1900-01-10T00:00:00Z", "from"),
        ("2999-12-01T00:00:00Z", "3000-01-02T00:00:00Z", "to"),
        ("2999-12-31T23:00:00Z", "9999-12-31T23:59:59+05:00", "to"),
    ],
)
async def test_a_window_beyond_the_calendar_we_expand_is_bad_input(
    gql, settings, start, end, field
) -> None:
    await make_event(rrule="FREQ=DAILY")
    error = _refusal(await gql(EVENTS, **{"from": start, "to": end}))
    assert error["extensions"]["field"] == field
    assert "1900" in error["message"] and "3000" in error["message"]


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2999-12-01T00:00:00Z", "3000-01-01T00:00:00Z", 31),
        ("1900-01-01T00:00:00Z", "1900-01-08T00:00:00Z", 7),
    ],
)
async def test_windows_at_the_edges_of_the_range_are_expanded(
    gql, settings, start, end, days
) -> None:
    # Daily at 17:00 in Montreal since 1899: the expansion reaches both ends of the range.
    await make_event(
        rrule="FREQ=DAILY", start_local="1899-06-01T17:00", end_local="1899-06-01T19:00"
    )
    data = await gql.data(EVENTS, **{"from": start, "to": end})
    assert len(data["events"]["edges"]) == days
