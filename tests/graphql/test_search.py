"""The search query: what a frontend's search page sends and gets back."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cms.models import PostStatus, Role, Venue
from cms.services import scheduling
from tests.auth import caller
from tests.factories import make_author, make_category, make_event, make_post, make_tag
from tests.sql import recorded_statements

SEARCH = (Path(__file__).parents[2] / "schema/operations/Search.graphql").read_text()

IDS = """
query Ids($text: String!, $locale: String, $first: Int, $after: String) {
  search(query: $text, locale: $locale, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { kind post { id } event { id } }
  }
}
"""


def _ids(data: dict) -> list[tuple[str, str]]:
    return [
        (node["kind"], (node["post"] or node["event"])["id"]) for node in data["search"]["nodes"]
    ]


async def _search_ids(gql, query: str, locale: str = "fr-CA") -> list[tuple[str, str]]:
    return _ids(await gql.data(IDS, text=query, locale=locale))


async def test_posts_and_events_come_back_in_the_requested_locale(gql) -> None:
    post = await make_post(
        translations={
            "fr-CA": {"title": "Réseauter à Montréal", "slug": "reseauter-a-montreal"},
            "en-CA": {
                "title": "Networking in Montreal",
                "slug": "networking-in-montreal",
                "body": "Where to find **networking** events & meet people.",
            },
        }
    )
    event = await make_event(
        translations={
            "fr-CA": {"title": "Soirée de réseautage", "slug": "soiree-de-reseautage"},
            "en-CA": {"title": "Networking night", "slug": "networking-night"},
        }
    )

    data = await gql.data(SEARCH, text="networking", locale="en-CA")

    nodes = {edge["node"]["kind"]: edge["node"] for edge in data["search"]["edges"]}
    assert set(nodes) == {"POST", "EVENT"}
    assert data["search"]["totalCount"] == 2
    found_post, found_event = nodes["POST"], nodes["EVENT"]
    assert found_post["title"] == "Networking in Montreal"
    assert found_post["post"]["id"] == str(post.id)
    assert found_post["post"]["slug"] == "networking-in-montreal"
    assert found_post["post"]["url"].endswith("/en/blog/networking-in-montreal")
    assert found_post["event"] is None
    assert "<mark>networking</mark> events &amp; meet people" in found_post["snippet"]
    assert found_event["title"] == "Networking night"
    assert found_event["event"]["id"] == str(event.id)
    assert found_event["event"]["slug"] == "networking-night"
    assert found_event["post"] is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"text": ""}, "query"),
        ({"text": "  \n "}, "query"),
        ({"text": "a" * 201}, "query"),
        ({"text": "réseautage", "first": 0}, "first"),
        ({"text": "réseautage", "first": 101}, "first"),
        ({"text": "réseautage", "locale": "de-DE"}, "locale"),
        ({"text": "réseautage", "after": "not-a-cursor"}, "after"),
    ],
)
async def test_bad_arguments_are_client_errors_naming_the_argument(gql, arguments, field) -> None:
    body = await gql(IDS, **arguments)

    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert error["message"] != "Unexpected error."
    assert body["data"] is None


@pytest.mark.parametrize(
    "query", ['"foo" OR bar*', "NEAR(", "col:x ^y -z", "'); DROP TABLE post;--"]
)
async def test_search_syntax_in_the_query_is_not_an_error(gql, query) -> None:
    await make_post()

    assert await _search_ids(gql, query) == []


async def test_pages_walk_every_result_once(gql) -> None:
    for n in range(7):
        await make_post(translations={"fr-CA": {"title": f"Terrasse {n}", "slug": f"terrasse-{n}"}})
    await make_event(translations={"fr-CA": {"title": "Terrasse du jeudi"}})

    everything = await _search_ids(gql, "terrasse")
    walked: list[tuple[str, str]] = []
    after = None
    pages = 0
    while True:
        data = await gql.data(IDS, text="terrasse", locale="fr-CA", first=3, after=after)
        walked += _ids(data)
        pages += 1
        if not data["search"]["pageInfo"]["hasNextPage"]:
            break
        after = data["search"]["pageInfo"]["endCursor"]

    assert pages == 3
    assert len(everything) == 8
    assert walked == everything


async def test_a_page_costs_the_same_statements_for_more_results(gql) -> None:
    author = await make_author()
    category = await make_category()
    tag = await make_tag()
    venue = await Venue.create(name="Le Bar", city="Montréal")

    async def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            await make_post(
                translations={"fr-CA": {"title": f"Réseautage {n}", "slug": f"reseautage-{n}"}},
                author=author,
                category=category,
                tags=[tag],
            )
            await make_event(translations={"fr-CA": {"title": "Réseautage"}}, venue=venue)

    async def page() -> tuple[dict, list[str]]:
        with recorded_statements() as statements:
            data = await gql.data(SEARCH, text="réseautage", locale="fr-CA", first=50)
        return data, statements

    await add(2)
    small, small_statements = await page()
    await add(20)
    large, large_statements = await page()

    assert len(small["search"]["edges"]) == 4
    assert len(large["search"]["edges"]) == 44
    nodes = [edge["node"] for edge in large["search"]["edges"]]
    assert all(n["post"]["category"]["name"] for n in nodes if n["kind"] == "POST")
    assert all(n["event"]["venue"]["city"] == "Montréal" for n in nodes if n["kind"] == "EVENT")
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # search, count, posts, their translations, categories, events, their translations, venues
    assert len(large_statements) <= 8, "\n".join(large_statements)


_numbers = itertools.count(1)


async def test_every_way_of_writing_a_post_keeps_search_in_step(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        """mutation($input: CreatePostInput!) {
             createPost(input: $input) { post { id version } errors { code message } } }""",
        input={"translations": [{"locale": "fr-CA", "title": "Nos croissanteries préférées"}]},
    )
    post = created["createPost"]["post"]
    post_id, version = post["id"], post["version"]
    assert await _search_ids(gql, "croissanterie") == []  # a draft

    async def change(mutation: str, **variables) -> None:
        nonlocal version
        body = await editor.data(mutation, id=post_id, expectedVersion=version, **variables)
        (payload,) = body.values()
        assert payload["errors"] == [], payload["errors"]
        if payload["post"] is not None:
            version = payload["post"]["version"]

    await change(
        """mutation($id: ID!, $expectedVersion: Int!) {
             publishPost(id: $id, expectedVersion: $expectedVersion) {
               post { version } errors { code message } } }"""
    )
    assert await _search_ids(gql, "croissanteries") == [("POST", post_id)]

    await change(
        """mutation($id: ID!, $expectedVersion: Int!, $input: TranslationInput!) {
             upsertTranslation(postId: $id, expectedVersion: $expectedVersion, input: $input) {
               post { version } errors { code message } } }""",
        input={"locale": "fr-CA", "title": "Nos boulangeries", "body": "Du pain, surtout."},
    )
    assert await _search_ids(gql, "croissanteries") == []
    assert await _search_ids(gql, "boulangerie pain") == [("POST", post_id)]

    revisions = await editor.data(
        "query($id: ID!) { post(id: $id, preview: true) { revisions { id action } } }",
        id=post_id,
    )
    first = revisions["post"]["revisions"][-1]
    assert first["action"] == "create"
    await change(
        """mutation($id: ID!, $expectedVersion: Int!, $revision: ID!) {
             restoreRevision(postId: $id, expectedVersion: $expectedVersion,
                             revisionId: $revision) {
               post { version } errors { code message } } }""",
        revision=first["id"],
    )
    assert await _search_ids(gql, "croissanteries") == [("POST", post_id)]
    assert await _search_ids(gql, "boulangerie") == []

    await change(
        """mutation($id: ID!, $expectedVersion: Int!) {
             deletePost(id: $id, expectedVersion: $expectedVersion) {
               post { version } errors { code message } } }"""
    )
    assert await _search_ids(gql, "croissanteries") == []


async def test_scheduled_posts_are_found_once_the_scheduler_publishes_them(gql) -> None:
    post = await make_post(
        translations={"fr-CA": {"title": "Annonce de la rentrée", "slug": "annonce"}},
        status=PostStatus.SCHEDULED,
    )
    post.publish_at = datetime.now(UTC) - timedelta(seconds=1)
    await post.save()
    assert await _search_ids(gql, "rentrée") == []

    assert await scheduling.publish_due() == [post.id]

    assert await _search_ids(gql, "rentree") == [("POST", str(post.id))]
