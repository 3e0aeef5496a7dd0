"""GraphQL types for accounts and tokens. A token's secret is never readable, only returned
once by the mutation that creates it."""

from __future__ import annotations

from datetime import datetime

import strawberry

from cms.models import Account as AccountModel
from cms.models import ApiToken, Role, TokenScope
from cms.services.permissions import Permission

RoleEnum = strawberry.enum(Role, name="Role")
PermissionEnum = strawberry.enum(
    Permission, name="Permission", description="What a role (and a token's scope) allows."
)
TokenScopeEnum = strawberry.enum(
    TokenScope, name="TokenScope", description="At most what a token may do."
)


@strawberry.type(description="A person or service that writes content.")
class Account:
    id: strawberry.ID
    email: str
    display_name: str
    role: RoleEnum  # type: ignore[valid-type]
    is_service: bool
    author_id: strawberry.ID | None = strawberry.field(description="The byline it signs with.")
    has_password: bool = strawberry.field(description="Whether it can sign in to the web app.")
    disabled_at: datetime | None = strawberry.field(
        description="Set while the account is disabled: its tokens and sessions do not work."
    )
    created_at: datetime

    @classmethod
    def build(cls, account: AccountModel) -> Account:
        return cls(
            id=strawberry.ID(str(account.id)),
            email=account.email,
            display_name=account.display_name,
            role=account.role,
            is_service=account.is_service,
            author_id=strawberry.ID(str(account.author_id)) if account.author_id else None,
            has_password=account.password_hash is not None,
            disabled_at=account.disabled_at,
            created_at=account.created_at,
        )


@strawberry.type(description="Who is calling: the signed-in person or the token's account.")
class Viewer:
    id: strawberry.ID = strawberry.field(description="The account's id.")
    email: str
    display_name: str
    role: RoleEnum  # type: ignore[valid-type]
    author_id: strawberry.ID | None = strawberry.field(description="The byline it signs with.")
    permissions: list[PermissionEnum] = strawberry.field(  # type: ignore[valid-type]
        description="What this caller may do: the role's rights, narrowed by a token's scope."
    )
    signed_in: bool = strawberry.field(
        description="True in the web app (a session), false with a token."
    )


@strawberry.type(description="An API token, without its secret.")
class Token:
    id: strawberry.ID
    account_id: strawberry.ID
    name: str
    prefix: str = strawberry.field(description="Its first characters, to recognise it.")
    scope: TokenScopeEnum  # type: ignore[valid-type]
    post_id: strawberry.ID | None = strawberry.field(description="Set on a one-post preview token.")
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime

    @classmethod
    def build(cls, token: ApiToken) -> Token:
        return cls(
            id=strawberry.ID(str(token.id)),
            account_id=strawberry.ID(str(token.account_id)),
            name=token.name,
            prefix=token.prefix,
            scope=token.scope,
            post_id=strawberry.ID(str(token.post_id)) if token.post_id else None,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
            created_at=token.created_at,
        )


@strawberry.type(description="A browser signed in to the web app as the caller.")
class SignedInSession:
    id: strawberry.ID
    user_agent: str = strawberry.field(description="The browser, as it named itself.")
    created_at: datetime = strawberry.field(description="When it signed in.")
    last_seen_at: datetime
    current: bool = strawberry.field(description="The session of this very request.")
