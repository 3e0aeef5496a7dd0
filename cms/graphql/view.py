"""The Starlette endpoint serving the schema."""

from __future__ import annotations

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from cms.graphql.context import Context
from cms.graphql.schema import build_schema
from cms.http.errors import error_response
from cms.settings import Settings

_HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with Cinq's context and JSON-shaped HTTP errors."""

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
