"""``cms account …`` as an administrator runs it: real processes over the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cms.models import Account, Role, Session
from cms.services import sessions
from tests.auth import make_account

PASSWORD = "cinq à sept au Plateau"


def cms(settings, tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", "account", *args],
        cwd=tmp_path,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_an_account_made_with_a_password_can_sign_in(settings, tmp_path) -> None:
    result = cms(
        settings,
        tmp_path,
        "create",
        "--email",
        "Alice@Example.test",
        "--name",
        "Alice",
        "--role",
        "editor",
        "--password",
        stdin=PASSWORD + "\n",
    )

    assert result.returncode == 0, result.stderr
    assert "sign in at /admin" in result.stdout
    account = await Account.get(email="alice@example.test")
    assert account.role is Role.EDITOR
    assert PASSWORD not in account.password_hash
    assert account.password_hash.startswith("$argon2id$")
    lifetime = sessions.Lifetime.of(settings)
    assert await sessions.sign_in("alice@example.test", PASSWORD, lifetime) is not None
    assert await sessions.sign_in("alice@example.test", PASSWORD + "!", lifetime) is None


def test_a_password_is_never_taken_from_the_command_line(settings, tmp_path) -> None:
    result = cms(
        settings,
        tmp_path,
        "create",
        "--email",
        "bob@example.test",
        "--name",
        "Bob",
        "--role",
        "author",
        "--password",
        PASSWORD,
    )

    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


async def test_a_short_password_is_refused_and_no_account_is_made(settings, tmp_path) -> None:
    result = cms(
        settings,
        tmp_path,
        "create",
        "--email",
        "carole@example.test",
        "--name",
        "Carole",
        "--role",
        "author",
        "--password",
        stdin="short\n",
    )

    assert result.returncode == 1
    assert "at least 8 characters" in result.stderr
    assert not await Account.exists(email="carole@example.test")


async def test_setting_a_password_again_ends_every_session(settings, tmp_path) -> None:
    account = await make_account(Role.AUTHOR)
    await sessions.start(account.id)
    await sessions.start(account.id)

    result = cms(settings, tmp_path, "set-password", account.email, stdin=PASSWORD + "\n")

    assert result.returncode == 0, result.stderr
    assert await Session.filter(account_id=account.id).count() == 0
    lifetime = sessions.Lifetime.of(settings)
    assert await sessions.sign_in(account.email, PASSWORD, lifetime) is not None


async def test_disabling_an_account_ends_its_sessions_and_enabling_lets_it_sign_in(
    settings, tmp_path
) -> None:
    account = await make_account(Role.EDITOR)
    secret = await sessions.start(account.id)
    lifetime = sessions.Lifetime.of(settings)
    cms(settings, tmp_path, "set-password", account.email, stdin=PASSWORD + "\n")

    disabled = cms(settings, tmp_path, "disable", account.email)
    listed = cms(settings, tmp_path, "list")

    assert disabled.returncode == 0, disabled.stderr
    assert await sessions.authenticate(secret, lifetime) is None
    assert await sessions.sign_in(account.email, PASSWORD, lifetime) is None
    assert account.email in listed.stdout and "disabled" in listed.stdout

    enabled = cms(settings, tmp_path, "enable", account.email)

    assert enabled.returncode == 0, enabled.stderr
    assert await sessions.sign_in(account.email, PASSWORD, lifetime) is not None


def test_an_unknown_account_is_named(settings, tmp_path) -> None:
    result = cms(settings, tmp_path, "set-password", "ghost@example.test", stdin=PASSWORD + "\n")

    assert result.returncode == 1
    assert "No account uses ghost@example.test" in result.stderr
