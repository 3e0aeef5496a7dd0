"""Helpers for tests that run real server processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from cms.settings import Settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(env: dict[str, str], port: int) -> subprocess.Popen:
    """``uvicorn`` serving the app on ``port``, configured by ``env`` (a whole environment)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "cms.app:from_env",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def app_env(settings: Settings, **env: str) -> dict[str, str]:
    """This process's environment, pointed at ``settings``' database and media, plus ``env``."""
    return {
        **os.environ,
        "CMS_DATABASE_URL": settings.database_url,
        "CMS_MEDIA_ROOT": str(settings.media_root),
        **env,
    }


async def wait_up(url: str, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url``'s /healthz answers (failing at once if ``process`` exits)."""
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.communicate()[0]}")
            try:
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} did not come up")


@contextlib.asynccontextmanager
async def app_server(settings: Settings, **env: str) -> AsyncIterator[str]:
    """A real server process over ``settings``' database, with ``CMS_*`` variables ``env``;
    its base URL. It is stopped at the end of the block, and its output must hold no
    traceback."""
    port = free_port()
    process = spawn(app_env(settings, **env), port)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_up(url, process)
        yield url
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert "Traceback" not in output, output


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it is sent.

    It answers from ``answers`` in order (one per request), then with ``then`` for every
    request after: ``Receiver(answers=[Answer(500)])`` fails once, then says 200.
    """

    def __init__(
        self,
        answers: list[Answer] | None = None,
        then: Answer | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.answers = list(answers or [])
        self.then = then or Answer()
        self.received: list[Received] = []
        self.port = free_port()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append(Received("POST", self.path, headers, body))
                answer = receiver.answers.pop(0) if receiver.answers else receiver.then
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
