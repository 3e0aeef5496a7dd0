"""Queries for administrators: accounts and tokens."""

from __future__ import annotations

import strawberry

from cms.graphql.accounts.types import Account, Token
from cms.graphql.permissions import Requires
from cms.models import Account as AccountModel
from cms.models import ApiToken
from cms.services.permissions import Permission


@strawberry.type
class AccountQueries:
    @strawberry.field(
        description="Every account.", extensions=[Requires(Permission.MANAGE_ACCOUNTS)]
    )
    async def accounts(self) -> list[Account]:
        return [Account.build(a) for a in await AccountModel.all().order_by("id")]

    @strawberry.field(
        description="Every token (never its secret).",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def tokens(self) -> list[Token]:
        return [Token.build(t) for t in await ApiToken.all().order_by("id")]
