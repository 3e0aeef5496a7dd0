"""Authentication as a client sees it: bearer tokens over HTTP, and what refuses them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from tortoise import connections

from cms.app import create_app
from cms.models import ApiToken, Post, Role
from cms.services import accounts
from tests.auth import caller, make_account
from tests.factories import make_post

QUERY = "{ locales { code } }"
PREVIEW = "{ posts(preview: true) { totalCount } }"
CREATE = """
mutation($input: CreatePostInput!) {
  createPost(input: $input) { post { id } errors { code } }
}
"""
UPSERT = """
mutation($id: ID!, $v: Int!, $input: TranslationInput!) {
  upsertTranslation(postId: $id, expectedVersion: $v, input: $input) {
    post { title } errors { code }
  }
}
"""
NEW_POST = {"translations": [{"locale": "fr-CA", "title": "Bonjour"}]}


async def ask(
    http: httpx.AsyncClient, authorization: str | None, query: str = QUERY, **variables: object
) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


def bearer(secret: str) -> str:
    return f"Bearer {secret}"


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_without_a_token_queries_are_answered_as_for_anyone(client) -> None:
    await make_post()

    response = await ask(client, None, "{ posts { totalCount } }")

    assert response.status_code == 200
    assert response.json() == {"data": {"posts": {"totalCount": 1}}}


@pytest.mark.parametrize(
    "authorization",
    [
        "Token x",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-cinq-token",
        "Bearer cinq_" + "A" * 43,
    ],
)
async def test_a_malformed_or_unknown_token_is_refused_even_for_a_plain_query(
    client, authorization
) -> None:
    assert_unauthenticated(await ask(client, authorization))


async def _expire(issued: accounts.IssuedToken) -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    await ApiToken.filter(id=issued.token.id).update(expires_at=past)


async def _revoke(issued: accounts.IssuedToken) -> None:
    await accounts.revoke_token(issued.token.id)


@pytest.mark.parametrize("end", [_expire, _revoke], ids=["expired", "revoked"])
async def test_a_token_stops_working_on_the_very_next_request(client, end) -> None:
    account = await make_account(Role.EDITOR)
    issued = await accounts.issue_token(
        account, "laptop", expires_at=datetime.now(UTC) + timedelta(hours=1)
    )
    assert (await ask(client, bearer(issued.secret), PREVIEW)).status_code == 200

    await end(issued)

    assert_unauthenticated(await ask(client, bearer(issued.secret)))


async def test_a_deleted_token_never_lets_its_secret_in_again(client) -> None:
    old = await accounts.issue_token(await make_account(Role.EDITOR), "old")
    assert (await ask(client, bearer(old.secret))).status_code == 200
    await ApiToken.filter(id=old.token.id).delete()

    newcomer = await caller(client, Role.EDITOR)

    assert_unauthenticated(await ask(client, bearer(old.secret)))
    assert (await newcomer.request(QUERY)).status_code == 200


async def test_tokens_are_stored_as_their_sha256_only(client) -> None:
    issued = await accounts.issue_token(await make_account(Role.ADMIN), "stored")
    random_part = issued.secret.removeprefix(accounts.TOKEN_PREFIX)

    rows = await connections.get("default").execute_query_dict("SELECT * FROM api_token")

    (row,) = rows
    assert not [column for column, value in row.items() if random_part in str(value)]
    assert row["token_hash"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert (await ask(client, bearer(issued.secret))).status_code == 200


async def test_using_a_token_records_when(client) -> None:
    token = await caller(client, Role.AUTHOR)
    assert (await ApiToken.get(id=token.token.id)).last_used_at is None
    before = datetime.now(UTC)

    assert (await token.request(QUERY)).status_code == 200

    used = (await ApiToken.get(id=token.token.id)).last_used_at
    assert used is not None
    assert before <= used <= datetime.now(UTC)


async def test_an_anonymous_mutation_is_told_to_authenticate(client) -> None:
    response = await ask(client, None, CREATE, input=NEW_POST)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert response.json()["data"] == {
        "createPost": {"post": None, "errors": [{"code": "UNAUTHENTICATED"}]}
    }
    assert await Post.all().count() == 0


async def test_ten_failed_attempts_hold_a_client_off_even_with_a_valid_token(settings) -> None:
    # The throttle lives in the app: a fresh one, so no other test's failures count here.
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        valid = await caller(http, Role.EDITOR)
        for _ in range(9):
            assert_unauthenticated(await ask(http, "Bearer cinq_guess"))
        assert (await valid.request(QUERY)).status_code == 200
        assert_unauthenticated(await ask(http, "Bearer cinq_guess"))

        response = await valid.request(QUERY)

    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= 60
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"


async def test_deleting_an_account_ends_its_tokens_and_hands_its_posts_to_the_heir(
    client,
) -> None:
    leaving = await caller(client, Role.AUTHOR)
    heir = await caller(client, Role.AUTHOR)
    created = (await leaving.data(CREATE, input=NEW_POST))["createPost"]["post"]
    change = {"id": created["id"], "v": 1, "input": {"locale": "fr-CA", "title": "Repris"}}
    refused = (await heir.data(UPSERT, **change))["upsertTranslation"]
    assert refused["errors"] == [{"code": "FORBIDDEN"}]

    await accounts.delete_account(leaving.account.id, reassign_to=heir.account.id)

    assert_unauthenticated(await leaving.request(QUERY))
    taken_over = (await heir.data(UPSERT, **change))["upsertTranslation"]
    assert taken_over == {"post": {"title": "Repris"}, "errors": []}
    assert (await Post.get(id=int(created["id"]))).created_by_id == heir.account.id


async def test_a_token_made_on_the_command_line_authenticates(client, settings, tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cms.cli", "token", "create", "--role", "editor", "--name", "x"],
        cwd=tmp_path,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert secret.startswith(accounts.TOKEN_PREFIX) and len(secret.split()) == 1
    response = await ask(client, bearer(secret), CREATE, input=NEW_POST)
    assert response.status_code == 200
    assert response.json()["data"]["createPost"]["errors"] == []
