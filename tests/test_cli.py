"""The ``cms`` command as a user runs it: real processes, a real server, real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cms.demo import content
from cms.graphql.schema import sdl
from cms.models import Post, Revision, WebhookEndpoint
from tests.databases import fresh_database_url
from tests.servers import free_port

README_QUERY = (
    '{ posts(locale: "en-CA", first: 5) '
    "{ totalCount edges { node { title slug resolvedLocale isFallback } } } }"
)


def run_cms(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_schema_command_prints_the_sdl(tmp_path) -> None:
    result = run_cms("schema", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == sdl()


def test_several_workers_on_sqlite_are_refused(tmp_path) -> None:
    result = run_cms("serve", "--workers", "2", cwd=tmp_path, env={"CMS_DATABASE_URL": ""})
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert not (tmp_path / "cinq.sqlite3").exists()


def test_a_bad_setting_stops_start_up_naming_it(tmp_path) -> None:
    result = run_cms("migrate", cwd=tmp_path, env={"CMS_LOCALES": "fr_CA"})
    assert result.returncode == 2
    assert "CMS_LOCALES" in result.stderr


def test_migrate_creates_the_sqlite_file_and_is_idempotent(tmp_path) -> None:
    env = {"CMS_DATABASE_URL": ""}
    first = run_cms("migrate", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "cinq.sqlite3").stat().st_size > 0
    again = run_cms("migrate", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr


def _post(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _wait_until_up(port: int, server: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited early:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("server did not start in time")


@pytest.mark.server
async def test_serve_demo_answers_the_readme_query(backend, tmp_path) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        port = free_port()
        env = {**os.environ, "CMS_DATABASE_URL": url, "CMS_MEDIA_ROOT": str(tmp_path / "media")}
        server = subprocess.Popen(
            [sys.executable, "-m", "cms.cli", "serve", "--demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            _wait_until_up(port, server, time.monotonic() + 60)
            body = _post(port, README_QUERY)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=20)
        # uvicorn shuts down cleanly, then re-raises SIGTERM to report how it was stopped.
        assert server.returncode in (0, -15), output
        assert "Application shutdown complete" in output and "Traceback" not in output
        posts = body["data"]["posts"]
        assert posts["totalCount"] >= 8
        nodes = [edge["node"] for edge in posts["edges"]]
        assert len(nodes) == 5
        assert any(n["resolvedLocale"] == "en-CA" and not n["isFallback"] for n in nodes)
        assert all(n["isFallback"] == (n["resolvedLocale"] != "en-CA") for n in nodes)


async def test_webhooks_are_created_listed_and_deleted_from_the_command_line(
    settings, tmp_path
) -> None:
    env = {"CMS_DATABASE_URL": settings.database_url}
    created = run_cms(
        "webhook",
        "create",
        "--url",
        "https://hooks.example.com/cinq",
        "--event",
        "post.published",
        "--event",
        "media.ready",
        cwd=tmp_path,
        env=env,
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("whsec_") and len(secret.split()) == 1
    assert "shown only now" in created.stderr
    endpoint = await WebhookEndpoint.get(url="https://hooks.example.com/cinq")
    assert endpoint.secret == secret
    assert endpoint.events == ["post.published", "media.ready"]

    listed = run_cms("webhook", "list", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "https://hooks.example.com/cinq" in listed.stdout
    assert "post.published, media.ready" in listed.stdout
    assert secret not in listed.stdout + listed.stderr

    deleted = run_cms("webhook", "delete", str(endpoint.id), cwd=tmp_path, env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert await WebhookEndpoint.all().count() == 0
    again = run_cms("webhook", "delete", str(endpoint.id), cwd=tmp_path, env=env)
    assert again.returncode == 1 and "No webhook has id" in again.stderr


async def test_the_command_line_refuses_internal_urls_and_unknown_events(
    settings, tmp_path
) -> None:
    env = {"CMS_DATABASE_URL": settings.database_url}
    internal = run_cms(
        "webhook",
        "create",
        "--url",
        "http://169.254.169.254/",
        "--event",
        "post.published",
        cwd=tmp_path,
        env=env,
    )
    assert internal.returncode == 1
    assert "169.254.169.254, a link-local address" in internal.stderr
    unknown = run_cms(
        "webhook",
        "create",
        "--url",
        "https://hooks.example.com/",
        "--event",
        "post.exploded",
        cwd=tmp_path,
        env=env,
    )
    assert unknown.returncode == 2 and "post.exploded" in unknown.stderr
    allowed = run_cms(
        "webhook",
        "create",
        "--url",
        "http://10.0.0.8/hook",
        "--event",
        "post.published",
        cwd=tmp_path,
        env={**env, "CMS_WEBHOOK_ALLOW_PRIVATE": "true"},
    )
    assert allowed.returncode == 0, allowed.stderr
    assert [e.url for e in await WebhookEndpoint.all()] == ["http://10.0.0.8/hook"]


async def test_the_demo_is_written_once_with_the_history_of_each_post(settings, tmp_path) -> None:
    env = {"CMS_DATABASE_URL": settings.database_url, "CMS_MEDIA_ROOT": str(settings.media_root)}
    first = run_cms("demo", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Demo content: {len(content.POSTS)} posts added.\n"
    again = run_cms("demo", cwd=tmp_path, env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "Demo content already present.\n"

    posts = await Post.all().order_by("id")
    assert len(posts) == len(content.POSTS)
    for post, spec in zip(posts, content.POSTS, strict=True):
        history = await Revision.filter(post_id=post.id).order_by("version")
        written = ["create", "publish"] if spec["status"] == "published" else ["create"]
        assert [revision.action for revision in history] == written
        assert post.version == len(written)
