"""Whatever stops a mutation, the caller reads it in that mutation's own payload.

A malformed argument, a missing row and a refusal by a service's rule all come back the same
way, as ``errors { field code }`` beside empty fields, never as a GraphQL error.
"""

from __future__ import annotations

import pytest

from cms.models import PostStatus, Role
from tests.auth import caller
from tests.factories import make_author, make_post


@pytest.mark.parametrize(
    ("mutation", "payload_field"),
    [
        ('updateMedia(id: "abc", focalPoint: {x: 0.5, y: 0.5})', "media { id }"),
        ('deleteMedia(id: "abc")', "deletedId"),
        ('deleteOrganizer(id: "abc")', "deletedId"),
        ('revokeToken(id: "abc")', "token { id }"),
    ],
)
async def test_a_malformed_id_is_an_error_in_the_payload(
    client, mutation: str, payload_field: str
) -> None:
    admin = await caller(client, Role.ADMIN)
    name = mutation.split("(")[0]

    body = await admin(f"mutation {{ {mutation} {{ {payload_field} errors {{ field code }} }} }}")

    assert "errors" not in body, body
    assert body["data"][name] == {
        payload_field.split()[0]: None,
        "errors": [{"field": "id", "code": "INVALID"}],
    }


async def test_a_missing_file_is_not_found_in_the_payload(client) -> None:
    editor = await caller(client, Role.EDITOR)

    body = await editor.data(
        'mutation { updateMedia(id: "999999", focalPoint: {x: 2, y: 0}) '
        "{ media { id } errors { field code } } }"
    )

    assert body["updateMedia"] == {"media": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}


async def test_a_rule_of_the_service_refuses_in_the_payload(client) -> None:
    author = await caller(client, Role.AUTHOR, author=await make_author())
    published = await make_post(status=PostStatus.PUBLISHED)

    body = await author.data(
        "mutation($id: ID!) { createPreviewToken(postId: $id) "
        "{ token { id } secret previewUrl errors { code } } }",
        id=str(published.id),
    )

    assert body["createPreviewToken"] == {
        "token": None,
        "secret": None,
        "previewUrl": None,
        "errors": [{"code": "FORBIDDEN"}],
    }
