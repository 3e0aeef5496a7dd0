"""Every error answer, on every route, is ``{"errors": [...]}`` with a code and the request id.

Clients parse one format whatever went wrong and wherever; an operator finds the log lines of
a failure from the ``requestId`` a client reports. The web app's own HTML pages (its sign-in
form) are the one exception: a person reads those.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.routing import Route

from cms.app import create_app
from cms.http.middleware import RequestIdFilter
from cms.models import Role
from cms.services import posts as post_service
from tests.auth import caller
from tests.factories import make_post
from tests.http.live_server import live_server
from tests.media.test_uploads import PREFLIGHT, UPLOAD, multipart, png

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
LOCALES = "{ locales { code } }"


def assert_error_shape(response: httpx.Response, context: object = None) -> dict[str, Any]:
    """The documented shape: a list of errors, each with a message, a code and the request id
    of the response's ``X-Request-ID``. Returns the first error."""
    context = context or f"{response.request.method} {response.request.url}"
    assert response.status_code >= 400, (context, response.status_code)
    media_type = response.headers.get("content-type", "")
    assert media_type.startswith(("application/json", "application/graphql-response+json")), (
        context,
        media_type,
        response.text[:200],
    )
    errors = response.json()["errors"]
    assert errors, context
    for error in errors:
        assert isinstance(error["message"], str) and error["message"], context
        assert isinstance(error["extensions"]["code"], str), context
        assert error["extensions"]["requestId"] == response.headers["x-request-id"], context
    return errors[0]


def bad_requests(pdf_url: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, httpx arguments): requests every one of which must be refused."""
    uploads = multipart(UPLOAD, {"0": ("red.png", png(), "image/png")}, {"0": "variables.file"})
    return [
        # GraphQL
        ("GET", "/graphql", {"headers": {"accept": "text/html"}}),  # no IDE outside debug
        ("GET", "/graphql", {"headers": {"accept": "application/json"}}),  # no query
        ("PUT", "/graphql", {"json": {"query": LOCALES}}),
        ("DELETE", "/graphql", {}),
        ("PATCH", "/graphql", {"content": b"{}"}),
        ("POST", "/graphql", {"content": b"{", "headers": {"content-type": "application/json"}}),
        ("POST", "/graphql", {"content": b"x", "headers": {"content-type": "text/plain"}}),
        ("POST", "/graphql", {"json": [{"query": LOCALES}, {"query": LOCALES}]}),
        ("POST", "/graphql", {"json": {"query": LOCALES, "variables": "x"}}),
        ("POST", "/graphql", {"json": {"query": "subscription { contentChanged { id } }"}}),
        ("GET", "/graphql", {"params": {"query": LOCALES, "variables": "{"}}),
        ("GET", "/graphql", {"params": {"query": 'mutation { deleteTag(id: "1") { deletedId } }'}}),
        ("POST", "/graphql", {"files": uploads}),  # no preflight header
        ("POST", "/graphql", {"files": uploads, "headers": PREFLIGHT}),  # no token
        (
            "POST",
            "/graphql",
            {"json": {"query": LOCALES}, "headers": {"authorization": "Bearer x"}},
        ),
        (
            "POST",
            "/graphql",
            {
                "content": b"{" + b" " * 1_100_000 + b"}",
                "headers": {"content-type": "application/json"},
            },
        ),
        # anything else
        ("GET", "/nope", {}),
        ("POST", "/nope", {"content": b"x"}),
        ("DELETE", "/", {}),
        ("POST", "/healthz", {}),
        ("POST", "/readyz", {}),
        # media
        ("GET", "/media/nope.jpg", {}),
        ("GET", "/media/renditions/../../etc/passwd", {}),
        ("GET", "/media/original/abc", {}),
        ("GET", "/media/original/1", {}),
        ("POST", pdf_url, {}),
        ("GET", pdf_url, {"headers": {"range": "bytes=100000-"}}),
        # feeds
        ("GET", "/feeds/xx-XX/rss.xml", {}),
        ("GET", "/feeds/fr-CA/categories/nope/atom.xml", {}),
        ("POST", "/feeds/fr-CA/feed.json", {}),
        ("GET", "/feeds/fr-CA/nope.xml", {}),
        ("GET", "/sitemap-9.xml", {}),
        ("PUT", "/sitemap.xml", {}),
        # calendars
        ("GET", "/events.ics", {"params": {"locale": "xx-XX"}}),
        ("GET", "/events.ics", {"params": {"organizer": "abc"}}),
        ("GET", "/events/nope.ics", {}),
        ("POST", "/events.ics", {}),
        # the web app's routes that are not pages
        ("POST", "/admin/unknown", {}),
        ("PUT", "/admin/sign-in", {}),
        ("GET", "/admin/static/missing.js", {}),
        ("POST", "/admin/static/app.css", {}),
        ("GET", "/admin/operations/Nope.graphql", {}),
        ("POST", "/admin/sign-out", {"headers": {"origin": "https://evil.example"}}),
    ]


async def test_every_refusal_on_every_route_has_the_json_shape(client) -> None:
    author = await caller(client, Role.AUTHOR)
    pdf = {"0": ("programme.pdf", PDF, "application/pdf")}
    files = multipart(UPLOAD, pdf, {"0": "variables.file"})
    uploaded = await client.post("/graphql", files=files, headers={**author.headers, **PREFLIGHT})
    media_id = uploaded.json()["data"]["uploadMedia"]["media"]["id"]
    details = await author.data("query($id: ID!) { media(id: $id) { url } }", id=media_id)
    pdf_url = details["media"]["url"]
    assert (await client.get(pdf_url)).status_code == 200

    for method, path, arguments in bad_requests(pdf_url):
        response = await client.request(method, path, **arguments)
        assert_error_shape(response, (method, path, sorted(arguments)))


async def test_the_web_apps_sign_in_page_stays_a_page(client) -> None:
    """The one HTML refusal: a person reads it, in the web app's language."""
    response = await client.post(
        "/admin/sign-in", data={"email": "nobody@example.test", "password": "wrong"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("text/html")
    assert "x-request-id" in response.headers


async def test_method_refusals_name_the_methods_allowed(client) -> None:
    response = await client.put("/graphql", json={"query": LOCALES})
    error = assert_error_shape(response)
    assert response.status_code == 405
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["allow"] and "POST" in response.headers["allow"]
    assert "PUT is not allowed" in error["message"]


async def test_an_unknown_path_is_not_found(client) -> None:
    response = await client.get("/wp-admin/setup-config.php")
    error = assert_error_shape(response)
    assert response.status_code == 404
    assert error["extensions"]["code"] == "NOT_FOUND"


# --- failures -------------------------------------------------------------------------------


def failing_app(settings):
    """The real app with one more route, whose handler has a bug."""
    app = create_app(settings, manage_database=False)

    async def broken(request: Request) -> None:
        raise RuntimeError("connection string postgres://secret@db leaked")

    app.router.routes.append(Route("/broken", broken, methods=["GET", "POST"]))
    return app


async def test_an_unhandled_exception_is_a_json_500_logged_with_its_request_id(
    settings, caplog
) -> None:
    caplog.handler.addFilter(RequestIdFilter())
    transport = httpx.ASGITransport(app=failing_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        with caplog.at_level(logging.ERROR):
            response = await http.get("/broken")
    error = assert_error_shape(response)
    assert response.status_code == 500
    assert error == {
        "message": "Unexpected error.",
        "extensions": {
            "code": "INTERNAL_SERVER_ERROR",
            "requestId": response.headers["x-request-id"],
        },
    }
    assert "secret" not in response.text
    (logged,) = [r for r in caplog.records if r.exc_info]
    assert logged.request_id == response.headers["x-request-id"]
    assert "secret" in str(logged.exc_info[1])


@pytest.mark.server
async def test_the_connection_outlives_a_server_error(settings, caplog) -> None:
    async with (
        live_server(failing_app(settings)) as server,
        httpx.AsyncClient(base_url=server.url) as http,
    ):
        with caplog.at_level(logging.CRITICAL):
            broken = await http.post("/broken", json={"query": LOCALES})
        assert_error_shape(broken)
        assert broken.status_code == 500
        assert (await http.post("/graphql", json={"query": LOCALES})).status_code == 200
    assert server.connections == 1


async def test_a_masked_graphql_error_carries_the_request_id_of_its_log(
    gql, monkeypatch, caplog
) -> None:
    await make_post()

    async def broken(query):
        raise RuntimeError("connection string postgres://secret@db leaked")

    monkeypatch.setattr(post_service, "count_posts", broken)
    # The page would bring its count itself: make it leave the count to count_posts.
    list_posts = post_service.list_posts
    monkeypatch.setattr(post_service, "list_posts", lambda query, **_: list_posts(query))
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.ERROR):
        response = await gql.request("{ posts { totalCount } locales { code } }")
    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None or body["data"].get("locales")
    (error,) = body["errors"]
    assert error["message"] == "Unexpected error."
    assert error["path"] == ["posts", "totalCount"]
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
    assert "secret" not in response.text
    logged = [r for r in caplog.records if r.exc_info]
    assert [r.request_id for r in logged] == [response.headers["x-request-id"]]


async def test_client_errors_carry_no_request_id(gql) -> None:
    """A client's own mistake is not logged as a failure: nothing for an operator to find."""
    body = await gql('{ posts(locale: "de-DE") { totalCount } }')
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "locale"}
