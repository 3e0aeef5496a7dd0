"""Authenticated GraphQL callers: a real account, a real token, real HTTP.

``await caller(client, Role.EDITOR)`` makes an account of that role, issues it a token
through :mod:`cms.services.accounts`, and returns a :class:`Caller` that sends
``Authorization: Bearer <secret>`` with every operation, the way a frontend or script does.
"""

from __future__ import annotations

import itertools

import httpx

from cms.models import Account, ApiToken, Author, Role, TokenScope
from cms.services import accounts
from tests.conftest import GraphQLClient

_seq = itertools.count(1)


class Caller(GraphQLClient):
    """A GraphQL client that sends ``Authorization: Bearer <secret>`` with every operation."""

    def __init__(
        self, http: httpx.AsyncClient, account: Account, token: ApiToken, secret: str
    ) -> None:
        super().__init__(http)
        self.account = account
        self.token = token
        self.secret = secret
        self.headers = {"Authorization": f"Bearer {secret}"}


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
