"""Editors give a post the date it was first published elsewhere; nobody else can."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cms.models import Role
from tests.auth import Caller, caller
from tests.factories import make_author
from tests.graphql.test_authoring import fr, row_counts

POST = "post { id version status publishedAt } errors { field code message }"
CREATE = f"""
mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ {POST} }} }}
"""
UPDATE = f"""
mutation($id: ID!, $v: Int!, $input: UpdatePostInput!) {{
  updatePost(id: $id, expectedVersion: $v, input: $input) {{ {POST} }}
}}
"""
PUBLISH = f"""
mutation($id: ID!, $v: Int!, $at: DateTime) {{
  publishPost(id: $id, expectedVersion: $v, publishedAt: $at) {{ {POST} }}
}}
"""
PUBLIC = "{ posts { nodes { id publishedAt } } }"

LONG_AGO = "2019-06-05T17:00:00-04:00"
LONG_AGO_UTC = "2019-06-05T21:00:00+00:00"


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


@pytest.fixture
async def author(client) -> Caller:
    return await caller(client, Role.AUTHOR, author=await make_author())


async def send(who, mutation: str, **variables) -> dict:
    (payload,) = (await who.data(mutation, **variables)).values()
    return payload


async def written(who, mutation: str, **variables) -> dict:
    payload = await send(who, mutation, **variables)
    assert payload["errors"] == [], payload["errors"]
    return payload["post"]


def error_of(payload: dict) -> tuple[str | None, str]:
    assert payload["post"] is None
    (error,) = payload["errors"]
    return error["field"], error["code"]


async def test_an_editor_creates_a_backdated_draft_that_keeps_its_date_once_published(
    editor, gql
) -> None:
    post = await written(editor, CREATE, input={"translations": [fr()], "publishedAt": LONG_AGO})
    assert (post["status"], post["publishedAt"]) == ("DRAFT", LONG_AGO_UTC)

    published = await written(editor, PUBLISH, id=post["id"], v=post["version"])

    assert published["publishedAt"] == LONG_AGO_UTC
    assert (await gql.data(PUBLIC))["posts"]["nodes"] == [
        {"id": post["id"], "publishedAt": LONG_AGO_UTC}
    ]


async def test_publishing_with_a_date_replaces_the_one_it_had(editor, gql) -> None:
    post = await written(editor, CREATE, input={"translations": [fr()]})
    post = await written(editor, PUBLISH, id=post["id"], v=post["version"])
    first = datetime.fromisoformat(post["publishedAt"])
    assert abs(first - datetime.now(UTC)) < timedelta(minutes=1)

    again = await written(editor, PUBLISH, id=post["id"], v=post["version"], at=LONG_AGO)

    assert again["publishedAt"] == LONG_AGO_UTC
    kept = await written(editor, PUBLISH, id=post["id"], v=again["version"])
    assert kept["publishedAt"] == LONG_AGO_UTC


async def test_an_editor_moves_a_published_post_back_in_time(editor, gql) -> None:
    older = await written(editor, CREATE, input={"translations": [fr("Ancien")]})
    older = await written(editor, PUBLISH, id=older["id"], v=older["version"])
    newer = await written(editor, CREATE, input={"translations": [fr("Récent")]})
    newer = await written(editor, PUBLISH, id=newer["id"], v=newer["version"])
    assert [n["id"] for n in (await gql.data(PUBLIC))["posts"]["nodes"]] == [
        newer["id"],
        older["id"],
    ]

    await written(
        editor, UPDATE, id=newer["id"], v=newer["version"], input={"publishedAt": LONG_AGO}
    )

    assert [n["id"] for n in (await gql.data(PUBLIC))["posts"]["nodes"]] == [
        older["id"],
        newer["id"],
    ]


async def test_an_author_cannot_backdate_a_new_post(author) -> None:
    before = await row_counts()

    payload = await send(author, CREATE, input={"translations": [fr()], "publishedAt": LONG_AGO})

    assert error_of(payload) == ("publishedAt", "FORBIDDEN")
    assert await row_counts() == before


async def test_an_author_cannot_backdate_their_draft(author) -> None:
    post = await written(author, CREATE, input={"translations": [fr()]})

    payload = await send(
        author, UPDATE, id=post["id"], v=post["version"], input={"publishedAt": LONG_AGO}
    )

    assert error_of(payload) == ("publishedAt", "FORBIDDEN")
    unchanged = await written(author, UPDATE, id=post["id"], v=post["version"], input={})
    assert (unchanged["version"], unchanged["publishedAt"]) == (post["version"] + 1, None)


def _in(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param(_in(days=1), "schedulePost", id="in-the-future"),
        pytest.param("1899-12-31T23:59:59Z", "1900", id="before-1900"),
        pytest.param("2019-06-05T17:00:00", "UTC offset", id="without-an-offset"),
    ],
)
async def test_an_impossible_publication_date_is_refused(editor, value, words) -> None:
    post = await written(editor, CREATE, input={"translations": [fr()]})

    for mutation, variables in (
        (UPDATE, {"input": {"publishedAt": value}}),
        (PUBLISH, {"at": value}),
    ):
        payload = await send(editor, mutation, id=post["id"], v=post["version"], **variables)
        assert error_of(payload) == ("publishedAt", "INVALID")
        assert words in payload["errors"][0]["message"]
    created = await send(editor, CREATE, input={"translations": [fr()], "publishedAt": value})
    assert error_of(created) == ("publishedAt", "INVALID")
    still = await written(editor, UPDATE, id=post["id"], v=post["version"], input={})
    assert (still["status"], still["publishedAt"]) == ("DRAFT", None)


async def test_a_publication_date_cannot_be_cleared(editor) -> None:
    post = await written(editor, CREATE, input={"translations": [fr()], "publishedAt": LONG_AGO})

    payload = await send(
        editor, UPDATE, id=post["id"], v=post["version"], input={"publishedAt": None}
    )

    assert error_of(payload) == ("publishedAt", "INVALID")
