"""Observing every request: counted and timed in the metrics, and written as an access line.

:class:`Observe` is the one layer that does both, so a request pays for one wrapped ``send``
and one pair of clock readings, whatever is enabled.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute, Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http.state import request_state
from cms.metrics.operations import loggable

if TYPE_CHECKING:
    from cms.metrics import Metrics

#: The logger of access lines, one per request (:mod:`cms.logs` formats them).
ACCESS_LOGGER = "cms.access"
access_log = logging.getLogger(ACCESS_LOGGER)
#: The route of a request no route served (an unknown path).
UNMATCHED = "unmatched"
#: The status recorded for a request whose client left before any answer (nginx's number).
CLIENT_LEFT = 499
#: The longest user agent an access line repeats.
MAX_USER_AGENT = 256


class Observe:
    """Times every request, counts it in ``metrics`` and writes its access line.

    It sits inside :class:`~cms.http.middleware.RequestId` (the line carries the id) and
    outside every other layer, so body refusals, server errors and answers replayed from the
    response cache are all seen; the time runs to the answer's last byte. The labels come from
    the scope as the inner layers leave it: ``route``, the route that served the request (set
    by Starlette's router, by the response cache when it replays an answer, and by the metrics
    endpoint), and the operation's name in the :class:`~cms.http.state.RequestState` (set by
    the GraphQL view, and by the response cache on a replay). A request refused before routing
    (401, 413, a CORS preflight) is matched against ``routes`` here, off the hot path.

    On the hot path it costs two clock readings, a wrapped ``send`` and three dictionary
    lookups: the access line is only built when its logger is enabled.
    """

    def __init__(
        self, app: ASGIApp, metrics: Metrics | None = None, routes: Sequence[BaseRoute] = ()
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        except Exception:
            status = status or 500  # the last-resort handler further out answers it
            raise
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope.get("route") or self._route_of(scope))
            operation = request_state(scope).operation_name
            if self.metrics is not None:
                self.metrics.observe(
                    scope["method"], route, operation, status or CLIENT_LEFT, elapsed
                )
            if access_log.isEnabledFor(logging.INFO):
                _log_access(scope, route, operation, status or CLIENT_LEFT, elapsed)

    def _route_of(self, scope: Scope) -> BaseRoute | None:
        """The route a request refused before routing (401, 413, a CORS preflight) was for:
        matched here, off the hot path, as the router would have."""
        partial = None
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route
            if match is Match.PARTIAL and partial is None:
                partial = route
        return partial


def route_template(route: Any) -> str:
    """The path template of a matched route (``/media/original/{media_id}``), whatever the
    path requested, or ``unmatched``: a label that takes as many values as there are routes."""
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return UNMATCHED
    return f"{path}/{{path}}" if isinstance(route, Mount) else path


def _log_access(
    scope: Scope, route: str, operation: str | None, status: int, seconds: float
) -> None:
    client = scope.get("client")
    host = client[0] if client else "-"
    method: str = scope["method"]
    raw = scope.get("raw_path")
    path = _without_secrets(_printable(raw.decode("latin-1") if raw is not None else scope["path"]))
    agent = _header(scope, b"user-agent")
    name = loggable(operation)
    milliseconds = seconds * 1000
    fields = {
        "method": method,
        "route": route,
        "path": path,
        "operation": name,
        "status": status,
        "duration_ms": round(milliseconds, 3),
        "user_agent": _printable(agent[:MAX_USER_AGENT]) if agent else None,
        "client": host,
    }
    # The query string is left out: a GraphQL query sent over GET may weigh a megabyte, and
    # the route and operation say what was asked. The record is made here rather than by
    # ``info()``, which would walk the stack for a caller an access line does not show.
    record = access_log.makeRecord(
        ACCESS_LOGGER,
        logging.INFO,
        __file__,
        0,
        '%s - "%s %s HTTP/%s" %d %.1fms%s',
        (
            host,
            method,
            path,
            scope.get("http_version", "1.1"),
            status,
            milliseconds,
            f" {name}" if name else "",
        ),
        None,
        extra={"http": fields},
    )
    access_log.handle(record)


# Paths that carry a secret: a one-time password link. Logs keep where, not the secret.
_SECRET_IN_PATH = re.compile(r"^(/admin/password/)[^/?]+")


def _without_secrets(path: str) -> str:
    return _SECRET_IN_PATH.sub(r"\1…", path)


def _printable(text: str) -> str:
    """``text`` with control characters escaped: one request, one log line."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
