"""Talking to the app at the ASGI level, for what an HTTP client library will not do."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp


async def post_then_leave(
    app: ASGIApp, headers: list[tuple[bytes, bytes]], messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """POST to /graphql receiving ``messages`` (a client that hangs up part-way ends them with
    ``http.disconnect``); what the app sent back."""
    pending = list(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("cinq.test", 80),
        "state": {},
    }
    await app(scope, receive, send)
    return sent
