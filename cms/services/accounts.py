"""Accounts and API tokens: creation, passwords, authentication, revocation.

A token is ``cinq_`` followed by 43 URL-safe characters (256 random bits). Only its SHA-256 is
stored, so a leaked database reveals no usable token, and lookups stay a single indexed read
(a slow password hash would add nothing against 256 random bits). The secret is returned once,
at creation. Passwords, which people choose, get argon2id instead (:mod:`cms.services.passwords`).

A disabled account keeps its content, but its tokens and sessions stop working at once.

The functions that take a caller (``by``, ``viewer``) check what that caller may do here, in
the write's transaction; commands and scripts call them as the server itself.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeGuard

from tortoise.transactions import in_transaction

from cms.models import Account, ApiToken, Author, Post, PostTranslation, Role, Session, TokenScope
from cms.services import passwords
from cms.services.permissions import SYSTEM, Viewer
from cms.services.post_rights import Action, require

TOKEN_PREFIX = "cinq_"  # noqa: S105 - a marker, not a secret
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_PREVIEW = timedelta(days=7)


class AccountError(ValueError):
    """A request about accounts or tokens that cannot be carried out; says which field."""

    def __init__(self, field: str, message: str, code: str = "INVALID") -> None:
        super().__init__(message)
        self.field = field
        self.code = code


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@dataclass(frozen=True)
class IssuedPreview:
    """A preview token, and the post's translations (``locale``, ``slug``) its link may show."""

    issued: IssuedToken
    translations: list[dict[str, str]]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_account(
    email: str,
    display_name: str,
    role: Role,
    *,
    author_id: int | None = None,
    password: str | None = None,
) -> Account:
    """A person's account; with ``password``, one that can sign in to the web app."""
    if author_id is not None and not await Author.exists(id=author_id):
        raise AccountError("authorId", f"No author has id {author_id}.", code="NOT_FOUND")
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError("email", f"{email!r} is not an email address.")
    hashed = await _hash(password) if password is not None else None
    if await Account.exists(email=email):
        raise AccountError("email", f"An account already uses {email}.", code="CONFLICT")
    return await Account.create(
        email=email,
        display_name=display_name.strip() or email,
        role=role,
        author_id=author_id,
        password_hash=hashed,
        password_changed_at=datetime.now(UTC) if hashed else None,
    )


async def _hash(password: str) -> str:
    try:
        return await passwords.hash_password(password)
    except passwords.WeakPassword as error:
        raise AccountError("password", str(error)) from None


async def set_password(account_id: int, password: str) -> None:
    """Set (or reset) a person's password; every session of the account ends with it."""
    hashed = await _hash(password)
    async with in_transaction():
        await store_password_hash(account_id, hashed)


async def change_own_password(viewer: Viewer, current: str, new: str) -> Account:
    """A signed-in person changes their password, giving the current one; their other
    sessions end, the one they are using goes on."""
    if viewer.account_id is None or viewer.session_id is None:
        raise AccountError("currentPassword", "Sign in to the web app to change your password.")
    account = await Account.get(id=viewer.account_id)
    if not await passwords.verify(account.password_hash, current):
        raise AccountError("currentPassword", "The current password is not right.")
    try:
        hashed = await passwords.hash_password(new)
    except passwords.WeakPassword as error:
        raise AccountError("newPassword", str(error)) from None
    async with in_transaction():
        return await store_password_hash(account.id, hashed, keep_session=viewer.session_id)


async def store_password_hash(
    account_id: int, hashed: str, *, keep_session: int | None = None
) -> Account:
    """Inside the caller's transaction: the account's new password (already hashed: hashing
    is slow, and holds no transaction open); every session of the account ends with it, but
    ``keep_session``."""
    account = await Account.get_or_none(id=account_id)
    if account is None:
        raise AccountError("id", f"No account has id {account_id}.", code="NOT_FOUND")
    if account.is_service:
        raise AccountError("id", "Service accounts sign in with tokens, not passwords.")
    account.password_hash = hashed
    account.password_changed_at = datetime.now(UTC)
    await account.save(update_fields=["password_hash", "password_changed_at", "updated_at"])
    await Session.filter(account_id=account_id).exclude(id=keep_session or 0).delete()
    return account


async def set_disabled(account_id: int, disabled: bool, *, by: Viewer = SYSTEM) -> Account:
    """Disable an account (its tokens and sessions stop working at once) or enable it again;
    nobody disables their own (they would lock themselves out)."""
    if disabled and account_id == by.account_id:
        raise AccountError("id", "You cannot disable your own account.")
    async with in_transaction():
        account = await Account.get_or_none(id=account_id)
        if account is None:
            raise AccountError("id", f"No account has id {account_id}.", code="NOT_FOUND")
        if disabled and account.disabled_at is None:
            account.disabled_at = datetime.now(UTC)
        elif not disabled:
            account.disabled_at = None
        await account.save(update_fields=["disabled_at", "updated_at"])
        if disabled:
            await Session.filter(account_id=account_id).delete()
    return account


async def set_role(account_id: int, role: Role, *, by: Viewer = SYSTEM) -> Account:
    """Change a person's role; nobody changes their own (an administrator could lock every
    administrator out)."""
    if account_id == by.account_id:
        raise AccountError("id", "You cannot change your own role.")
    async with in_transaction():
        account = await Account.select_for_update().get_or_none(id=account_id)
        if account is None:
            raise AccountError("id", f"No account has id {account_id}.", code="NOT_FOUND")
        if account.is_service:
            raise AccountError("id", "A service account's role is its tokens' role.")
        account.role = role
        await account.save(update_fields=["role", "updated_at"])
    return account


async def end_sessions(account_id: int) -> Account:
    """End every session of the account in the web app; its tokens still work."""
    async with in_transaction():
        account = await Account.get_or_none(id=account_id)
        if account is None:
            raise AccountError("id", f"No account has id {account_id}.", code="NOT_FOUND")
        await Session.filter(account_id=account_id).delete()
    return account


async def service_account(role: Role) -> Account:
    """The service account of ``role`` that holds command-line tokens, made on first use."""
    email = f"{role.value}@service.cinq.invalid"
    account = await Account.get_or_none(email=email)
    if account is None:
        account = await Account.create(
            email=email, display_name=f"{role.value.title()} service", role=role, is_service=True
        )
    return account


async def issue_token(
    account: Account,
    name: str,
    scope: TokenScope = TokenScope.FULL,
    *,
    expires_at: datetime | None = None,
    post: Post | None = None,
) -> IssuedToken:
    if not name.strip():
        raise AccountError("name", "A token needs a name saying what it is for.")
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise AccountError("expiresAt", "The expiry must be in the future.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        account=account,
        name=name.strip(),
        scope=scope,
        token_hash=hash_secret(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        expires_at=expires_at,
        post=post,
    )
    return IssuedToken(token=token, secret=secret)


async def authenticate(secret: str) -> Viewer | None:
    """The viewer a bearer secret stands for, or None when it is unknown, expired or revoked.

    Revocation and expiry are checked on every request: a revoked token fails on its next use.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        await ApiToken.filter(
            token_hash=hash_secret(secret),
            revoked_at__isnull=True,
            account__disabled_at__isnull=True,
        )
        .select_related("account")
        .first()
    )
    now = datetime.now(UTC)
    if not _live(token, now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        await ApiToken.filter(id=token.id).update(last_used_at=now)
    account = token.account
    return Viewer.for_token(account.id, token.id, account.role, token.scope, token.post_id)


async def issue_token_to(
    account_id: int, name: str, scope: TokenScope, *, expires_at: datetime | None = None
) -> IssuedToken:
    """A new token of the account with id ``account_id``."""
    if expires_at is not None and expires_at.utcoffset() is None:
        raise AccountError("expiresAt", "expiresAt needs a UTC offset.")
    account = await Account.get_or_none(id=account_id)
    if account is None:
        raise AccountError("accountId", "No such account.", code="NOT_FOUND")
    return await issue_token(account, name, scope, expires_at=expires_at)


async def issue_preview_token(viewer: Viewer, post_id: int, minutes: int) -> IssuedPreview:
    """A read-only token of ``viewer`` that previews one post's drafts for ``minutes``; those
    who may edit the post (authors: their own drafts) mint one."""
    if not 1 <= minutes <= MAX_PREVIEW.total_seconds() / 60:
        raise AccountError("expiresInMinutes", "A preview link lasts 1 minute to 7 days.")
    async with in_transaction():
        post = await require(viewer, post_id, Action.EDIT)
        account = await Account.get(id=viewer.account_id)
        issued = await issue_token(
            account,
            f"preview of post {post_id}",
            TokenScope.PREVIEW,
            expires_at=datetime.now(UTC) + timedelta(minutes=minutes),
            post=post,
        )
        translations = await PostTranslation.filter(post_id=post_id).values("locale", "slug")
    return IssuedPreview(issued, translations)


async def revoke_token(token_id: int) -> ApiToken:
    token = await ApiToken.get_or_none(id=token_id)
    if token is None:
        raise AccountError("id", f"No token has id {token_id}.", code="NOT_FOUND")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        await token.save(update_fields=["revoked_at"])
    return token


async def delete_account(account_id: int, reassign_to: int, *, by: Viewer = SYSTEM) -> None:
    """Delete an account, handing its posts to another; its tokens go with it. Nobody deletes
    their own account."""
    if account_id == by.account_id:
        raise AccountError("id", "You cannot delete your own account.")
    if account_id == reassign_to:
        raise AccountError("reassignTo", "Content cannot be handed to the account being deleted.")
    async with in_transaction():
        account = await Account.get_or_none(id=account_id)
        heir = await Account.get_or_none(id=reassign_to)
        if account is None:
            raise AccountError("id", f"No account has id {account_id}.", code="NOT_FOUND")
        if heir is None:
            raise AccountError("reassignTo", f"No account has id {reassign_to}.", code="NOT_FOUND")
        await Post.filter(created_by_id=account_id).update(created_by_id=reassign_to)
        await account.delete()


async def token_is_live(token_id: int) -> bool:
    """Whether a token still works: not revoked, not expired (long-lived connections ask)."""
    token = await ApiToken.filter(
        id=token_id, revoked_at__isnull=True, account__disabled_at__isnull=True
    ).first()
    return _live(token, datetime.now(UTC))


def _live(token: ApiToken | None, now: datetime) -> TypeGuard[ApiToken]:
    """Found unrevoked (the caller's query says so) and not past its expiry."""
    return token is not None and (token.expires_at is None or token.expires_at > now)
