"""``cms account …`` as an administrator runs it: real processes over the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cms.models import Account, ApiToken, Role, Session, TokenScope
from cms.services import accounts, sessions
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


def token(settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", "token", "create", "--role", "editor", *args],
        cwd=tmp_path,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("days", "says"),
    [
        ("0", "0 is not between 1 and 36500 days; leave it out for a token that never"),
        ("-7", "-7 is not between 1 and 36500 days"),
        ("36501", "36501 is not between 1 and 36500 days"),
        ("99999999999", "99999999999 is not between 1 and 36500 days"),  # past year 9999
        ("ten", "'ten' is not a whole number of days"),
    ],
)
async def test_a_token_lifetime_that_is_not_a_positive_number_of_days_is_refused(
    settings, tmp_path, days: str, says: str
) -> None:
    result = token(settings, tmp_path, "--name", "ci", "--expires-in", days)

    assert result.returncode == 2
    assert f"argument --expires-in: {says}" in result.stderr
    assert result.stdout == ""
    assert await ApiToken.all().count() == 0


async def test_a_token_made_to_expire_expires_that_many_days_from_now(settings, tmp_path) -> None:
    before = datetime.now(UTC)
    month = token(settings, tmp_path, "--name", "a month", "--expires-in", "30")
    century = token(settings, tmp_path, "--name", "a century", "--expires-in", "36500")
    forever = token(settings, tmp_path, "--name", "no end")
    after = datetime.now(UTC)

    for result in (month, century, forever):
        assert result.returncode == 0, result.stderr
    expiries = dict(await ApiToken.all().values_list("name", "expires_at"))
    assert before + timedelta(days=30) <= expiries["a month"] <= after + timedelta(days=30)
    assert before + timedelta(days=36500) <= expiries["a century"] <= after + timedelta(days=36500)
    assert expiries["no end"] is None
    assert await accounts.authenticate(month.stdout.strip()) is not None


async def test_the_token_list_shows_each_tokens_role_scope_and_expiry(settings, tmp_path) -> None:
    editor = await make_account(Role.EDITOR)
    author = await make_account(Role.AUTHOR)
    await accounts.issue_token(editor, "site build", TokenScope.READ)
    await accounts.issue_token(
        author,
        "guest writer",
        TokenScope.FULL,
        expires_at=datetime(2031, 5, 1, 12, 0, tzinfo=UTC),
    )
    result = subprocess.run(
        [sys.executable, "-m", "cms.cli", "token", "list"],
        cwd=tmp_path,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == [
        "id", "prefix", "name", "account", "role", "scope", "expires", "state",
    ]  # fmt: skip
    by_name = {row.split()[2] + " " + row.split()[3]: row.split() for row in rows}
    assert by_name["site build"][4:9] == [editor.email, "editor", "read", "never", "unused"]
    assert by_name["guest writer"][4:9] == [author.email, "author", "full", "2031-05-01", "12:00Z"]
