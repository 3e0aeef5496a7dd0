"""GraphQL answers as the GraphQL-over-HTTP specification shapes them.

A client that accepts ``application/graphql-response+json`` gets that media type back, and a
request that fails before execution (syntax, validation, variables) as HTTP 400 without a
``data`` entry; plain ``application/json`` clients keep the traditional 200. An unexpected
error, masked, carries a code and the request id its traceback is logged with.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import Response
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from cms.http.errors import request_id

#: The GraphQL-over-HTTP media type; clients that accept it get request errors as HTTP 400.
GRAPHQL_RESPONSE = "application/graphql-response+json"

#: What MaskErrors puts in place of an unexpected error's message.
UNEXPECTED = "Unexpected error."


def identify_unexpected(data: GraphQLHTTPResponse) -> None:
    """Give each masked error a code and the request id its traceback is logged with."""
    for error in data.get("errors") or ():
        # Each error is formatted as a JSON object.
        if (
            isinstance(error, dict)
            and error.get("message") == UNEXPECTED
            and "extensions" not in error
        ):
            error["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id.get()}


def shape_for(
    headers: Headers, result: ExecutionResult, data: GraphQLHTTPResponse, response: Response
) -> None:
    """The media type and status the client asked for, on ``response`` (the sub-response the
    answer is made from); a request error loses its ``data`` entry."""
    if GRAPHQL_RESPONSE not in headers.get("accept", ""):
        return
    response.headers["content-type"] = GRAPHQL_RESPONSE
    if result.data is None and result.errors and all(e.path is None for e in result.errors):
        data.pop("data", None)
        response.status_code = 400
