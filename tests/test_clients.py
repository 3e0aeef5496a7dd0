"""Real GraphQL clients (Apollo Client, urql with graphcache, run by Node) against a live
server: with their default identities, a post read in English replaces the French one in the
client's cache; with the type policies the README gives, both stay."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cms.models import PostStatus, Role, TokenScope
from cms.services import accounts
from tests.auth import make_account
from tests.factories import make_category, make_post
from tests.servers import app_server

pytestmark = pytest.mark.server

CLIENTS = Path(__file__).parent / "clients"
OPERATIONS = Path(__file__).parents[1] / "schema" / "operations"
NODE = shutil.which("node")


def _in_clients(argv: list[str]) -> subprocess.CompletedProcess:
    """``argv`` run in the clients' folder (where their packages are), its output kept."""
    return subprocess.run(
        argv, cwd=CLIENTS, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def node() -> str:
    if NODE is None or not (CLIENTS / "node_modules").is_dir():
        pytest.skip(f"needs Node.js and `npm ci --prefix {CLIENTS}` (as CI runs)")
    return NODE


async def test_translated_objects_keep_apart_in_client_caches_with_the_readme_policies(
    settings, node
) -> None:
    category = await make_category({"fr-CA": "Réseautage", "en-CA": "Networking"})
    post = await make_post(
        status=PostStatus.PUBLISHED,
        category=category,
        translations={
            "fr-CA": {"title": "Le 5 à 7 du mercredi", "slug": "le-5-a-7"},
            "en-CA": {"title": "Wednesday 5-to-7", "slug": "wednesday-5-to-7"},
        },
    )
    async with app_server(settings) as url:
        ran = _in_clients([node, "locale_round_trip.mjs", f"{url}/graphql", str(post.id)])
    assert ran.returncode == 0, ran.stderr
    results = json.loads(ran.stdout)
    french = {"title": "Le 5 à 7 du mercredi", "category": "Réseautage"}
    english = {"title": "Wednesday 5-to-7", "category": "Networking"}
    # The trap: cached by typename and id, the English read overwrote the French post.
    assert results["apolloDefault"] == english
    assert results["urqlDefault"] == english
    # Keyed by id and requestedLocale, the French post is still French.
    assert results["apolloWithPolicies"] == french
    assert results["urqlWithKeys"] == french


async def test_apollo_runs_the_sites_operations_in_strict_mode_by_hash_or_manifest(
    settings, node, tmp_path
) -> None:
    await make_post(status=PostStatus.PUBLISHED)
    manifest = tmp_path / "manifest.json"
    written = subprocess.run(
        [sys.executable, "-m", "cms.cli", "operations", "manifest", "--output", str(manifest)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    assert json.loads(manifest.read_text())["format"] == "apollo-persisted-query-manifest"
    async with app_server(settings, CMS_PERSISTED_QUERIES="strict") as url:
        front_page = str(OPERATIONS / "FrontPage.graphql")
        ran = _in_clients([node, "strict_mode.mjs", f"{url}/graphql", front_page, str(manifest)])
    assert ran.returncode == 0, ran.stderr
    results = json.loads(ran.stdout)
    # By hash: Apollo hashes the document as it sends it (printed, __typename added), and the
    # server knows the site's operations in that form too: one GET, no text.
    assert results["automatic"] == {"posts": 1}
    assert results["automaticSent"] == [{"method": "GET", "query": False}]
    # By the manifest: the id alone, from the first request.
    assert results["fromManifest"] == {"posts": 1}
    assert [request["query"] for request in results["manifestSent"]] == [False]
    # Anything else is still refused to an anonymous client.
    assert results["unknown"] == {"error": "PERSISTED_QUERY_REQUIRED"}


async def test_graphql_request_writes_and_graphql_ws_hears_it(settings, node) -> None:
    post = await make_post(
        status=PostStatus.PUBLISHED,
        translations={"fr-CA": {"title": "Avant", "slug": "avant"}},
        locales=("fr-CA",),
    )
    token = (
        await accounts.issue_token(await make_account(Role.EDITOR), "clients", TokenScope.FULL)
    ).secret
    async with app_server(settings, CMS_CHANGE_POLL_INTERVAL="0.1") as url:
        ran = _in_clients(
            [node, "request_and_subscribe.mjs", f"{url}/graphql", str(post.id), token]
        )
    assert ran.returncode == 0, ran.stderr
    results = json.loads(ran.stdout)
    assert results["read"] == "Avant"
    assert results["written"] == {"post": {"title": "Renommé"}, "errors": []}
    assert results["change"] == {"kind": "POST", "id": str(post.id), "action": "UPDATED"}


@pytest.mark.usefixtures("node")
def test_graphql_code_generator_types_the_sites_operations() -> None:
    """GraphQL Code Generator reads schema/ (the SDL and the site's operations) and writes
    TypeScript that compiles strictly: the exported schema is what a frontend builds on."""
    npx = shutil.which("npx")
    assert npx is not None
    generated = CLIENTS / "generated" / "operations.ts"
    made = _in_clients([npx, "graphql-codegen", "--config", "codegen.yml"])
    assert made.returncode == 0, made.stdout + made.stderr
    try:
        text = generated.read_text()
        assert "export type FrontPageQuery = " in text
        assert "export type PostPageQueryVariables = " in text
        compiled = _in_clients([npx, "tsc", "--noEmit", "--strict", str(generated)])
        assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    finally:
        shutil.rmtree(generated.parent, ignore_errors=True)


async def test_the_graphql_over_http_audit_passes_in_production_for_an_editor(
    settings, node
) -> None:
    token = (
        await accounts.issue_token(await make_account(Role.EDITOR), "audit", TokenScope.FULL)
    ).secret
    async with app_server(settings) as url:  # debug off: production
        ran = _in_clients([node, "graphql_http_audit.mjs", f"{url}/graphql", token])
        async with httpx.AsyncClient() as http:
            anonymous = await http.post(
                f"{url}/graphql", json={"query": "{ __schema { queryType { name } } }"}
            )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(ran.stdout) == {"total": 61, "ok": 61, "notice": 0, "warn": 0, "error": 0}
    assert "introspection" in anonymous.json()["errors"][0]["message"].lower()
