"""Requests the API cannot run get a 400 in its JSON error shape, and the connection lives on.

Each of these used to be a plain-text 500 that made uvicorn close the connection: a client's
typo cost it its keep-alive connection, and the operator a traceback.
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import websockets

from cms.app import create_app
from cms.graphql.endpoint.decoding import MAX_JSON_DEPTH
from cms.models import Role
from tests.auth import caller
from tests.http.live_server import live_server
from tests.media.test_uploads import PREFLIGHT, UPLOAD, multipart, png
from tests.servers import app_server

JSON = {"content-type": "application/json"}
LOCALES = "{ locales { code } }"
FILTERED = "query($f: PostFilter) { posts(filter: $f) { nodes { id } } }"


def nested(levels: int) -> dict:
    """A JSON object ``levels`` deep: ``nested(1)`` is ``{}``, ``nested(2)`` ``{"a": {}}``."""
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def deep_text(levels: int) -> str:
    """The text of ``nested(levels)``, written without the encoder's own recursion limit."""
    return '{"a": ' * (levels - 1) + "{}" + "}" * (levels - 1)


#: (what it is, body bytes, the message's telling words). Each is sent as application/json.
MALFORMED: list[tuple[str, bytes, str]] = [
    ("an array 2,000 deep", b"[" * 2000 + b"]" * 2000, "nests deeper"),
    (
        "variables 2,000 deep",
        b'{"query": "{ locales { code } }", "variables": {"x": ' + deep_text(2000).encode() + b"}}",
        "nests deeper",
    ),
    (
        "an input object 500 deep",
        json.dumps({"query": FILTERED, "variables": {"f": {"translation": nested(500)}}}).encode(),
        "nests deeper",
    ),
    ("a JSON string", b'"{ locales { code } }"', "must be a json object"),
    ("a JSON number", b"42", "must be a json object"),
    ("a JSON boolean", b"true", "must be a json object"),
    ("JSON null", b"null", "must be a json object"),
    ("an empty body", b"", "must be a json object"),
    ("invalid UTF-8", b'{"query": "{ locales \xff\xfe { code } }"}', "utf-8"),
]


def assert_bad_request(response: httpx.Response, words: str) -> None:
    """A 400 in the API's error shape, naming the request id of its header."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert words in error["message"].lower(), error["message"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]


@pytest.mark.parametrize(("what", "body", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
async def test_a_malformed_body_is_a_bad_request(client, what, body, words) -> None:
    response = await client.post("/graphql", content=body, headers=JSON)
    assert_bad_request(response, words)


async def test_a_graphql_response_client_gets_the_same_400(client) -> None:
    accept = {**JSON, "accept": "application/graphql-response+json"}
    for _, body, words in MALFORMED:
        assert_bad_request(await client.post("/graphql", content=body, headers=accept), words)


async def test_deep_variables_over_get_are_a_bad_request(client) -> None:
    variables = json.dumps({"f": {"translation": nested(500)}})
    response = await client.get("/graphql", params={"query": FILTERED, "variables": variables})
    assert_bad_request(response, "nests deeper")


async def test_nesting_is_counted_over_the_whole_document(client) -> None:
    """The body object is one level, ``variables`` a second: the limit is on the whole."""
    at_limit = {"query": LOCALES, "variables": {"unused": nested(MAX_JSON_DEPTH - 2)}}
    answered = await client.post("/graphql", json=at_limit)
    assert answered.status_code == 200
    assert answered.json()["data"]["locales"]

    over = {"query": LOCALES, "variables": {"unused": nested(MAX_JSON_DEPTH - 1)}}
    assert_bad_request(await client.post("/graphql", json=over), "nests deeper")


async def test_a_deep_json_scalar_argument_is_a_bad_request(client) -> None:
    admin = await caller(client, Role.ADMIN)
    query = (
        'mutation($links: JSON) { saveOrganizer(names: [{locale: "fr-CA", name: "Club"}], '
        "socialLinks: $links) { organizer { id } errors { code } } }"
    )
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": {"links": nested(500)}},
        headers=admin.headers,
    )
    assert_bad_request(response, "nests deeper")
    listed = await admin.data("{ organizers { id } }")
    assert listed["organizers"] == []


async def test_malformed_upload_operations_are_a_bad_request(client, settings) -> None:
    author = await caller(client, Role.AUTHOR)
    headers = {**author.headers, **PREFLIGHT}
    image = {"0": ("red.png", png(), "image/png")}
    for operations, words in (
        (deep_text(2000), "nests deeper"),
        (json.dumps({"query": UPLOAD, "variables": {"file": None, "x": nested(500)}}), "nests"),
        ('"mutation { uploadMedia }"', "must be a json object"),
    ):
        files = multipart(UPLOAD, image, {"0": "variables.file"})
        files["operations"] = (None, operations)
        response = await client.post("/graphql", files=files, headers=headers)
        assert_bad_request(response, words)
    temporary = settings.media_root / ".tmp"
    assert not list(temporary.glob("*")), "a refused upload left a file behind"
    assert (await author.data("{ mediaList { id } }"))["mediaList"] == []


# --- subscriptions over HTTP ---------------------------------------------------------------

SUBSCRIPTION = "subscription { contentChanged { kind id action } }"


async def test_a_subscription_over_http_is_sent_to_the_websocket(client) -> None:
    for response in (
        await client.post("/graphql", json={"query": SUBSCRIPTION}),
        await client.get("/graphql", params={"query": SUBSCRIPTION}),
        await client.post(
            "/graphql",
            json={"query": SUBSCRIPTION},
            headers={"accept": "application/graphql-response+json"},
        ),
    ):
        assert_bad_request(response, "websocket")
        assert "graphql-transport-ws" in response.json()["errors"][0]["message"]


async def test_the_operation_named_decides_whether_it_is_a_subscription(client) -> None:
    document = f"query Q {LOCALES} subscription S {{ contentChanged {{ id }} }}"
    query = await client.post("/graphql", json={"query": document, "operationName": "Q"})
    assert query.status_code == 200
    assert query.json()["data"]["locales"]
    subscription = await client.post("/graphql", json={"query": document, "operationName": "S"})
    assert_bad_request(subscription, "websocket")


async def test_a_field_named_like_a_subscription_is_no_subscription(client) -> None:
    response = await client.post("/graphql", json={"query": "{ subscription: locales { code } }"})
    assert response.status_code == 200
    assert response.json()["data"]["subscription"]


# --- the connection survives ---------------------------------------------------------------


@pytest.mark.server
async def test_the_connection_is_kept_after_each_malformed_request(settings) -> None:
    """A real server, one client: a malformed request, then a good one, on one connection."""
    app = create_app(settings, manage_database=False)
    async with live_server(app) as server, httpx.AsyncClient(base_url=server.url) as http:
        for what, body, words in MALFORMED:
            refused = await http.post("/graphql", content=body, headers=JSON)
            assert_bad_request(refused, words)
            assert "close" not in refused.headers.get("connection", ""), what
            good = await http.post("/graphql", json={"query": LOCALES})
            assert good.status_code == 200, what
        refused = await http.post("/graphql", json={"query": SUBSCRIPTION})
        assert_bad_request(refused, "websocket")
        assert (await http.get("/graphql", params={"query": LOCALES})).status_code == 200
    assert len(server.clients) == 2 * len(MALFORMED) + 2
    assert server.connections == 1


@pytest.mark.server
async def test_a_refusal_before_a_large_body_is_read_closes_the_connection(settings) -> None:
    """Else the server would read and throw away the rest of it: an upload refused at its
    first bytes would still cost all of them. A small body is skipped, the connection kept."""
    app = create_app(settings, manage_database=False)
    async with live_server(app) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            small = await http.put("/graphql", json={"query": LOCALES})
            assert small.status_code == 405
            assert "close" not in small.headers.get("connection", "")
            assert (await http.post("/graphql", json={"query": LOCALES})).status_code == 200
        assert server.connections == 1

        # An upload without its preflight header, refused before a byte of its body is read.
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        head = (
            "POST /graphql HTTP/1.1\r\nHost: cinq.test\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n"
        )
        writer.write(head.encode() + b"--b\r\n" + b"x" * 10_000)
        answer = await asyncio.wait_for(reader.read(), 10)  # to the end: the server closes
        writer.close()
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"\r\nconnection: close\r\n" in answer
    assert b"Apollo-Require-Preflight" in answer


@pytest.mark.server
async def test_a_websocket_message_nested_too_deep_closes_the_socket_cleanly(settings) -> None:
    """The same decoder reads WebSocket messages: they get the protocol's 4400, not a crash."""
    async with app_server(settings) as base:
        for levels in (2000, MAX_JSON_DEPTH + 1):
            ws = await websockets.connect(
                base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]
            )
            await ws.send('{"type": "connection_init", "payload": ' + deep_text(levels) + "}")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4400
        async with httpx.AsyncClient(base_url=base) as http:
            assert (await http.post("/graphql", json={"query": LOCALES})).status_code == 200
    # app_server checks that the server logged no traceback
