"""The HTTP surface around GraphQL: probes, request ids, CORS, GET, the IDE."""

import dataclasses

import httpx
import pytest

from cms import __version__
from cms.app import create_app


@pytest.fixture
async def make_client(settings):
    clients: list[httpx.AsyncClient] = []

    def make(**overrides) -> httpx.AsyncClient:
        app = create_app(dataclasses.replace(settings, **overrides), manage_database=False)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
        clients.append(http)
        return http

    yield make
    for http in clients:
        await http.aclose()


async def test_health_and_readiness(client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok", "version": __version__}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


async def test_every_response_carries_a_request_id(client) -> None:
    first = await client.get("/healthz")
    second = await client.post("/graphql", json={"query": "{ locales { code } }"})
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    kept = await client.get("/healthz", headers={"x-request-id": "edge-1234abcd"})
    assert kept.headers["x-request-id"] == "edge-1234abcd"
    replaced = await client.get("/healthz", headers={"x-request-id": "bad id\r\nx"})
    assert replaced.headers["x-request-id"] != "bad id\r\nx"


async def test_queries_work_over_get(client) -> None:
    response = await client.get("/graphql", params={"query": "{ locales { code isDefault } }"})
    assert response.status_code == 200
    assert response.json()["data"]["locales"][0] == {"code": "fr-CA", "isDefault": True}


async def test_a_long_get_query_string_is_refused(make_client) -> None:
    http = make_client(max_body_bytes=2_048)
    response = await http.get("/graphql", params={"query": "{ locales { code } }" * 200})
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["errors"][0]["message"]
    short = await http.get("/graphql", params={"query": "{ locales { code } }"})
    assert short.status_code == 200


async def test_unsupported_content_type_gets_a_json_error(client) -> None:
    response = await client.post("/graphql", content=b"{}", headers={"content-type": "text/csv"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "content type" in error["message"].lower()


async def test_cors_allows_configured_origins_only(make_client) -> None:
    http = make_client(cors_origins=("https://blog.example",))
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
    }
    allowed = await http.options(
        "/graphql", headers={"origin": "https://blog.example", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://blog.example"
    refused = await http.options(
        "/graphql", headers={"origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in refused.headers


async def test_graphiql_and_introspection_only_in_debug(make_client) -> None:
    html = {"accept": "text/html"}
    introspect = {"query": "{ __schema { queryType { name } } }"}
    public = make_client(debug=False)
    assert "graphiql" not in (await public.get("/graphql", headers=html)).text.lower()
    assert "errors" in (await public.post("/graphql", json=introspect)).json()

    debug = make_client(debug=True)
    page = await debug.get("/graphql", headers=html)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    body = (await debug.post("/graphql", json=introspect)).json()
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_graphql_response_media_type_reports_request_errors_as_400(client) -> None:
    accept = {"accept": "application/graphql-response+json, application/json;q=0.9"}
    ok = await client.post("/graphql", json={"query": "{ locales { code } }"}, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"] == "application/graphql-response+json"
    assert ok.json()["data"]["locales"]

    for query in ("{", "{ nope }", "query($n: Int!) { locales { code } }"):
        bad = await client.post("/graphql", json={"query": query}, headers=accept)
        assert bad.status_code == 400, query
        assert bad.headers["content-type"] == "application/graphql-response+json"
        assert "data" not in bad.json()
        assert bad.json()["errors"][0]["message"]

    legacy = await client.post("/graphql", json={"query": "{ nope }"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"


async def test_execution_errors_keep_status_200_with_data(client) -> None:
    accept = {"accept": "application/graphql-response+json"}
    body = {"query": '{ locales { code } posts(locale: "xx-XX") { totalCount } }'}
    response = await client.post("/graphql", json=body, headers=accept)
    assert response.status_code == 200
    assert response.json()["errors"][0]["path"] == ["posts"]


async def test_mutations_are_refused_over_get(client) -> None:
    response = await client.get(
        "/graphql", params={"query": 'mutation { deleteTag(id: "1") { deletedId } }'}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "mutations are not allowed when using get" in error["message"].lower()
