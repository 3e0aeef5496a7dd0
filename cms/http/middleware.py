"""Pure ASGI middleware: request ids, unhandled errors, and request-body caps and timeouts.

Written against the raw ASGI interface rather than ``BaseHTTPMiddleware``: they run on every
request, and a wrapper task per request would cost more than the rest of a cached query.

Exception tree of what a request body may raise while the app reads it (the app need not
catch them: :class:`BodyLimit` answers)::

    Exception
    └── BodyRefused          the body was refused part-way; BodyLimit answers, and closes
        ├── BodyTooLarge     413: more bytes than the cap
        └── BodyTimedOut     408: the next chunk did not come in time
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cms.http.errors import error_response, request_id
from cms.http.state import begin

__all__ = ["BodyLimit", "RequestId", "RequestIdFilter", "ServerErrors", "request_id"]

log = logging.getLogger(__name__)

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")

#: Seconds a request may wait for the next chunk of its body before it is answered 408.
BODY_TIMEOUT = 30.0
#: Bytes per second a body must average once it has been waited for ``BODY_TIMEOUT`` seconds.
BODY_MIN_RATE = 500.0
#: An unread body up to this size is left for the server to skip (it has most likely arrived
#: already) and the connection kept; a larger one, or one of unknown length, closes it.
SKIPPABLE_BODY = 65_536


class RequestIdFilter(logging.Filter):
    """Adds ``%(request_id)s`` to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestId:
    """Gives every request an id (a well-formed ``X-Request-ID`` from a proxy is kept).

    It is the outermost layer: it begins the request's :class:`~cms.http.state.RequestState`,
    which also keeps the id for an answer written after this layer has returned (Starlette's
    last-resort error handler).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        # 32 random hex digits, like uuid4().hex, for a quarter of its cost: it is paid on
        # every request, cached answers included.
        rid = incoming if incoming and _VALID_ID.match(incoming) else secrets.token_hex(16)
        begin(scope, rid)
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


class ServerErrors:
    """Answers an unhandled exception with a JSON 500 (request id included) and logs it.

    Starlette's own ``ServerErrorMiddleware`` re-raises after answering, and uvicorn then
    closes the connection: one bad request would cost a client its keep-alive connection. An
    exception after the answer has begun cannot be answered: it goes on to the server, which
    logs it and closes the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except BodyRefused:
            raise  # BodyLimit, further out, answers it
        except ClientDisconnect:
            log.debug("the client left before its request was answered")
        except Exception:
            if started:
                raise
            log.exception("unhandled error answering %s %s", scope["method"], scope["path"])
            response = error_response(500, "Unexpected error.", "INTERNAL_SERVER_ERROR")
            await response(scope, receive, send)


class BodyLimit:
    """Refuses a request whose body is too large (413) or stops arriving (408).

    The cap depends on the content type: ``caps`` maps a media type (``multipart/form-data``)
    to its own cap, everything else gets ``default``; a GET's query string has the default cap.
    A declared Content-Length over the cap is refused before reading; a chunked body is counted
    as it arrives.

    A body must keep coming: waiting more than ``timeout`` seconds for its next chunk, or
    receiving it at less than ``min_rate`` bytes per second on average once ``timeout``
    seconds have been spent waiting for it, ends the request with 408 (in the manner of
    Apache's ``mod_reqtimeout``: ``body=30,MinRate=500``). Only time spent waiting for the
    client counts, not the time the app takes between reads. Uvicorn has no such timeout: a
    stalled upload would otherwise hold its connection and its temporary file for ever.

    Refusals close the connection, or the server would read and discard the rest of the body;
    so does any error answer (4xx, 5xx) given before a body larger than ``SKIPPABLE_BODY`` (or
    chunked) was read to its end.
    """

    def __init__(
        self,
        app: ASGIApp,
        default: int,
        caps: dict[str, int] | None = None,
        timeout: float = BODY_TIMEOUT,
        min_rate: float = BODY_MIN_RATE,
    ) -> None:
        self.app = app
        self.default = default
        self.caps = caps or {}
        self.timeout = timeout
        self.min_rate = min_rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        media_type = (_header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
        cap = self.caps.get(media_type, self.default)
        if len(scope.get("query_string", b"")) > cap:
            await _too_large(cap)(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        valid = declared is not None and declared.isascii() and declared.isdigit()
        length = int(declared) if valid else None
        if declared is not None and (length is None or length > cap):
            await _too_large(cap)(scope, receive, send)
            return
        chunked = _header(scope, b"transfer-encoding") is not None
        body = _Body(receive, cap, self.timeout, self.min_rate, expected=bool(length) or chunked)
        skippable = not chunked and (length or 0) <= SKIPPABLE_BODY
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if message["status"] >= 400 and not body.finished and not skippable:
                    headers = [*message.get("headers", []), (b"connection", b"close")]
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, body.receive, tracking_send)
        except Exception:
            # Whatever the app made of a refused body, the refusal is the answer.
            if started or body.refused is None:
                raise
        if body.refused is not None and not started:
            await body.refused.answer()(scope, receive, send)


class BodyRefused(Exception):
    """The body was refused while the app read it."""

    def answer(self) -> ASGIApp:
        raise NotImplementedError


class BodyTooLarge(BodyRefused):
    def __init__(self, cap: int) -> None:
        super().__init__(f"more than {cap} bytes")
        self.cap = cap

    def answer(self) -> ASGIApp:
        return _too_large(self.cap)


class BodyTimedOut(BodyRefused):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def answer(self) -> ASGIApp:
        return error_response(408, self.message, "REQUEST_TIMEOUT", headers={"connection": "close"})


class _Body:
    """The request body as the app receives it: counted against its cap, and timed."""

    def __init__(
        self, receive: Receive, cap: int, timeout: float, min_rate: float, *, expected: bool
    ) -> None:
        self._receive = receive
        self.cap = cap
        self.timeout = timeout
        self.min_rate = min_rate
        self.received = 0
        self.waited = 0.0
        self.finished = not expected
        self.refused: BodyRefused | None = None

    async def receive(self) -> Message:
        if self.finished:
            # The body is in: what may come next is a disconnect, however late.
            return await self._receive()
        allowance = min(self.timeout, self.timeout + self.received / self.min_rate - self.waited)
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            async with asyncio.timeout(max(allowance, 0.0)):
                message = await self._receive()
        except TimeoutError:
            self.refused = BodyTimedOut(self._too_slow(allowance))
            raise self.refused from None
        finally:
            self.waited += loop.time() - began
        if message["type"] != "http.request":
            self.finished = True  # the client left
            return message
        self.received += len(message.get("body", b""))
        if self.received > self.cap:
            self.refused = BodyTooLarge(self.cap)
            raise self.refused
        if not message.get("more_body", False):
            self.finished = True
        return message

    def _too_slow(self, allowance: float) -> str:
        if allowance < self.timeout:
            return f"The request body arrived too slowly: under {self.min_rate:g} bytes per second."
        return f"The request body stopped arriving: nothing came for {self.timeout:g} seconds."


def _too_large(cap: int) -> ASGIApp:
    return error_response(
        413,
        f"Request too large: the limit is {cap} bytes.",
        "PAYLOAD_TOO_LARGE",
        headers={"connection": "close"},
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
