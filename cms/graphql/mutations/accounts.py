"""Mutations for accounts and tokens (administrators), and preview tokens (writers)."""

from __future__ import annotations

from dataclasses import field
from datetime import UTC, datetime, timedelta

import strawberry

from cms.graphql.accounts.types import Account, RoleEnum, Token, TokenScopeEnum
from cms.graphql.common import LocaleArg
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.ids import parse_id, required_id
from cms.graphql.mutations.payloads import DeletePayload, MutationError
from cms.graphql.mutations.posts import may_edit
from cms.graphql.permissions import Requires
from cms.models import Account as AccountModel
from cms.models import Author, Post, PostTranslation, Role, TokenScope
from cms.services import accounts
from cms.services.accounts import AccountError
from cms.services.errors import ContentError
from cms.services.locales import pick
from cms.services.permissions import Permission

MAX_PREVIEW = timedelta(days=7)


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


def _errors(error: Exception) -> list[MutationError]:
    if isinstance(error, BadUserInput):
        return [MutationError.from_input(error)]
    assert isinstance(error, ContentError | AccountError)
    return [MutationError.from_error(error)]


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
        try:
            author = parse_id(author_id, "authorId")
            if author is not None and not await Author.exists(id=author):
                raise AccountError("authorId", f"No author has id {author}.", code="NOT_FOUND")
            account = await accounts.create_account(
                email, display_name, Role(role), author_id=author
            )
        except (AccountError, BadUserInput) as error:
            return AccountPayload(errors=_errors(error))
        return AccountPayload(account=Account.build(account))

    @strawberry.mutation(
        description="Delete an account; its posts go to the account named by `reassignTo`.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def delete_account(
        self, info: Info, id: strawberry.ID, reassign_to: strawberry.ID
    ) -> DeletePayload:
        try:
            target = required_id(id, "id")
            if target == info.context.viewer.account_id:
                raise AccountError("id", "You cannot delete your own account.")
            await accounts.delete_account(target, required_id(reassign_to, "reassignTo"))
        except (AccountError, BadUserInput) as error:
            return DeletePayload(errors=_errors(error))
        return DeletePayload(deleted_id=id)

    @strawberry.mutation(
        description="Disable an account: its tokens and sessions stop working at once; its "
        "content stays. `active: true` enables it again.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def set_account_active(
        self, info: Info, id: strawberry.ID, active: bool
    ) -> AccountPayload:
        try:
            target = required_id(id, "id")
            if target == info.context.viewer.account_id and not active:
                raise AccountError("id", "You cannot disable your own account.")
            account = await accounts.set_disabled(target, not active)
        except (AccountError, BadUserInput) as error:
            return AccountPayload(errors=_errors(error))
        return AccountPayload(account=Account.build(account))

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
        try:
            if expires_at is not None and expires_at.utcoffset() is None:
                raise AccountError("expiresAt", "expiresAt needs a UTC offset.")
            account = await AccountModel.get_or_none(id=required_id(account_id, "accountId"))
            if account is None:
                raise AccountError("accountId", "No such account.", code="NOT_FOUND")
            issued = await accounts.issue_token(
                account, name, TokenScope(scope), expires_at=expires_at
            )
        except (AccountError, BadUserInput) as error:
            return TokenPayload(errors=_errors(error))
        return TokenPayload(token=Token.build(issued.token), secret=issued.secret)

    @strawberry.mutation(
        description="Revoke a token: it fails from its next use.",
        extensions=[Requires(Permission.MANAGE_ACCOUNTS)],
    )
    async def revoke_token(self, id: strawberry.ID) -> TokenPayload:
        try:
            token = await accounts.revoke_token(required_id(id, "id"))
        except (AccountError, BadUserInput) as error:
            return TokenPayload(errors=_errors(error))
        return TokenPayload(token=Token.build(token))

    @strawberry.mutation(
        description="A short-lived, read-only token that previews one post's drafts, for a "
        "frontend's preview link. Authors mint them for their own drafts.",
        extensions=[Requires(Permission.CREATE_POSTS)],
    )
    async def create_preview_token(
        self,
        info: Info,
        post_id: strawberry.ID,
        expires_in_minutes: int = 60,
        locale: LocaleArg = None,
    ) -> TokenPayload:
        context = info.context
        try:
            chain = context.chain(locale)
            ident = required_id(post_id, "postId")
            if not 1 <= expires_in_minutes <= MAX_PREVIEW.total_seconds() / 60:
                raise AccountError("expiresInMinutes", "A preview link lasts 1 minute to 7 days.")
            await may_edit(context, ident)
            post = await Post.get(id=ident)
            account = await AccountModel.get(id=context.viewer.account_id)
            issued = await accounts.issue_token(
                account,
                f"preview of post {ident}",
                TokenScope.PREVIEW,
                expires_at=datetime.now(UTC) + timedelta(minutes=expires_in_minutes),
                post=post,
            )
            translations = await PostTranslation.filter(post_id=ident).values("locale", "slug")
        except (AccountError, ContentError, BadUserInput) as error:
            return TokenPayload(errors=_errors(error))
        shown = pick(translations, chain) or translations[0]
        url = context.settings.preview_link(issued.secret, ident, shown["locale"], shown["slug"])
        return TokenPayload(token=Token.build(issued.token), secret=issued.secret, preview_url=url)
