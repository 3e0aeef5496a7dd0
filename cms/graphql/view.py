"""The Starlette endpoint serving the schema."""

from __future__ import annotations

import math
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
from cms.http.throttle import FailureThrottle
from cms.services import accounts
from cms.services.permissions import ANONYMOUS, Viewer
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
        self.throttle = FailureThrottle()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        viewer = await self._authenticate(request)
        return Context(settings=self.settings, request=request, response=response, viewer=viewer)

    async def _authenticate(self, request: Request | WebSocket) -> Viewer:
        """The caller: anonymous without an Authorization header, else its token's account.

        A header that is malformed or names an unknown, expired or revoked token is an
        authentication failure (HTTP 401), never a silent fall back to anonymous.
        """
        header = request.headers.get("authorization")
        if header is None:
            return ANONYMOUS
        client = request.client.host if request.client else "unknown"
        wait = self.throttle.retry_after(client)
        if wait:
            raise _TooManyFailures(wait)
        scheme, _, secret = header.partition(" ")
        viewer = await accounts.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if viewer is None:
            self.throttle.failed(client)
            raise _Unauthenticated
        return viewer

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
        except _Unauthenticated:
            response = error_response(
                401,
                "The token is missing, malformed, unknown, expired or revoked.",
                "UNAUTHENTICATED",
                headers={"www-authenticate": 'Bearer realm="cinq", error="invalid_token"'},
            )
        except _TooManyFailures as exc:
            response = error_response(
                429,
                "Too many failed authentications from this client; try again later.",
                "TOO_MANY_REQUESTS",
                headers={"retry-after": str(math.ceil(exc.wait))},
            )
        await response(scope, receive, send)


class _Unauthenticated(Exception):
    pass


class _TooManyFailures(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait
