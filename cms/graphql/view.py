"""The Starlette endpoint serving the schema."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from cms.graphql.context import Context
from cms.graphql.schema import build_schema
from cms.http.errors import error_response
from cms.settings import Settings

#: The GraphQL-over-HTTP media type; clients that accept it get request errors as HTTP 400.
GRAPHQL_RESPONSE = "application/graphql-response+json"

_HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with Cinq's context and JSON-shaped HTTP errors.

    Following the GraphQL-over-HTTP specification, a client that accepts
    ``application/graphql-response+json`` gets that media type back, and a request that fails
    before execution (syntax, validation, variables) as HTTP 400 without a ``data`` entry.
    Plain ``application/json`` clients keep the traditional 200.
    """

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=False,
        )
        self.settings = settings

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(settings=self.settings, request=request, response=response)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: Any = await super().process_result(request, result)
        if GRAPHQL_RESPONSE in request.headers.get("accept", ""):
            sub_response: Response = request.scope["cms.sub_response"]
            sub_response.headers["content-type"] = GRAPHQL_RESPONSE
            if result.data is None and result.errors and all(e.path is None for e in result.errors):
                data.pop("data", None)
                sub_response.status_code = 400
        return data

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        request.scope["cms.sub_response"] = sub_response
        return sub_response

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        media_type = sub_response.headers.get("content-type", "application/json")
        if "content-type" in sub_response.headers:
            del sub_response.headers["content-type"]
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = media_type
        return response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self.run(request)
        except HTTPException as exc:
            code = _HTTP_CODES.get(exc.status_code, "BAD_REQUEST")
            response = error_response(exc.status_code, exc.reason, code)
        await response(scope, receive, send)
