"""HTTP-level refusals in the same shape as GraphQL errors, so clients parse one format.

Every refusal answered outside GraphQL execution reads
``{"errors": [{"message": …, "extensions": {"code": …, "requestId": …}}]}``; the request id is
the one in the ``X-Request-ID`` header and in the server's log lines, so a report from a
client leads to the log.
"""

from __future__ import annotations

import contextvars
from typing import Any

from starlette.responses import JSONResponse

#: The current request's id, set by :class:`cms.http.middleware.RequestId`.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

#: ``extensions.code`` of each HTTP status a refusal may have.
CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    408: "REQUEST_TIMEOUT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    416: "RANGE_NOT_SATISFIABLE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def code_for(status: int) -> str:
    """The ``extensions.code`` of an HTTP refusal with ``status``."""
    if status in CODES:
        return CODES[status]
    return "BAD_REQUEST" if status < 500 else "INTERNAL_SERVER_ERROR"


def error_body(message: str, code: str) -> dict[str, Any]:
    """``{"errors": [...]}`` with one error, carrying the request id when there is one."""
    extensions: dict[str, Any] = {"code": code}
    rid = request_id.get()
    if rid != "-":
        extensions["requestId"] = rid
    return {"errors": [{"message": message, "extensions": extensions}]}


def error_response(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(message, code), status_code=status, headers=headers)
