"""A request body that stops arriving, or trickles in, is answered 408 and lets go.

Uvicorn has no body timeout of its own: a client could open connections, send half a body and
wait, holding a connection (and an upload's temporary file) each for ever. These tests speak
raw HTTP/1.1 over sockets to a real server, with a one-second timeout.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

import httpx
import pytest

from cms.app import create_app
from cms.models import Role
from tests.auth import caller
from tests.http.live_server import LiveServer, live_server
from tests.media.test_uploads import UPLOAD, png

pytestmark = pytest.mark.server

TIMEOUT = 1.0
#: Scheduling on a busy machine: how much later than the timeout an answer may come.
SLACK = 4.0
QUERY = b'{"query": "{ locales { code } }"}'


def request_head(path: str, length: int, content_type: str, **headers: str) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: cinq.test",
        f"Content-Type: {content_type}",
        f"Content-Length: {length}",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def answer_until_closed(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], dict]:
    """Status, headers and JSON body of the one answer the server sends before closing."""
    raw = await asyncio.wait_for(reader.read(), TIMEOUT + SLACK)  # to the end: it must close
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


def assert_timed_out(status: int, headers: dict[str, str], body: dict, words: str) -> None:
    assert status == 408, body
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "REQUEST_TIMEOUT"
    assert error["extensions"]["requestId"] == headers["x-request-id"]
    assert words in error["message"], error["message"]


async def still_serving(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.post("/graphql", content=QUERY, headers={"content-type": "a/b"})
        assert response.status_code == 400  # answered: the server is not stuck
        good = await http.post("/graphql", json={"query": "{ locales { code } }"})
        assert good.status_code == 200


async def test_half_a_body_then_silence_is_answered_408(settings) -> None:
    app = create_app(replace(settings, body_timeout=TIMEOUT), manage_database=False)
    async with live_server(app) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(request_head("/graphql", len(QUERY), "application/json") + QUERY[:10])
        await writer.drain()
        began = time.monotonic()
        status, headers, body = await answer_until_closed(reader)
        waited = time.monotonic() - began
        writer.close()
        assert_timed_out(status, headers, body, "stopped arriving")
        assert TIMEOUT * 0.9 <= waited <= TIMEOUT + SLACK
        await still_serving(server)


async def test_every_stalled_upload_is_let_go_with_its_temporary_file(settings, client) -> None:
    author = await caller(client, Role.AUTHOR)
    app = create_app(replace(settings, body_timeout=TIMEOUT), manage_database=False)
    boundary = "cinqboundary"
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    image = png(400, 300)
    parts = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{operations}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.file"]}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="red.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode() + image
    whole = parts + f"\r\n--{boundary}--\r\n".encode()
    head = request_head(
        "/graphql",
        len(whole),
        f"multipart/form-data; boundary={boundary}",
        authorization=author.headers["Authorization"],
        apollo_require_preflight="true",
    )
    async with live_server(app) as server:
        connections = [await asyncio.open_connection("127.0.0.1", server.port) for _ in range(50)]
        for _, writer in connections:
            writer.write(head + parts[: len(parts) - 100])  # the file is on its way, then stops
            await writer.drain()
        answers = await asyncio.gather(*(answer_until_closed(r) for r, _ in connections))
        for _, writer in connections:
            writer.close()
        for status, headers, body in answers:
            assert_timed_out(status, headers, body, "stopped arriving")
        await still_serving(server)
    assert not list((settings.media_root / ".tmp").glob("*.part"))
    assert (await author.data("{ mediaList { id } }"))["mediaList"] == []


async def test_a_trickle_under_the_floor_is_answered_408(settings) -> None:
    """Each byte comes within the timeout, but the average stays under the minimum rate."""
    app = create_app(
        replace(settings, body_timeout=TIMEOUT, body_min_rate=1000), manage_database=False
    )
    body = QUERY + b" " * 200
    async with live_server(app) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(request_head("/graphql", len(body), "application/json"))
        began = time.monotonic()
        answered = asyncio.ensure_future(answer_until_closed(reader))
        for offset in range(0, len(body), 5):
            if answered.done():
                break
            writer.write(body[offset : offset + 5])
            await writer.drain()
            await asyncio.sleep(TIMEOUT / 2)  # 10 bytes a second
        status, headers, answer = await answered
        assert time.monotonic() - began < len(body) / 10  # long before the body was all in
        writer.close()
        assert_timed_out(status, headers, answer, "too slowly")


async def test_pauses_shorter_than_the_timeout_are_fine_at_a_fair_rate(settings) -> None:
    app = create_app(replace(settings, body_timeout=TIMEOUT), manage_database=False)
    body = QUERY[:-1] + b', "extensions": {"pad": "' + b"x" * 3000 + b'"}}'
    async with live_server(app) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(request_head("/graphql", len(body), "application/json"))
        for offset in range(0, len(body), 1000):
            await asyncio.sleep(TIMEOUT * 0.6)
            writer.write(body[offset : offset + 1000])
            await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT + SLACK)
        writer.close()
    assert head.startswith(b"HTTP/1.1 200 "), head
