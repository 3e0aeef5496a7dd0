"""Authenticated GraphQL callers: a real account, a real token, real HTTP.

``await caller(client, Role.EDITOR)`` makes an account of that role, issues it a token
through :mod:`cms.services.accounts`, and returns a :class:`Caller` that sends
``Authorization: Bearer <secret>`` with every operation, the way a frontend or script does.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import httpx

from cms.models import Account, ApiToken, Author, Role, TokenScope
from cms.services import accounts

_seq = itertools.count(1)


@dataclass
class Caller:
    """Posts GraphQL operations with a bearer token, like tests.conftest.GraphQLClient."""

    http: httpx.AsyncClient
    account: Account
    token: ApiToken
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    async def request(self, query: str, **variables: object) -> httpx.Response:
        """The raw HTTP response, for status codes and headers."""
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )

    async def __call__(self, query: str, **variables: object) -> dict:
        response = await self.request(query, **variables)
        assert response.headers["content-type"].startswith("application/json"), response.text
        return response.json()

    async def data(self, query: str, **variables: object) -> dict:
        """The ``data`` of a response that must have no errors."""
        body = await self(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


async def make_account(role: Role, *, author: Author | None = None) -> Account:
    n = next(_seq)
    return await accounts.create_account(
        f"{role.value}-{n}@example.test",
        f"{role.value.title()} {n}",
        role,
        author_id=author.id if author else None,
    )


async def token_for(
    client: httpx.AsyncClient, account: Account, *, scope: TokenScope = TokenScope.FULL
) -> Caller:
    """A new token of ``account`` and a caller using it."""
    issued = await accounts.issue_token(account, f"test token {next(_seq)}", scope)
    return Caller(http=client, account=account, token=issued.token, secret=issued.secret)


async def caller(
    client: httpx.AsyncClient,
    role: Role,
    *,
    scope: TokenScope = TokenScope.FULL,
    author: Author | None = None,
) -> Caller:
    """A new account of ``role`` (signing with ``author``, if given) calling with a token."""
    return await token_for(client, await make_account(role, author=author), scope=scope)
