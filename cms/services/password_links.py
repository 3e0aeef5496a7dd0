"""One-time links to set a password, so that people are invited and helped back in without a
mail server: an administrator (or ``cms account password-link``) makes the link and hands it
over; whoever opens it chooses the password, once.

A link carries 256 random bits, of which only a SHA-256 is stored. It works once, for
``LIFETIME``; making a new one for the same account ends the ones made before. Setting the
password ends the account's sessions, as any password change does.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from cms.models import Account, PasswordLink
from cms.services import accounts, passwords
from cms.services.accounts import AccountError
from cms.services.permissions import SYSTEM, Viewer

LIFETIME = timedelta(days=7)
PATH = "/admin/password/"


@dataclass(frozen=True)
class IssuedLink:
    account: Account
    secret: str
    expires_at: datetime

    @property
    def path(self) -> str:
        """Where the link leads on this server: ``/admin/password/<secret>``."""
        return f"{PATH}{self.secret}"


async def issue(account_id: int, *, by: Viewer = SYSTEM) -> IssuedLink:
    """A new link for the account; links made before for it stop working."""
    secret = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + LIFETIME
    async with in_transaction():
        account = await Account.get_or_none(id=account_id)
        if account is None:
            raise AccountError("accountId", f"No account has id {account_id}.", code="NOT_FOUND")
        if account.is_service:
            raise AccountError("accountId", "Service accounts sign in with tokens, not passwords.")
        if account.disabled_at is not None:
            raise AccountError("accountId", "The account is disabled: enable it first.")
        await PasswordLink.filter(account_id=account_id, used_at=None).delete()
        await PasswordLink.create(
            account_id=account_id,
            secret_hash=accounts.hash_secret(secret),
            expires_at=expires_at,
            created_by_id=by.account_id,
        )
    return IssuedLink(account=account, secret=secret, expires_at=expires_at)


async def account_for(secret: str) -> Account | None:
    """The account whose password the link sets, while it still works; else None."""
    link = await _usable(secret)
    return None if link is None else await Account.get_or_none(id=link.account_id)


async def use(secret: str, password: str) -> Account:
    """Set the account's password through the link, which then stops working."""
    try:
        passwords.check(password)
    except passwords.WeakPassword as error:
        raise AccountError("password", str(error)) from None
    hashed = await passwords.hash_password(password)  # slow: outside the transaction
    async with in_transaction():
        link = await _usable(secret, lock=True)
        if link is None:
            raise AccountError("secret", "This link has expired or has already been used.")
        updated = await PasswordLink.filter(id=link.id, used_at=None).update(
            used_at=datetime.now(UTC)
        )
        if not updated:  # another request used it first
            raise AccountError("secret", "This link has expired or has already been used.")
        account = await accounts.store_password_hash(link.account_id, hashed)
    return account


async def _usable(secret: str, *, lock: bool = False) -> PasswordLink | None:
    """The link of ``secret`` while it works: unused, unexpired, its account enabled."""
    if not secret or len(secret) > 100:
        return None
    found = PasswordLink.filter(
        secret_hash=accounts.hash_secret(secret), used_at=None, expires_at__gt=datetime.now(UTC)
    )
    link = await (found.select_for_update() if lock else found).first()
    if link is None or await Account.filter(id=link.account_id, disabled_at=None).count() == 0:
        return None
    return link
