"""Signing in to the web app: passwords checked, sessions started, checked and ended.

A session is 256 random bits in an HttpOnly cookie; the database keeps only their SHA-256, so
a leaked table opens no session. A session ends when its person signs out, after
``session_idle_timeout`` seconds without a request, after ``session_max_age`` seconds in any
case, and at once when the account is disabled or its password is set again (those delete the
account's sessions in the same transaction).

Sign-in failures look alike: an unknown email, an account without a password, a disabled
account and a wrong password all give the same answer, after the same argon2 verification.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cms.models import Account, Session
from cms.services import passwords
from cms.services.accounts import hash_secret
from cms.services.permissions import Viewer
from cms.settings import Settings

COOKIE = "cinq_session"
# last_seen_at is written at most this often per session, not on every request.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
MAX_EMAIL = 254
MAX_USER_AGENT = 300


@dataclass(frozen=True)
class Lifetime:
    """How long sessions last: ``idle`` seconds without a request, ``max_age`` in all."""

    idle: int = Settings.session_idle_timeout
    max_age: int = Settings.session_max_age

    @classmethod
    def of(cls, settings: Settings) -> Lifetime:
        return cls(idle=settings.session_idle_timeout, max_age=settings.session_max_age)


async def sign_in(
    email: str, password: str, lifetime: Lifetime, user_agent: str = ""
) -> str | None:
    """A new session's secret when ``password`` is the password of ``email``'s account."""
    email = email.strip().lower()
    account = await Account.get_or_none(email=email) if 0 < len(email) <= MAX_EMAIL else None
    usable = account is not None and account.disabled_at is None and not account.is_service
    stored = account.password_hash if usable and account is not None else None
    if not await passwords.verify(stored, password) or account is None:
        return None
    if stored is not None and passwords.needs_rehash(stored):
        account.password_hash = await passwords.hash_password(password)
        await account.save(update_fields=["password_hash"])
    return await start(account.id, user_agent, lifetime=lifetime)


async def start(account_id: int, user_agent: str = "", *, lifetime: Lifetime = Lifetime()) -> str:
    """Open a session for an account; the cookie's value (shown once, never stored).

    The account's sessions that can no longer be used are deleted on the way.
    """
    secret = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await Session.filter(account_id=account_id, expires_at__lte=now).delete()
    await Session.filter(
        account_id=account_id, last_seen_at__lte=now - timedelta(seconds=lifetime.idle)
    ).delete()
    await Session.create(
        account_id=account_id,
        secret_hash=hash_secret(secret),
        expires_at=now + timedelta(seconds=lifetime.max_age),
        last_seen_at=now,
        user_agent=user_agent[:MAX_USER_AGENT],
    )
    return secret


async def authenticate(secret: str, lifetime: Lifetime) -> Viewer | None:
    """The signed-in person a cookie stands for, or None when its session is over."""
    if not 20 <= len(secret) <= 100:
        return None
    session = (
        await Session.filter(secret_hash=hash_secret(secret), account__disabled_at__isnull=True)
        .select_related("account")
        .first()
    )
    now = datetime.now(UTC)
    if session is None or not _live(session, now, lifetime):
        return None
    if now - session.last_seen_at > LAST_SEEN_RESOLUTION:
        await Session.filter(id=session.id).update(last_seen_at=now)
    account = session.account
    return Viewer.for_session(account.id, session.id, account.role, account.display_name)


async def is_live(session_id: int, lifetime: Lifetime) -> bool:
    """Whether a session still holds (long-lived connections ask now and then)."""
    session = await Session.filter(id=session_id, account__disabled_at__isnull=True).first()
    return session is not None and _live(session, datetime.now(UTC), lifetime)


async def end(secret: str) -> None:
    """Sign out: the session is deleted, and its cookie opens nothing from now on."""
    await Session.filter(secret_hash=hash_secret(secret)).delete()


async def end_all(account_id: int) -> int:
    """End every session of an account; how many there were."""
    return await Session.filter(account_id=account_id).delete()


def _live(session: Session, now: datetime, lifetime: Lifetime) -> bool:
    return session.expires_at > now and now - session.last_seen_at < timedelta(
        seconds=lifetime.idle
    )


async def of_account(account_id: int, lifetime: Lifetime) -> list[Session]:
    """The account's live sessions, the most recently used first."""
    now = datetime.now(UTC)
    found = await Session.filter(account_id=account_id).order_by("-last_seen_at", "-id")
    return [session for session in found if _live(session, now, lifetime)]


async def end_own(account_id: int, session_id: int) -> bool:
    """End one of the account's sessions; False when it has none of that id."""
    return bool(await Session.filter(id=session_id, account_id=account_id).delete())
