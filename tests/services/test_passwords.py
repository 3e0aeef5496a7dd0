"""Passwords: argon2id hashes that carry their parameters, and limits on what may be set."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from cms.models import Account, Role
from cms.services import accounts, passwords, sessions
from tests.auth import make_account


async def test_a_password_is_stored_as_an_argon2id_hash_that_verifies() -> None:
    stored = await passwords.hash_password("réseautage du jeudi")

    assert stored.startswith("$argon2id$")
    assert await passwords.verify(stored, "réseautage du jeudi")
    assert not await passwords.verify(stored, "réseautage du vendredi")
    assert not await passwords.verify(None, "réseautage du jeudi")
    assert not await passwords.verify("not a hash", "réseautage du jeudi")


@pytest.mark.parametrize(("password", "reason"), [("7 chars", "at least 8"), ("x" * 1025, "most")])
async def test_too_short_or_too_long_passwords_are_refused(settings, password, reason) -> None:
    account = await make_account(Role.AUTHOR)

    with pytest.raises(accounts.AccountError, match=reason):
        await accounts.set_password(account.id, password)

    assert (await Account.get(id=account.id)).password_hash is None


async def test_a_hash_made_with_weaker_settings_is_upgraded_at_sign_in(settings) -> None:
    account = await make_account(Role.EDITOR)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    await Account.filter(id=account.id).update(password_hash=weak.hash("un mot de passe"))

    secret = await sessions.sign_in(account.email, "un mot de passe", sessions.Lifetime())

    assert secret is not None
    upgraded = (await Account.get(id=account.id)).password_hash
    assert not passwords.needs_rehash(upgraded)
    assert await passwords.verify(upgraded, "un mot de passe")


async def test_service_accounts_cannot_be_given_a_password(settings) -> None:
    service = await accounts.service_account(Role.EDITOR)

    with pytest.raises(accounts.AccountError, match="tokens"):
        await accounts.set_password(service.id, "a long enough password")
