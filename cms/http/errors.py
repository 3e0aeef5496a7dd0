"""HTTP-level refusals in the same shape as GraphQL errors, so clients parse one format."""

from __future__ import annotations

from starlette.responses import JSONResponse


def error_response(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status,
        headers=headers,
    )
