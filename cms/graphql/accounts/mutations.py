"""Mutations for accounts and tokens (administrators), and preview tokens (writers)."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime

import strawberry

from cms.graphql.accounts.types import Account, RoleEnum, Token, TokenScopeEnum
from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.graphql.ids import parse_id, required_id
from cms.graphql.payloads import DeletePayload, MutationError, run
from cms.graphql.permissions import Requires
from cms.models import Role, TokenScope
from cms.services import accounts, password_links, sessions
from cms.services.locales import pick
from cms.services.permissions import Permission


@strawberry.type
class AccountPayload:
    account: Account | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class TokenPayload:
    token: Token | None = None
    secret: str | None = strawberry.field(
        default=None, description="The token itself: shown now and never again."
    )
    preview_url: str | None = strawberry.field(
        default=None,
        description="For a preview token: the page that shows the draft on the site, with the "
        "token (`CMS_PREVIEW_URL`), to copy and share. Shown now and never again.",
    )
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class PasswordLinkPayload:
    account: Account | None = None
    link: str | None = strawberry.field(
        default=None,
        description="The link to hand to the person (no mail is sent): it sets the account's "
        "password once, until `expiresAt`. Shown now and never again.",
    )
    expires_at: datetime | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description="Create a person's account.", extensions=[Requires(Permission.MANAGE_ACCOUNTS)]
    )
    async def create_account(
        self,
        email: str,
        display_name: str,
        role: RoleEnum,  # type: ignore[valid-type]
        author_id: strawberry.ID | None = None,
    ) -> AccountPayload:
        async def write() -> AccountPayload:
            account = await accounts.create_account(
                email, display_name, Role(role), author_id=parse_id(author_id, "authorId")
            )
            return AccountPayload(account=Account.build(account))

        return await run(AccountPayload, write)

    @strawberry.mutation(
        description="Delete an account; its posts go to the account named by `reassignTo`.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def delete_account(
        self, info: Info, id: strawberry.ID, reassign_to: strawberry.ID
    ) -> DeletePayload:
        async def write() -> DeletePayload:
            await accounts.delete_account(
                required_id(id, "id"),
                required_id(reassign_to, "reassignTo"),
                by=info.context.viewer,
            )
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Disable an account: its tokens and sessions stop working at once; its "
        "content stays. `active: true` enables it again.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def set_account_active(
        self, info: Info, id: strawberry.ID, active: bool
    ) -> AccountPayload:
        async def write() -> AccountPayload:
            account = await accounts.set_disabled(
                required_id(id, "id"), not active, by=info.context.viewer
            )
            return AccountPayload(account=Account.build(account))

        return await run(AccountPayload, write)

    @strawberry.mutation(
        description="A one-time link that sets an account's password: to invite a person to "
        "their new account, or to let someone who forgot theirs choose another. Links made "
        "before for the account stop working.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def create_password_link(
        self, info: Info, account_id: strawberry.ID
    ) -> PasswordLinkPayload:
        async def write() -> PasswordLinkPayload:
            issued = await password_links.issue(
                required_id(account_id, "accountId"), by=info.context.viewer
            )
            request = info.context.request
            origin = f"{request.url.scheme}://{request.url.netloc}" if request else ""
            return PasswordLinkPayload(
                account=Account.build(issued.account),
                link=origin + issued.path,
                expires_at=issued.expires_at,
            )

        return await run(PasswordLinkPayload, write)

    @strawberry.mutation(
        description="Change an account's role; nobody changes their own.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def set_account_role(
        self,
        info: Info,
        id: strawberry.ID,
        role: RoleEnum,  # type: ignore[valid-type]
    ) -> AccountPayload:
        async def write() -> AccountPayload:
            account = await accounts.set_role(
                required_id(id, "id"), Role(role), by=info.context.viewer
            )
            return AccountPayload(account=Account.build(account))

        return await run(AccountPayload, write)

    @strawberry.mutation(
        description="End every session of an account in the web app (its tokens still work).",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def end_account_sessions(self, id: strawberry.ID) -> AccountPayload:
        async def write() -> AccountPayload:
            account = await accounts.end_sessions(required_id(id, "id"))
            return AccountPayload(account=Account.build(account))

        return await run(AccountPayload, write)

    @strawberry.mutation(
        description="Change your own password, giving the current one; only in the web app "
        "(signed in with a password, not with a token). Your other sessions end.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def change_my_password(
        self, info: Info, current_password: str, new_password: str
    ) -> AccountPayload:
        async def write() -> AccountPayload:
            account = await accounts.change_own_password(
                info.context.viewer, current_password, new_password
            )
            return AccountPayload(account=Account.build(account))

        return await run(AccountPayload, write)

    @strawberry.mutation(
        description="Sign one of your own browsers out (see `mySessions`).",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def end_my_session(self, info: Info, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            caller = info.context.viewer
            ended = caller.account_id is not None and await sessions.end_own(
                caller.account_id, required_id(id, "id")
            )
            if not ended:
                raise accounts.AccountError("id", "You have no such session.", code="NOT_FOUND")
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Create a token for an account; its secret is in the payload, once.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def create_token(
        self,
        account_id: strawberry.ID,
        name: str,
        scope: TokenScopeEnum = TokenScope.FULL,  # type: ignore[valid-type]
        expires_at: datetime | None = None,
    ) -> TokenPayload:
        async def write() -> TokenPayload:
            issued = await accounts.issue_token_to(
                required_id(account_id, "accountId"),
                name,
                TokenScope(scope),
                expires_at=expires_at,
            )
            return TokenPayload(token=Token.build(issued.token), secret=issued.secret)

        return await run(TokenPayload, write)

    @strawberry.mutation(
        description="Revoke a token: it fails from its next use.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def revoke_token(self, id: strawberry.ID) -> TokenPayload:
        async def write() -> TokenPayload:
            token = await accounts.revoke_token(required_id(id, "id"))
            return TokenPayload(token=Token.build(token))

        return await run(TokenPayload, write)

    @strawberry.mutation(
        description="A short-lived, read-only token that previews one post's drafts, for a "
        "frontend's preview link. Authors mint them for their own drafts.",
        extensions=[Requires(Permission.CREATE_CONTENT)],
    )
    async def create_preview_token(
        self,
        info: Info,
        post_id: strawberry.ID,
        expires_in_minutes: int = 60,
        locale: LocaleArg = None,
    ) -> TokenPayload:
        async def write() -> TokenPayload:
            context = info.context
            chain = context.chain(locale)
            ident = required_id(post_id, "postId")
            preview = await accounts.issue_preview_token(context.viewer, ident, expires_in_minutes)
            secret = preview.issued.secret
            shown = pick(preview.translations, chain) or preview.translations[0]
            url = context.settings.preview_link(secret, ident, shown["locale"], shown["slug"])
            return TokenPayload(
                token=Token.build(preview.issued.token), secret=secret, preview_url=url
            )

        return await run(TokenPayload, write)
