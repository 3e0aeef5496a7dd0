"""The public endpoint refuses abusive operations with clear errors, and masks failures."""

import logging

import pytest

from cms.graphql.errors import BadUserInput
from cms.models import Role, TokenScope
from cms.services import posts as post_service
from tests.auth import caller
from tests.factories import make_post


def _codes(body: dict) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body["errors"]]


async def test_deep_query_is_refused(gql) -> None:
    query = "{ posts { edges { node { " + "previous { " * 18 + "id" + " }" * 18 + " } } } }"
    body = await gql(query)
    assert "data" not in body or body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_many_aliases_are_refused(gql) -> None:
    query = "{ " + " ".join(f"a{i}: locales {{ code }}" for i in range(50)) + " }"
    body = await gql(query)
    assert "aliases found" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(gql) -> None:
    query = "{ locales { " + "code " * 3000 + "} }"
    body = await gql(query)
    assert "more than 2000 tokens" in body["errors"][0]["message"]


async def test_nested_connections_cannot_multiply_page_sizes(gql) -> None:
    query = """{ posts(first: 100) { edges { node {
        author { posts(first: 100) { edges { node { id } } } } } } } }"""
    body = await gql(query)
    assert _codes(body) == ["QUERY_TOO_COMPLEX"]
    assert "limit is" in body["errors"][0]["message"]
    modest = await gql(
        "{ posts(first: 10) { edges { node { author { posts(first: 5) { nodes { id } } } } } } }"
    )
    assert "errors" not in modest


async def test_five_megabyte_body_is_refused_with_413(client) -> None:
    padding = "x" * (5 * 1024 * 1024)
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ locales { code } }", "pad": "' + padding.encode() + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert response.headers["connection"] == "close"


async def test_validation_errors_are_explained_without_suggestions(gql) -> None:
    body = await gql("{ postz { totalCount } }")
    message = body["errors"][0]["message"]
    assert message == "Cannot query field 'postz' on type 'Query'."


async def test_introspection_is_off_outside_debug_but_for_editors(client, gql) -> None:
    introspect = '{ __schema { queryType { name } } __type(name: "Post") { name } }'
    body = await gql(introspect)
    assert "introspection" in body["errors"][0]["message"].lower()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    for role, scope in ((Role.AUTHOR, TokenScope.FULL), (Role.EDITOR, TokenScope.READ)):
        refused = await (await caller(client, role, scope=scope))(introspect)
        assert "introspection" in refused["errors"][0]["message"].lower(), role
    # Those who may edit any content may read the schema, by token (or by session).
    for role in (Role.EDITOR, Role.ADMIN):
        seen = await (await caller(client, role)).data(introspect)
        assert seen == {"__schema": {"queryType": {"name": "Query"}}, "__type": {"name": "Post"}}


async def test_resolver_failure_is_masked_and_logged(gql, monkeypatch, caplog) -> None:
    await make_post()

    async def broken(query):
        raise RuntimeError("connection string postgres://secret@db leaked")

    monkeypatch.setattr(post_service, "count_posts", broken)
    # The page would bring its count itself: make it leave the count to count_posts.
    list_posts = post_service.list_posts
    monkeypatch.setattr(post_service, "list_posts", lambda query, **_: list_posts(query))
    with caplog.at_level(logging.ERROR):
        body = await gql("{ posts { totalCount } }")
    assert body["errors"][0]["message"] == "Unexpected error."
    assert "secret" not in str(body)
    assert "secret" in caplog.text


async def test_client_errors_are_not_masked(gql) -> None:
    body = await gql('{ posts(locale: "de-DE") { totalCount } }')
    assert _codes(body) == [BadUserInput.code]
    assert "de-DE" in body["errors"][0]["message"]


@pytest.mark.parametrize("first", [0, 101])
async def test_page_size_is_bounded(gql, first: int) -> None:
    body = await gql("query($n: Int!) { posts(first: $n) { totalCount } }", n=first)
    assert _codes(body) == ["BAD_USER_INPUT"]
    assert "between 1 and 100" in body["errors"][0]["message"]


async def test_validation_is_cached_across_requests(client) -> None:
    """The limit rules are built once, so repeated documents skip validation entirely.

    A caller with a token is never answered from the response cache, so each request runs.
    """
    from strawberry.extensions.validation_cache import _get_validate_cache

    reader = await caller(client, Role.AUTHOR, scope=TokenScope.READ)
    cache = _get_validate_cache(256)
    query = "query CacheProbe { locales { code name } }"
    await reader.data(query)
    before = cache.cache_info()
    await reader.data(query)
    await reader.data(query)
    after = cache.cache_info()
    assert after.hits == before.hits + 2
    assert after.misses == before.misses
