"""Anonymous answers are cached in the process and by HTTP caches, and never outlive a write."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from cms.app import create_app
from cms.http.caching.store import ResponseCache
from cms.models import PostStatus, PostTranslation, Role, TokenScope
from cms.services.change_log import ChangeFeed
from tests.asgi import post_then_leave
from tests.auth import caller
from tests.factories import make_post
from tests.servers import app_server
from tests.sql import recorded_statements

UPSERT = (Path(__file__).parents[2] / "schema/operations/UpsertTranslation.graphql").read_text()
TITLES = "query Titles($locale: String) { posts(locale: $locale) { nodes { id title } } }"


def _get(query: str, **variables: object) -> str:
    return "/graphql?" + urlencode({"query": query, "variables": json.dumps(variables)})


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [node["title"] for node in response.json()["data"]["posts"]["nodes"]]


async def test_a_repeated_anonymous_query_is_answered_without_the_database(client) -> None:
    await make_post(translations={"fr-CA": {"title": "Réseautage", "slug": "reseautage"}})

    first = await client.get(_get(TITLES, locale="fr-CA"))
    with recorded_statements() as statements:
        second = await client.get(_get(TITLES, locale="fr-CA"))

    assert statements == []
    assert second.content == first.content
    assert _titles(second) == ["Réseautage"]
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["x-request-id"] != first.headers["x-request-id"]


async def test_get_answers_carry_a_strong_etag_and_cdn_cache_control(client) -> None:
    await make_post()

    response = await client.get(_get(TITLES, locale="en-CA"))

    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=300"
    assert response.headers["vary"] == "Accept"
    for _ in range(2):  # a miss, then a hit from the cache: the same answer
        again = await client.get(_get(TITLES, locale="en-CA"), headers={"if-none-match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"].startswith("public")
    other = await client.get(_get(TITLES, locale="en-CA"), headers={"if-none-match": '"x"'})
    assert other.status_code == 200 and other.headers["etag"] == etag


async def test_a_write_from_anywhere_empties_the_cache(client) -> None:
    post = await make_post(translations={"fr-CA": {"title": "Avant", "slug": "avant"}})
    before = await client.get(_get(TITLES, locale="fr-CA"))
    assert _titles(before) == ["Avant"]

    # Not through the API: the change log's triggers see any write.
    await PostTranslation.filter(post_id=post.id).update(title="Après")
    after = await client.get(
        _get(TITLES, locale="fr-CA"), headers={"if-none-match": before.headers["etag"]}
    )

    assert after.status_code == 200
    assert _titles(after) == ["Après"]
    assert after.headers["etag"] != before.headers["etag"]


async def test_a_mutation_is_seen_by_the_next_read(client) -> None:
    editor = await caller(client, Role.EDITOR)
    post = await make_post(translations={"en-CA": {"title": "Old title", "slug": "old"}})
    assert _titles(await client.get(_get(TITLES, locale="en-CA"))) == ["Old title"]

    result = await editor.data(
        UPSERT,
        postId=str(post.id),
        expectedVersion=post.version,
        input={"locale": "en-CA", "title": "New title", "slug": "old", "body": "Words."},
    )

    assert result["upsertTranslation"]["errors"] == []
    assert result["upsertTranslation"]["post"]["translationStatus"] == "PUBLISHED"
    assert _titles(await client.get(_get(TITLES, locale="en-CA"))) == ["New title"]


async def test_callers_with_a_token_and_drafts_never_meet_the_cache(client) -> None:
    await make_post(translations={"en-CA": {"title": "Public", "slug": "public"}})
    await make_post(
        translations={"en-CA": {"title": "Draft", "slug": "draft"}}, status=PostStatus.DRAFT
    )
    preview = 'query { posts(locale: "en-CA", preview: true) { nodes { title } } }'
    editor = await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW)

    public = await client.get(_get(TITLES, locale="en-CA"))
    with recorded_statements() as statements:
        private = await client.get(_get(TITLES, locale="en-CA"), headers=editor.headers)
    drafts = await client.get(_get(preview), headers=editor.headers)
    anonymous = await client.get(_get(preview))

    assert statements, "a caller with a token was answered from the cache"
    assert private.headers["cache-control"] == "no-store"
    assert "etag" not in private.headers
    assert sorted(_titles(drafts)) == ["Draft", "Public"]
    assert drafts.headers["cache-control"] == "no-store"
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous.headers["cache-control"] == "no-store"
    assert _titles(await client.get(_get(TITLES, locale="en-CA"))) == _titles(public) == ["Public"]


async def test_mutations_and_errors_are_never_cacheable(client) -> None:
    editor = await caller(client, Role.EDITOR)
    mutation = await editor.request(
        'mutation { createCategory(input: {translations: [{locale: "fr-CA", name: "Blogue"}]}) '
        "{ errors { code } } }"
    )
    broken = await client.get(_get("{ posts { nodes { nope } } }"))
    by_get = await client.get(_get('mutation { deletePost(id: "1") { errors { code } } }'))

    assert mutation.status_code == 200 and mutation.headers["cache-control"] == "no-store"
    assert broken.headers["cache-control"] == "no-store" and "etag" not in broken.headers
    assert by_get.status_code in {400, 405} and "etag" not in by_get.headers


async def test_post_queries_are_cached_but_not_marked_for_http_caches(client) -> None:
    await make_post(translations={"fr-CA": {"title": "Un", "slug": "un"}})
    body = {"query": TITLES, "variables": {"locale": "fr-CA"}}

    first = await client.post("/graphql", json=body)
    with recorded_statements() as statements:
        second = await client.post("/graphql", json=body)

    assert statements == []
    assert second.json() == first.json()
    assert second.headers["cache-control"] == "no-store"


@pytest.mark.server
async def test_every_process_sees_a_committed_write_within_a_second(settings) -> None:
    """Two real server processes with the default poll interval, one database."""
    post = await make_post(translations={"fr-CA": {"title": "Avant", "slug": "avant"}})
    path = _get(TITLES, locale="fr-CA")
    async with (
        app_server(settings) as first,
        app_server(settings) as second,
        httpx.AsyncClient() as http,
    ):
        for base in (first, second, first, second):  # each process now holds the answer
            assert _titles(await http.get(base + path)) == ["Avant"]

        await PostTranslation.filter(post_id=post.id).update(title="Après")
        written = time.monotonic()
        pending = {first, second}
        while pending and time.monotonic() - written < 5:
            for base in list(pending):
                if _titles(await http.get(base + path)) == ["Après"]:
                    pending.discard(base)
                    lag = time.monotonic() - written
                    assert lag < 1.0, f"{base} served the old answer for {lag:.2f} s"
            await asyncio.sleep(0.02)

    assert not pending


@pytest.fixture
async def cors_client(settings):
    origins = ("http://a.example", "http://b.example")
    app = create_app(dataclasses.replace(settings, cors_origins=origins), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cinq.test"
    ) as http:
        yield http


async def test_cached_answers_carry_this_requests_cors_and_request_id(cors_client) -> None:
    await make_post()
    path = _get(TITLES, locale="fr-CA")

    plain = await cors_client.get(path)
    from_a = await cors_client.get(path, headers={"origin": "http://a.example"})
    with recorded_statements() as statements:
        from_b = await cors_client.get(path, headers={"origin": "http://b.example"})

    assert statements == []  # all three are one cached answer
    assert from_a.content == from_b.content == plain.content
    assert "access-control-allow-origin" not in plain.headers
    assert from_a.headers["access-control-allow-origin"] == "http://a.example"
    assert from_b.headers["access-control-allow-origin"] == "http://b.example"
    ids = [r.headers.get_list("x-request-id") for r in (plain, from_a, from_b)]
    assert all(len(one) == 1 for one in ids) and len({one[0] for one in ids}) == 3


async def test_what_clients_send_does_not_weigh_on_the_cache(settings) -> None:
    feed = ChangeFeed(settings.database_url, interval=60)
    cache = ResponseCache(feed, entries=1_000, ttl=60, max_bytes=10_000)
    for n in range(100):
        cache.put(b"k%d" % n, feed.generation, 200, [], b"x" * 1_000, '"e"')

    assert cache.size <= 10_000 and len(cache) == 10
    assert cache.get(b"k99") is not None and cache.get(b"k0") is None  # oldest out first


async def test_feeds_are_answered_from_the_cache_until_a_write(client) -> None:
    post = await make_post(translations={"fr-CA": {"title": "Avant", "slug": "avant"}})
    first = await client.get("/feeds/fr-CA/rss.xml")
    with recorded_statements() as statements:
        again = await client.get("/feeds/fr-CA/rss.xml")
        revalidated = await client.get(
            "/feeds/fr-CA/rss.xml", headers={"if-none-match": first.headers["etag"]}
        )
    await PostTranslation.filter(post_id=post.id).update(title="Après")
    changed = await client.get("/feeds/fr-CA/rss.xml")

    assert statements == []
    assert again.content == first.content and b"Avant" in first.content
    assert revalidated.status_code == 304
    assert b"Apr\xc3\xa8s" in changed.content and changed.headers["etag"] != first.headers["etag"]


async def test_a_repeated_host_header_cannot_poison_a_cached_feed(client) -> None:
    await make_post(translations={"en-CA": {"title": "One", "slug": "one"}})
    forged = await client.get(
        "/feeds/en-CA/atom.xml", headers=[("host", "evil.example"), ("host", "cinq.test")]
    )
    plain = await client.get("/feeds/en-CA/atom.xml")

    assert b"evil.example" in forged.content  # built for the first Host, as Starlette reads it
    assert b"evil.example" not in plain.content
    assert b'href="http://cinq.test/feeds/en-CA/atom.xml"' in plain.content


async def test_a_client_that_leaves_mid_body_runs_nothing(settings) -> None:
    app = create_app(settings, manage_database=False)
    body = json.dumps({"query": TITLES}).encode()
    messages = [
        {"type": "http.request", "body": body[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]
    headers = [
        (b"host", b"cinq.test"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    with recorded_statements() as statements:
        sent = await post_then_leave(app, headers, messages)

    assert sent == [] and statements == []
