"""``/metrics``: who may read it, and where it is served.

Three arrangements, from the settings:

- ``CMS_METRICS_PORT``: a second HTTP server in the same process (:class:`MetricsServer`)
  serves ``/metrics`` on that port, and the main port does not serve it at all (404). The
  port is meant for the scraper's network only: keep it off the public one.
- ``CMS_METRICS_TOKEN``: ``/metrics`` requires ``Authorization: Bearer <token>`` (compared in
  constant time), on the main port or, with both settings, on the metrics port.
- Neither: the main port serves ``/metrics`` to clients on this machine only: a loopback
  address, and no proxy header (``Forwarded``, ``X-Forwarded-For``, ``X-Real-IP``), since a
  reverse proxy on the same machine connects from loopback on behalf of anyone. A proxy that
  adds none of these headers defeats that test: set a token behind one.

Refusals use the API's JSON error shape. On the main port the endpoint sits ahead of
authentication (:mod:`cms.http.auth` would otherwise take the metrics token for an API token)
and behind the request-id and observing layers, so scrapes are counted like any request.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import socket

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from cms.http.errors import error_response
from cms.metrics import Metrics

log = logging.getLogger(__name__)

PATH = "/metrics"
#: Headers a reverse proxy adds: a request carrying one came from elsewhere, through it.
PROXY_HEADERS = frozenset({b"forwarded", b"x-forwarded-for", b"x-real-ip"})


async def _never_routed(request: Request) -> Response:  # pragma: no cover - a label only
    raise NotImplementedError


#: What a scrape's ``route`` is, for the request metrics and the access log.
ROUTE = Route(PATH, _never_routed, methods=["GET", "HEAD"])


async def answer(
    metrics: Metrics, scope: Scope, *, token: str | None, local_only: bool
) -> Response:
    """The answer to a request for ``/metrics``: the exposition, or why not."""
    request = Request(scope)
    if request.method not in {"GET", "HEAD"}:
        return error_response(
            405,
            f"{request.method} is not allowed here; use GET.",
            "METHOD_NOT_ALLOWED",
            headers={"allow": "GET, HEAD"},
        )
    if token is not None:
        scheme, _, presented = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            presented.strip().encode(), token.encode()
        ):
            return error_response(
                401,
                "Metrics need the metrics token: Authorization: Bearer <CMS_METRICS_TOKEN>.",
                "UNAUTHENTICATED",
                headers={"www-authenticate": 'Bearer realm="cinq-metrics"'},
            )
    elif local_only and not _from_this_machine(scope):
        return error_response(
            403,
            "Metrics are served to this machine only; set CMS_METRICS_TOKEN (or "
            "CMS_METRICS_PORT) to scrape from elsewhere.",
            "FORBIDDEN",
        )
    body, media_type = await metrics.exposition(request.headers.get("accept"))
    return Response(body, media_type=media_type, headers={"cache-control": "no-store"})


def _from_this_machine(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False  # a Unix socket: most likely a proxy's
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_loopback:
        return False
    return not any(name in PROXY_HEADERS for name, _ in scope["headers"])


class MetricsEndpoint:
    """Answers ``/metrics`` on the main port; every other path goes on to ``app``."""

    def __init__(self, app: ASGIApp, metrics: Metrics, token: str | None) -> None:
        self.app = app
        self.metrics = metrics
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        scope["route"] = ROUTE
        response = await answer(
            self.metrics, scope, token=self.token, local_only=self.token is None
        )
        await response(scope, receive, send)


def metrics_app(metrics: Metrics, token: str | None) -> ASGIApp:
    """The whole app of the metrics port: ``/metrics``, and 404 for anything else."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # the server is started without WebSockets or a lifespan
        if scope["path"] == PATH:
            response = await answer(metrics, scope, token=token, local_only=False)
        else:
            response = error_response(404, f"Only {PATH} is served on this port.", "NOT_FOUND")
        await response(scope, receive, send)

    return app


class MetricsServer:
    """``/metrics`` on a port of its own, served by uvicorn in this process's event loop.

    The port is bound here, before uvicorn sees it, so that a port already taken (by another
    program, or by another worker of the same server: only one process can hold it) is an
    error in the log and not the end of the process. Only uvicorn's startup and its listening
    sockets are used: the main server owns the process's signals and its lifecycle.
    """

    def __init__(self, metrics: Metrics, host: str, port: int, token: str | None = None) -> None:
        self.host = host
        self.port = port
        self.config = uvicorn.Config(
            metrics_app(metrics, token),
            log_config=None,
            lifespan="off",
            ws="none",
            proxy_headers=False,
            server_header=False,
        )
        self.server: uvicorn.Server | None = None

    async def start(self) -> bool:
        """Listen; False (with an error logged) when the port cannot be had."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
        except OSError as error:
            sock.close()
            log.error(
                "metrics: cannot listen on %s (CMS_METRICS_PORT): %s; this process serves no "
                "metrics. With several workers, only one of them can hold the port.",
                self.address,
                error.strerror or error,
            )
            return False
        self.config.load()
        server = uvicorn.Server(self.config)
        server.lifespan = self.config.lifespan_class(self.config)
        await server.startup(sockets=[sock])
        self.server = server
        log.info("metrics served at http://%s/metrics", self.address)
        return True

    async def stop(self) -> None:
        """Stop listening and close its connections (a scrape under way is cut short)."""
        server, self.server = self.server, None
        if server is None:
            return
        for listener in server.servers:
            listener.close()
        for connection in list(server.server_state.connections):
            connection.shutdown()
        await asyncio.gather(*(listener.wait_closed() for listener in server.servers))

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
