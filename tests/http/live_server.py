"""A real uvicorn server in the test's own process, for what only sockets show.

Keep-alive and stalled bodies are matters of TCP connections, which an ASGI transport does not
have. Serving in-process (rather than as ``tests.servers.app_server`` does) lets a test build
the app with its own arguments (a short body timeout) over the test database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.servers import free_port


@dataclass
class LiveServer:
    url: str
    port: int
    #: The client address (host, port) of every HTTP request, in order: one per connection.
    clients: list[tuple[str, int]] = field(default_factory=list)

    @property
    def connections(self) -> int:
        """How many TCP connections the requests so far came on."""
        return len(set(self.clients))


@contextlib.asynccontextmanager
async def live_server(app: ASGIApp) -> AsyncIterator[LiveServer]:
    """``app`` served by uvicorn on 127.0.0.1 until the end of the block."""
    port = free_port()
    server = LiveServer(url=f"http://127.0.0.1:{port}", port=port)

    async def recording(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            server.clients.append(tuple(scope["client"]))
        await app(scope, receive, send)

    config = uvicorn.Config(
        recording,
        host="127.0.0.1",
        port=port,
        log_config=None,
        log_level="warning",
        ws="none",
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    uvicorn_server = uvicorn.Server(config)
    task = asyncio.create_task(uvicorn_server.serve())
    try:
        for _ in range(200):
            if uvicorn_server.started or task.done():
                break
            await asyncio.sleep(0.025)
        if not uvicorn_server.started:
            raise RuntimeError("uvicorn did not start")
        yield server
    finally:
        uvicorn_server.should_exit = True
        await task
