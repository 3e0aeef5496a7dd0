"""Pure ASGI middleware: request ids and request-size caps.

Written against the raw ASGI interface rather than ``BaseHTTPMiddleware``: they run on every
request, and a wrapper task per request would cost more than the rest of a cached query.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http.errors import error_response

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


class RequestIdFilter(logging.Filter):
    """Adds ``%(request_id)s`` to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestId:
    """Gives every request an id (a well-formed ``X-Request-ID`` from a proxy is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        encoded = rid.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", encoded)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class BodyLimit:
    """Refuses (413) a request whose body, or GET query string, exceeds its cap.

    The cap depends on the content type: ``caps`` maps a media type (``multipart/form-data``)
    to its own cap, everything else gets ``default``. A declared Content-Length over the cap is
    refused before reading; a chunked body is counted as it arrives. The refusal closes the
    connection, or the server would read and discard the rest of an oversized body.
    """

    def __init__(self, app: ASGIApp, default: int, caps: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.caps = caps or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        media_type = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
        cap = self.caps.get(media_type, self.default)
        if len(scope.get("query_string", b"")) > cap:
            await self._refuse(scope, receive, send, cap)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await self._refuse(scope, receive, send, cap)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, cap)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        response = error_response(
            413,
            f"Request too large: the limit is {cap} bytes.",
            "PAYLOAD_TOO_LARGE",
            headers={"connection": "close"},
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
