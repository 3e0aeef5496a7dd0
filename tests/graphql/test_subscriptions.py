"""Live updates over graphql-transport-ws, with a real WebSocket client and real servers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import websockets

from cms.files.storage import LocalStorage
from cms.graphql import subscriptions
from cms.graphql.context import Context
from cms.graphql.schema import build_schema
from cms.models import Role, Tag, TokenScope
from cms.services import accounts, sessions
from cms.services.change_log import ChangeFeed
from tests.auth import make_account
from tests.factories import make_post
from tests.servers import app_server
from tests.waiting import until

PROTOCOL = "graphql-transport-ws"
UPSERT = (Path(__file__).parents[2] / "schema/operations/UpsertTranslation.graphql").read_text()
CHANGES = """subscription($kinds: [ContentKind!], $ids: [ID!]) {
  contentChanged(kinds: $kinds, ids: $ids) { kind id action sequence }
}"""
#: How long a subscriber may take to hear of a write (the server polls every half second).
HEARD_WITHIN = 2.0

T = TypeVar("T")


async def _token(role: Role, scope: TokenScope = TokenScope.FULL) -> str:
    account = await make_account(role)
    return (await accounts.issue_token(account, "live", scope)).secret


async def _receive(ws, timeout: float = 5) -> dict:
    message = await asyncio.wait_for(ws.recv(), timeout)
    assert isinstance(message, str), "graphql-transport-ws messages are text frames"
    return json.loads(message)


async def _write_until_heard(ws, write: Callable[[], Awaitable[T]]) -> tuple[dict, list[T]]:
    """Write until the subscriber on ``ws`` hears of a write: the first message it receives,
    and what each write returned.

    The server takes a subscription's baseline as it starts it, and a change committed before
    that is not news to it; the protocol acknowledges no subscription, so the client cannot
    know when that was. Writing again after a silence is what a client can do.
    """
    written = [await write()]
    deadline = time.monotonic() + 10 * HEARD_WITHIN
    while True:
        try:
            return await _receive(ws, HEARD_WITHIN), written
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
        written.append(await write())


async def _connect(base: str, payload: dict | None):
    ws = await websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=[PROTOCOL])
    init = {"type": "connection_init"}
    if payload is not None:
        init["payload"] = payload
    await ws.send(json.dumps(init))
    return ws


async def _subscribe(ws, op_id: str, **variables: object) -> None:
    await ws.send(
        json.dumps(
            {
                "id": op_id,
                "type": "subscribe",
                "payload": {"query": CHANGES, "variables": variables},
            }
        )
    )


@pytest.mark.server
async def test_a_subscriber_receives_the_change_a_mutation_made_in_another_process(
    settings,
) -> None:
    post = await make_post(translations={"en-CA": {"title": "Before", "slug": "before"}})
    other = await make_post()
    watcher = await _token(Role.EDITOR, TokenScope.PREVIEW)
    writer = await _token(Role.EDITOR)

    async with (
        app_server(settings) as live,
        app_server(settings) as api,
        httpx.AsyncClient() as http,
    ):
        ws = await _connect(live, {"authorization": f"Bearer {watcher}"})
        try:
            assert (await _receive(ws))["type"] == "connection_ack"
            await _subscribe(ws, "watch", kinds=["POST"], ids=[str(post.id)])

            async def upsert(target, title: str) -> None:
                response = await http.post(
                    api + "/graphql",
                    json={
                        "query": UPSERT,
                        "variables": {
                            "postId": str(target.id),
                            "expectedVersion": (await type(target).get(id=target.id)).version,
                            "input": {"locale": "en-CA", "title": title, "slug": f"s-{target.id}"},
                        },
                    },
                    headers={"authorization": f"Bearer {writer}"},
                )
                assert response.json()["data"]["upsertTranslation"]["errors"] == []

            async def write() -> None:
                await upsert(other, "Not watched")
                await upsert(post, "After")

            message, _ = await _write_until_heard(ws, write)
        finally:
            await ws.close()

    assert message["type"] == "next" and message["id"] == "watch"
    change = message["payload"]["data"]["contentChanged"]
    assert change["kind"] == "POST"
    assert change["id"] == str(post.id)  # the other post's change was filtered out
    assert change["action"] == "UPDATED"
    assert change["sequence"] > 0


@pytest.mark.server
async def test_connections_are_authenticated_bounded_and_timed(settings) -> None:
    reader = await _token(Role.ADMIN, TokenScope.READ)
    preview = await _token(Role.AUTHOR, TokenScope.PREVIEW)
    async with app_server(settings, CMS_WS_INIT_TIMEOUT="1", CMS_WS_MAX_SUBSCRIPTIONS="2") as base:
        bad = await _connect(base, {"authorization": "Bearer cinq_not-a-token"})
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _receive(bad)
        assert closed.value.rcvd.code == 4403

        for refused in (
            await _connect(base, None),
            await websockets.connect(
                base.replace("http", "ws") + "/graphql",
                subprotocols=[PROTOCOL],
                additional_headers={"authorization": "Bearer cinq_not-a-token"},
            ),
        ):
            if refused.state is websockets.protocol.State.OPEN:
                with contextlib.suppress(websockets.ConnectionClosed):
                    await refused.send(json.dumps({"type": "connection_init"}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await _receive(refused)
            assert closed.value.rcvd.code == 4403  # subscriptions need a token

        read_only = await _connect(base, {"authorization": f"Bearer {reader}"})
        assert (await _receive(read_only))["type"] == "connection_ack"
        await _subscribe(read_only, "r")
        refusal = await _receive(read_only)
        await read_only.close()
        errors = refusal["payload"] if refusal["type"] == "error" else refusal["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"

        capped = await _connect(base, {"authorization": f"Bearer {preview}"})
        assert (await _receive(capped))["type"] == "connection_ack"
        for op_id in ("1", "2", "3"):
            await _subscribe(capped, op_id)
        third = await _receive(capped)
        await capped.close()
        assert third["id"] == "3" and third["type"] == "error"
        assert third["payload"][0]["message"] == "Subscription limit reached"

        silent = await websockets.connect(
            base.replace("http", "ws") + "/graphql", subprotocols=[PROTOCOL]
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(silent.recv(), 5)
        assert closed.value.rcvd.code == 4408  # no connection_init in time


@pytest.mark.server
async def test_sockets_carry_subscriptions_only(settings) -> None:
    admin = await _token(Role.ADMIN)
    async with app_server(settings, CMS_CORS_ORIGINS="http://site.example") as base:
        ws = await websockets.connect(
            base.replace("http", "ws") + "/graphql",
            subprotocols=[PROTOCOL],
            origin="http://site.example",  # a browser on the configured site may connect
        )
        try:
            await ws.send(
                json.dumps(
                    {"type": "connection_init", "payload": {"authorization": f"Bearer {admin}"}}
                )
            )
            assert (await _receive(ws))["type"] == "connection_ack"
            for op_id, query in (
                ("q", "{ locales { code } }"),
                ("m", 'mutation { deleteTag(id: "1") { errors { code } } }'),
            ):
                await ws.send(
                    json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}})
                )
                refusal = await _receive(ws)
                assert refusal["id"] == op_id and refusal["type"] == "error"
                assert refusal["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
            for op_id, payload, message in (
                ("s", {"query": "subscription {"}, "Syntax Error"),
                ("l", {"query": ["not", "text"]}, "needs a query string"),
                ("p", ["not", "an", "object"], "needs a query string"),
            ):
                await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": payload}))
                refusal = await _receive(ws)
                assert refusal["id"] == op_id and refusal["type"] == "error"
                assert message in refusal["payload"][0]["message"]
            await ws.send(json.dumps({"type": "ping"}))
            assert (await _receive(ws))["type"] == "pong"  # the socket lives on
        finally:
            await ws.close()

        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(
                base.replace("http", "ws") + "/graphql",
                subprotocols=[PROTOCOL],
                origin="http://elsewhere.example",
            )
        assert refused.value.response.status_code == 403


async def test_a_revoked_token_ends_its_subscription(settings, monkeypatch) -> None:
    """Through the real schema and change feed; the recheck period is shortened."""
    monkeypatch.setattr(subscriptions, "RECHECK", 0.2)
    issued = await accounts.issue_token(await make_account(Role.EDITOR), "live", TokenScope.PREVIEW)
    viewer = await accounts.authenticate(issued.secret)
    feed = ChangeFeed(settings.database_url, interval=0)
    storage = LocalStorage(settings.media_root, settings.media_url)
    context = Context(settings=settings, storage=storage, viewer=viewer, changes=feed)
    stream = await build_schema(settings).subscribe(
        "subscription { contentChanged(kinds: [TAG]) { kind id action } }", context_value=context
    )
    try:
        pending = asyncio.ensure_future(anext(stream))
        await until(lambda: feed.subscribers == 1, "the subscription to take its baseline")
        tag = await Tag.create()
        await feed.poll()
        first = await asyncio.wait_for(pending, 5)

        await accounts.revoke_token(issued.token.id)
        ended = await asyncio.wait_for(anext(stream), 5)
    finally:
        await stream.aclose()

    assert first.data == {"contentChanged": {"kind": "TAG", "id": str(tag.id), "action": "CREATED"}}
    assert ended.data is None
    assert ended.errors[0].message == "The token was revoked or has expired."


@pytest.mark.server
async def test_the_web_app_s_session_opens_a_socket_from_its_own_origin_only(settings) -> None:
    account = await make_account(Role.AUTHOR)
    cookie = f"{sessions.COOKIE}={await sessions.start(account.id)}"
    signed_out = await sessions.start(account.id)
    await sessions.end(signed_out)
    ended = f"{sessions.COOKIE}={signed_out}"
    async with app_server(settings) as base, httpx.AsyncClient() as http:
        url = base.replace("http", "ws") + "/graphql"
        ws = await websockets.connect(
            url, subprotocols=[PROTOCOL], origin=base, additional_headers={"cookie": cookie}
        )
        try:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert (await _receive(ws))["type"] == "connection_ack"
            await _subscribe(ws, "mine", kinds=["TAG"])
            editor = await _token(Role.EDITOR)
            numbers = itertools.count(1)

            async def create_tag() -> str:
                created = await http.post(
                    base + "/graphql",
                    json={
                        "query": "mutation($name: String!) { createTag(names: "
                        '[{locale: "fr-CA", name: $name}]) { tag { id } } }',
                        "variables": {"name": f"Vin {next(numbers)}"},
                    },
                    headers={"authorization": f"Bearer {editor}"},
                )
                return created.json()["data"]["createTag"]["tag"]["id"]

            message, tag_ids = await _write_until_heard(ws, create_tag)
        finally:
            await ws.close()
        assert message["payload"]["data"]["contentChanged"]["id"] in tag_ids

        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(
                url,
                subprotocols=[PROTOCOL],
                origin="http://elsewhere.example",
                additional_headers={"cookie": cookie},
            )
        assert refused.value.response.status_code == 403

        stale = await websockets.connect(
            url, subprotocols=[PROTOCOL], origin=base, additional_headers={"cookie": ended}
        )
        await stale.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _receive(stale)
        assert closed.value.rcvd.code == 4403
