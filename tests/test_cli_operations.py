"""What the ``cms`` command tells an operator: pending migrations, a mistyped variable, its
version, and two migrations started at once. Real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest

from cms import __version__
from tests.databases import BACKENDS, POSTGRES_URL, fresh_database_url
from tests.migrating import ROOT
from tests.servers import free_port


@pytest.fixture(params=BACKENDS)
async def site(request, tmp_path) -> AsyncIterator[dict[str, str]]:
    """The environment of a site whose database exists but was never migrated."""
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("set CMS_TEST_POSTGRES_URL to run the PostgreSQL tests")
    async with fresh_database_url(request.param, tmp_path) as url:
        yield {"CMS_DATABASE_URL": url, "CMS_MEDIA_ROOT": str(tmp_path / "media")}


def cms(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_check_exits_1_while_migrations_are_pending(site) -> None:
    pending = cms("migrate", "--check", env=site)
    assert pending.returncode == 1
    assert "migration(s) pending: 0001_initial" in pending.stdout
    assert cms("migrate", env=site).returncode == 0
    done = cms("migrate", "--check", env=site)
    assert done.returncode == 0
    assert done.stdout.startswith("Up to date (")


def test_migrate_list_shows_what_is_applied(site) -> None:
    before = cms("migrate", "--list", env=site).stdout.splitlines()
    assert before[0] == "[ ] 0001_initial"
    assert all(line.startswith("[ ] ") for line in before)
    cms("migrate", env=site)
    after = cms("migrate", "--list", env=site).stdout.splitlines()
    assert after == [line.replace("[ ]", "[x]") for line in before]


def test_serve_refuses_a_database_with_pending_migrations(site) -> None:
    result = cms("serve", "--port", "1", env=site)
    assert result.returncode == 2
    assert "run `cms migrate` first, or start with `cms serve --migrate`" in result.stderr


def test_two_migrations_started_together_both_succeed(site) -> None:
    command = [sys.executable, "-m", "cms.cli", "migrate"]
    processes = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **site},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0, 0], results
    assert cms("migrate", "--check", env=site).returncode == 0


def test_a_mistyped_variable_is_reported_with_the_closest_name(site) -> None:
    result = cms("migrate", "--check", env={**site, "CMS_DATABSE_URL": "sqlite:///x"})
    assert (
        "cms: warning: CMS_DATABSE_URL is not a Cinq setting; did you mean CMS_DATABASE_URL?"
        in (result.stderr)
    )


def test_version_prints_the_installed_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cms.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"cinq {__version__}"
    assert __version__[0].isdigit()


def test_an_unreachable_database_is_named_at_start(tmp_path) -> None:
    closed = f"postgres://cinq:s3cret@127.0.0.1:{free_port()}/cinq"
    for command in (["migrate"], ["serve", "--port", str(free_port())], ["migrate", "--check"]):
        result = cms(*command, env={"CMS_DATABASE_URL": closed})
        assert result.returncode == 2, command
        assert result.stderr.startswith("cms: cannot reach the database at postgres://cinq:***@")
        assert "s3cret" not in result.stderr
        assert "Traceback" not in result.stderr
    unwritable = tmp_path / "file"
    unwritable.write_text("")
    result = cms("migrate", env={"CMS_DATABASE_URL": f"sqlite://{unwritable}/cinq.sqlite3"})
    assert result.returncode == 2
    assert result.stderr.startswith("cms: cannot open the SQLite database")
