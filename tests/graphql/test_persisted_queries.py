"""Automatic persisted queries (Apollo's protocol), and the strict allow-list mode."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from cms.admin import OPERATIONS as APP_OPERATIONS
from cms.app import create_app
from cms.graphql import persisted
from cms.models import PersistedQuery, Role
from cms.services import sessions
from tests.auth import caller, make_account
from tests.factories import make_post

OPERATIONS = Path(__file__).parents[2] / "schema" / "operations"
QUERY = 'query Titles { posts(locale: "fr-CA") { nodes { title } } }'


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _extensions(digest: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def _get(digest: str, **variables: object) -> str:
    params = {"extensions": json.dumps(_extensions(digest))}
    if variables:
        params["variables"] = json.dumps(variables)
    return "/graphql?" + urlencode(params)


@pytest.fixture
async def strict(settings):
    app = create_app(
        dataclasses.replace(settings, persisted_queries="strict"), manage_database=False
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield http


async def test_an_unknown_hash_asks_for_the_query_then_runs_by_hash(client) -> None:
    await make_post(translations={"fr-CA": {"title": "Réseautage", "slug": "reseautage"}})
    digest = _sha(QUERY)

    miss = await client.get(_get(digest))
    assert miss.status_code == 200
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert miss.headers["cache-control"] == "no-store"

    registered = await client.post(
        "/graphql", json={"query": QUERY, "extensions": _extensions(digest)}
    )
    assert registered.json()["data"]["posts"]["nodes"] == [{"title": "Réseautage"}]

    by_hash = await client.get(_get(digest))
    assert by_hash.json()["data"]["posts"]["nodes"] == [{"title": "Réseautage"}]
    assert by_hash.headers["cache-control"].startswith("public")
    again = await client.get(_get(digest), headers={"if-none-match": by_hash.headers["etag"]})
    assert again.status_code == 304


async def test_a_hash_that_does_not_match_its_query_is_refused(client) -> None:
    response = await client.post(
        "/graphql", json={"query": QUERY, "extensions": _extensions(_sha(QUERY + " "))}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    by_hash = await client.get(_get(_sha(QUERY + " ")))
    assert by_hash.json()["errors"][0]["message"] == "PersistedQueryNotFound"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
    ],
)
async def test_malformed_persisted_query_extensions_are_refused(client, extensions) -> None:
    response = await client.post("/graphql", json={"extensions": extensions})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_INVALID"


async def test_the_sites_operations_are_known_by_hash_from_the_start(client) -> None:
    await make_post(translations={"en-CA": {"title": "Networking", "slug": "networking"}})
    front_page = (OPERATIONS / "FrontPage.graphql").read_text()

    response = await client.get(_get(_sha(front_page), locale="en-CA", first=5))

    assert response.status_code == 200, response.text
    titles = [edge["node"]["title"] for edge in response.json()["data"]["posts"]["edges"]]
    assert titles == ["Networking"]


async def test_strict_mode_lets_anonymous_clients_run_only_the_sites_operations(
    strict, settings
) -> None:
    await make_post(translations={"en-CA": {"title": "Networking", "slug": "networking"}})
    front_page = (OPERATIONS / "FrontPage.graphql").read_text()

    by_hash = await strict.get(_get(_sha(front_page), locale="en-CA"))
    by_text = await strict.post(
        "/graphql", json={"query": front_page, "variables": {"locale": "en-CA"}}
    )
    other = await strict.post("/graphql", json={"query": QUERY})
    register = await strict.post(
        "/graphql", json={"query": QUERY, "extensions": _extensions(_sha(QUERY))}
    )
    unknown = await strict.get(_get(_sha(QUERY)))

    assert by_hash.json()["data"]["posts"]["totalCount"] == 1
    assert by_text.json()["data"]["posts"]["totalCount"] == 1
    for refused in (other, register):
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_strict_mode_lets_callers_with_a_token_run_anything(strict) -> None:
    editor = await caller(strict, Role.EDITOR)
    await make_post(translations={"fr-CA": {"title": "Un", "slug": "un"}})

    assert (await editor.data(QUERY))["posts"]["nodes"] == [{"title": "Un"}]
    registered = await strict.post(
        "/graphql",
        json={"query": QUERY, "extensions": _extensions(_sha(QUERY))},
        headers=editor.headers,
    )
    assert registered.json()["data"]["posts"]["nodes"] == [{"title": "Un"}]


async def test_persisted_queries_can_be_turned_off(settings) -> None:
    app = create_app(dataclasses.replace(settings, persisted_queries="off"), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cinq.test"
    ) as http:
        response = await http.get(_get(_sha(QUERY)))
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotSupported"


async def test_a_document_that_does_not_parse_is_not_registered(client) -> None:
    broken = "query { posts { "
    sent = await client.post(
        "/graphql", json={"query": broken, "extensions": _extensions(_sha(broken))}
    )
    by_hash = await client.get(_get(_sha(broken)))

    assert "Syntax Error" in sent.json()["errors"][0]["message"]
    assert by_hash.json()["errors"][0]["message"] == "PersistedQueryNotFound"


async def test_the_writers_app_runs_its_own_operations_in_strict_mode(strict) -> None:
    account = await make_account(Role.EDITOR)
    cookie = f"{sessions.COOKIE}={await sessions.start(account.id)}"
    text = (APP_OPERATIONS / "AppContext.graphql").read_text()
    unknown = "query Mine { viewer { email } }"

    known = await strict.post(
        "/graphql",
        json={"operationName": "AppContext", "extensions": _extensions(_sha(text))},
        headers={"cookie": cookie, "x-cinq-csrf": "1", "origin": "http://cinq.test"},
    )
    anonymous = await strict.post("/graphql", json={"query": unknown})

    assert known.status_code == 200, known.text
    assert known.json()["data"]["viewer"]["email"] == account.email
    assert anonymous.status_code == 403
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


async def test_a_query_with_a_lone_surrogate_is_refused_not_a_500(client) -> None:
    # JSON may escape a lone surrogate, which has no UTF-8 form to hash.
    body = (
        '{"query": "{ locales { code } } # \\ud800", "extensions": {"persistedQuery": '
        '{"version": 1, "sha256Hash": "' + "0" * 64 + '"}}}'
    )
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "lone surrogate" in error["message"]


async def test_a_query_registered_through_one_process_runs_by_hash_on_another(
    settings,
) -> None:
    await make_post(translations={"fr-CA": {"title": "Réseautage", "slug": "reseautage"}})
    digest = _sha(QUERY)
    # Two apps over one database: two processes (or two machines) of one site.
    apps = [create_app(settings, manage_database=False) for _ in range(2)]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cinq.test")
        for app in apps
    ]
    try:
        first, second = clients
        assert (await second.get(_get(digest))).json()["errors"][0]["message"] == (
            "PersistedQueryNotFound"
        )
        await first.post("/graphql", json={"query": QUERY, "extensions": _extensions(digest)})
        by_hash = await second.get(_get(digest))
        assert by_hash.json()["data"]["posts"]["nodes"] == [{"title": "Réseautage"}]
        # Registering it again, through the other, is no error.
        again = await second.post(
            "/graphql", json={"query": QUERY, "extensions": _extensions(digest)}
        )
        assert again.json()["data"]["posts"]["nodes"] == [{"title": "Réseautage"}]
        assert await PersistedQuery.filter(hash=digest).count() == 1
    finally:
        for http in clients:
            await http.aclose()


async def test_the_least_recently_used_registrations_go_past_the_bound(client, monkeypatch) -> None:
    monkeypatch.setattr(persisted, "MAX_REGISTERED", 3)
    monkeypatch.setattr(persisted, "PRUNE_EVERY", 1)
    queries = [f"query Q{n} {{ posts {{ nodes {{ id }} }} }}" for n in range(5)]
    for query in queries:
        await client.post("/graphql", json={"query": query, "extensions": _extensions(_sha(query))})
    kept = set(await PersistedQuery.all().values_list("hash", flat=True))
    assert kept == {_sha(query) for query in queries[2:]}


async def test_strict_mode_knows_the_sites_operations_as_apollo_sends_them(strict) -> None:
    await make_post(translations={"fr-CA": {"title": "Réseautage", "slug": "reseautage"}})
    text = (OPERATIONS / "FrontPage.graphql").read_text()
    sent = persisted.as_apollo_sends(text)
    assert "__typename" in sent and sent != text
    answer = await strict.get(_get(_sha(sent), locale="fr-CA"))
    titles = [edge["node"]["title"] for edge in answer.json()["data"]["posts"]["edges"]]
    assert titles == ["Réseautage"]
    manifest = persisted.manifest(OPERATIONS)
    front = next(op for op in manifest["operations"] if op["name"] == "FrontPage")
    assert (front["id"], front["body"], front["type"]) == (_sha(sent), sent, "query")
