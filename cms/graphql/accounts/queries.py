"""Queries about accounts: who is calling, and for administrators, accounts and tokens."""

from __future__ import annotations

import strawberry

from cms.graphql.accounts.types import Account, SignedInSession, Token, Viewer
from cms.graphql.context import Info
from cms.graphql.permissions import Requires
from cms.models import Account as AccountModel
from cms.models import ApiToken
from cms.services import sessions
from cms.services.permissions import Permission


@strawberry.type
class AccountQueries:
    @strawberry.field(description="Who is calling; null for anonymous callers.")
    async def viewer(self, info: Info) -> Viewer | None:
        caller = info.context.viewer
        if caller.account_id is None:
            return None
        account = await AccountModel.get_or_none(id=caller.account_id)
        if account is None:
            return None
        return Viewer(
            id=strawberry.ID(str(account.id)),
            email=account.email,
            display_name=account.display_name,
            role=account.role,
            author_id=strawberry.ID(str(account.author_id)) if account.author_id else None,
            permissions=sorted(caller.permissions, key=list(Permission).index),
            signed_in=caller.session_id is not None,
        )

    @strawberry.field(
        description="The browsers signed in to the web app as the caller, the most recently "
        "used first (empty for a token's caller).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def my_sessions(self, info: Info) -> list[SignedInSession]:
        caller = info.context.viewer
        if caller.account_id is None:
            return []
        lifetime = sessions.Lifetime.of(info.context.settings)
        return [
            SignedInSession(
                id=strawberry.ID(str(s.id)),
                user_agent=s.user_agent,
                created_at=s.created_at,
                last_seen_at=s.last_seen_at,
                current=s.id == caller.session_id,
            )
            for s in await sessions.of_account(caller.account_id, lifetime)
        ]

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
