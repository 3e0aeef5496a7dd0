"""Queries run from a plan answer exactly as graphql-core's own executor does.

Every query below is asked twice of the same app over the same rows: as it is served (from a
plan) and with plans turned off (graphql-core executing every field). The two answers must be
equal to the byte, errors and their paths included. The queries are the site's own operations
and every path by which a post or an event can be reached, with fragments, inline fragments,
aliases, ``__typename`` and interfaces, plus the cases a plan leaves to graphql-core: a
resolver that refuses, directives, introspection.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql.execution.executor import Executor

from cms.app import create_app
from cms.graphql import planned
from cms.models import Role
from cms.settings import Settings
from tests.auth import caller
from tests.conftest import GraphQLClient
from tests.graphql.test_relations_by_every_path import (
    EVENT_FRAGMENT,
    EVENT_PATHS,
    POST_FRAGMENT,
    POST_PATHS,
    PREVIEW_DIRECTLY,
    PREVIEW_FRAGMENT,
)
from tests.graphql.test_relations_by_every_path import world as world  # the fixture

OPERATIONS = Path(__file__).parents[2] / "schema" / "operations"


@contextlib.asynccontextmanager
async def _uncached(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with its response cache off: every request is executed."""
    changed = dataclasses.replace(settings, response_cache_entries=0, **changes)
    transport = httpx.ASGITransport(app=create_app(changed, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield http


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with _uncached(settings) as http:
        yield http


class Executions:
    """How many operations graphql-core executed itself, plans aside."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = Executor.execute_operation

        def counted(executor: Executor, serially: bool | None = None) -> Any:
            self.count += 1
            return original(executor, serially)

        monkeypatch.setattr(Executor, "execute_operation", counted)


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> Executions:
    return Executions(monkeypatch)


async def _both(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, query: str, **variables: object
) -> tuple[str, str]:
    """The answer served, then the answer of graphql-core's own executor, as sent."""
    served = await gql.request(query, **variables)
    with monkeypatch.context() as patch:
        patch.setattr(planned.PlannedExecutor, "_plan", lambda self: None)
        reference = await gql.request(query, **variables)
    assert served.status_code == reference.status_code
    return served.text, reference.text


def _variables(query: str, world: dict[str, Any], **extra: object) -> dict[str, object]:
    return {**{k: v for k, v in world.items() if f"${k}" in query}, **extra}


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_every_path_to_a_post_or_an_event_answers_as_graphql_core_does(
    gql, world, monkeypatch, executions, locale
) -> None:
    paths = [(q, POST_FRAGMENT) for q, _ in POST_PATHS.values()]
    paths += [(q, EVENT_FRAGMENT) for q, _ in EVENT_PATHS.values()]
    for query, fragment in paths:
        text = query + fragment
        served, reference = await _both(
            gql, monkeypatch, text, **_variables(text, world, locale=locale)
        )
        assert "errors" not in json.loads(served), served
        assert served == reference, query
    # Each query ran from its plan when served: graphql-core executed only the references.
    assert executions.count == len(paths)


async def test_the_site_operations_answer_as_graphql_core_does(
    gql, world, monkeypatch, executions
) -> None:
    asked = {
        "FrontPage": {"locale": "en-CA", "first": 2},
        "PostPage": {"slug": world["slug"], "locale": "en-CA"},
        "CategoryPage": {"slug": world["categorySlug"], "locale": "fr-CA"},
        "EventsPage": {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"},
        "Search": {"text": world["word"], "locale": "en-CA"},
    }
    for name, variables in asked.items():
        served, reference = await _both(
            gql, monkeypatch, (OPERATIONS / f"{name}.graphql").read_text(), **variables
        )
        data = json.loads(served)
        assert "errors" not in data and any(data["data"].values()), (name, served)
        assert served == reference, name
    assert executions.count == len(asked)


async def test_a_preview_answers_as_graphql_core_does(client, world, monkeypatch) -> None:
    editor = await caller(client, Role.EDITOR)
    text = PREVIEW_DIRECTLY + PREVIEW_FRAGMENT
    served, reference = await _both(
        editor, monkeypatch, text, **_variables(text, world, locale="en-CA")
    )
    assert json.loads(served)["data"]["post"]["status"] == "DRAFT"
    assert served == reference


SHAPES = """
query($id: ID!) {
  first: post(id: $id) { __typename id title }
  again: post(id: $id) { id ...Card category { __typename ... on Term { name } } }
  missing: post(slug: "no-such-post") { id }
  terms: tags { __typename ... on Term { slug } ... on Tag { id } }
}
fragment Card on Post { slug author { name } tags { slug } }
"""


async def test_aliases_typenames_fragments_and_interfaces_answer_as_graphql_core_does(
    gql, world, monkeypatch, executions
) -> None:
    served, reference = await _both(gql, monkeypatch, SHAPES, id=world["id"])
    data = json.loads(served)["data"]
    assert data["first"]["__typename"] == "Post" and data["missing"] is None
    assert data["again"]["category"]["__typename"] == "Category"
    assert {t["__typename"] for t in data["terms"]} == {"Tag"}
    assert served == reference
    assert executions.count == 1


REFUSED = """
query($id: ID!) {
  post(id: $id) { id title locales { locale state } createdById }
  posts(first: 2) { nodes { id } }
}
"""


async def test_a_refused_field_gets_graphql_cores_errors_and_paths(gql, world, monkeypatch) -> None:
    # Anonymous readers may not see a post's locales: the plan gives way to graphql-core,
    # whose answer (the error, where it happened, the data around it) is the one sent.
    served, reference = await _both(gql, monkeypatch, REFUSED, id=world["id"])
    body = json.loads(served)
    assert body["data"] == {"post": None, "posts": {"nodes": body["data"]["posts"]["nodes"]}}
    assert len(body["data"]["posts"]["nodes"]) == 2
    assert {tuple(error["path"]) for error in body["errors"]} == {
        ("post", "locales"),
        ("post", "createdById"),
    }
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    assert served == reference


BAD_CURSOR = """
query($id: ID!) {
  post(id: $id) { id title category { posts(first: 1, after: "not-a-cursor") { totalCount } } }
}
"""


async def test_a_field_that_fails_once_awaited_gets_graphql_cores_answer(
    gql, world, monkeypatch
) -> None:
    # The page of posts fails inside its (awaited) resolver: the plan's run is abandoned
    # half-way, and graphql-core's answer is sent, the post nulled up to its nullable parent.
    served, reference = await _both(gql, monkeypatch, BAD_CURSOR, id=world["id"])
    body = json.loads(served)
    assert body["data"] == {
        "post": {"id": world["id"], "title": body["data"]["post"]["title"], "category": None}
    }
    (error,) = body["errors"]
    assert error["path"] == ["post", "category", "posts"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert served == reference


DIRECTED = """
query($id: ID!, $withTags: Boolean!) {
  post(id: $id) { id tags @include(if: $withTags) { slug } title @skip(if: $withTags) }
}
"""


@pytest.mark.parametrize("with_tags", [True, False])
async def test_directives_are_left_to_graphql_core(
    gql, world, monkeypatch, executions, with_tags
) -> None:
    served, reference = await _both(gql, monkeypatch, DIRECTED, id=world["id"], withTags=with_tags)
    post = json.loads(served)["data"]["post"]
    assert ("tags" in post) is with_tags and ("title" in post) is not with_tags
    assert served == reference
    assert executions.count == 2  # no plan: graphql-core served both


async def test_introspection_is_left_to_graphql_core(settings, monkeypatch, executions) -> None:
    query = '{ __typename __type(name: "Post") { name fields { name } } }'
    async with _uncached(settings, debug=True) as http:  # introspection is on with debug
        served, reference = await _both(GraphQLClient(http), monkeypatch, query)
    fields = {f["name"] for f in json.loads(served)["data"]["__type"]["fields"]}
    assert {"title", "slug", "category"} <= fields
    assert served == reference
    assert executions.count == 2
