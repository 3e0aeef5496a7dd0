"""What a post write costs in SQL statements, on each database, seen from the API.

A write locks the post at its start and reads it once at its end, for a snapshot that both
its revision and its webhook are made from: these bounds fail when a change reads it again.
"""

from __future__ import annotations

import pytest

from cms.models import PostStatus, Role
from tests.auth import Caller, caller
from tests.factories import make_post, make_tag
from tests.sql import recorded_statements
from tests.webhooks.helpers import subscribe, types

PAYLOAD = "post { id version status } errors { field code }"
PUBLISH = f"""
mutation($id: ID!, $v: Int!) {{ publishPost(id: $id, expectedVersion: $v) {{ {PAYLOAD} }} }}
"""
UPDATE = f"""
mutation($id: ID!, $v: Int!, $input: UpdatePostInput!) {{
  updatePost(id: $id, expectedVersion: $v, input: $input) {{ {PAYLOAD} }}
}}
"""
# The most statements each write may send, by database.
PUBLISH_WITHOUT_ENDPOINT = {"sqlite": 15, "postgres": 14}
PUBLISH_WITH_ENDPOINT = {"sqlite": 18, "postgres": 17}
UPDATE_PUBLISHED = {"sqlite": 21, "postgres": 20}


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


async def _statements(editor: Caller, mutation: str, **variables: object) -> list[str]:
    """The statements one successful mutation sent."""
    with recorded_statements() as statements:
        body = await editor(mutation, **variables)
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert payload["errors"] == [], payload["errors"]
    return list(statements)


async def test_publishing_without_an_endpoint(editor, backend) -> None:
    post = await make_post(status=PostStatus.DRAFT, tags=[await make_tag()])

    statements = await _statements(editor, PUBLISH, id=str(post.id), v=post.version)

    assert len(statements) <= PUBLISH_WITHOUT_ENDPOINT[backend], "\n".join(statements)
    assert await types() == []


async def test_publishing_with_an_endpoint(editor, backend) -> None:
    await subscribe()
    post = await make_post(status=PostStatus.DRAFT, tags=[await make_tag()])

    statements = await _statements(editor, PUBLISH, id=str(post.id), v=post.version)

    assert len(statements) <= PUBLISH_WITH_ENDPOINT[backend], "\n".join(statements)
    assert await types() == ["post.published"]


async def test_updating_a_published_post(editor, backend) -> None:
    await subscribe()
    post = await make_post(tags=[await make_tag()])

    statements = await _statements(
        editor, UPDATE, id=str(post.id), v=post.version, input={"seriesNumber": 4}
    )

    assert len(statements) <= UPDATE_PUBLISHED[backend], "\n".join(statements)
    assert await types() == ["post.updated"]
