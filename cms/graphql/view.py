"""The Starlette endpoint serving the schema."""

from __future__ import annotations

import math
from typing import Any

from cross_web import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter
from strawberry.types import ExecutionResult

from cms.graphql.context import Context
from cms.graphql.schema import build_schema
from cms.http.errors import error_response
from cms.http.throttle import FailureThrottle
from cms.media import multipart
from cms.media.storage import LocalStorage
from cms.services import accounts
from cms.services.permissions import ANONYMOUS, Permission, Viewer
from cms.settings import Settings

#: The GraphQL-over-HTTP media type; clients that accept it get request errors as HTTP 400.
GRAPHQL_RESPONSE = "application/graphql-response+json"

_HTTP_CODES = {
    400: "BAD_REQUEST",
    403: "FORBIDDEN",
    413: "PAYLOAD_TOO_LARGE",
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

    Uploads follow the GraphQL multipart request spec, streamed by :mod:`cms.media.multipart`
    rather than Strawberry's default (which spools every file through the system temp folder
    with no cap). Against cross-site request forgery, a multipart request must carry a header
    that forces a CORS preflight (``Apollo-Require-Preflight`` or ``X-Apollo-Operation-Name``,
    as Apollo's upload client sends); and a caller who may not upload is refused before a byte
    of the body is read.
    """

    def __init__(self, settings: Settings, storage: LocalStorage) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=True,
        )
        self.settings = settings
        self.storage = storage
        self.throttle = FailureThrottle()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        viewer = await self._authenticate(request)
        request.scope["cms.viewer"] = viewer
        return Context(
            settings=self.settings,
            request=request,
            response=response,
            viewer=viewer,
            storage=self.storage,
        )

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, Any]:
        # cross-web's adapter keeps the Starlette request private; we need its raw stream.
        starlette_request: Request = request._request  # type: ignore[attr-defined]
        headers = starlette_request.headers
        preflighted = headers.get("apollo-require-preflight") or headers.get(
            "x-apollo-operation-name"
        )
        if not preflighted:
            raise HTTPException(
                400,
                "Uploads need an Apollo-Require-Preflight header (protection against "
                "cross-site request forgery).",
            )
        viewer: Viewer = starlette_request.scope["cms.viewer"]
        if viewer.is_anonymous:
            raise _Unauthenticated
        if not viewer.can(Permission.CREATE_POSTS):
            raise HTTPException(403, "This token may not upload files.")
        try:
            parsed = await multipart.parse(
                headers.get("content-type", ""),
                starlette_request.stream(),
                self.storage,
                self.settings.max_upload_bytes,
            )
        except multipart.MultipartError as error:
            raise HTTPException(error.status, str(error)) from None
        starlette_request.scope["cms.upload"] = parsed
        try:
            return replace_placeholders_with_files(
                parsed.operations, parsed.files_map, parsed.files
            )
        except (KeyError, IndexError, TypeError, ValueError):
            raise HTTPException(400, "The map names a path the operations do not have.") from None

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
            response = await self._respond(request)
        except ClientDisconnect:
            return
        finally:
            upload = scope.get("cms.upload")
            if upload is not None:
                await upload.discard()  # the files no resolver kept
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        try:
            return await self.run(request)
        except HTTPException as exc:
            code = _HTTP_CODES.get(exc.status_code, "BAD_REQUEST")
            # After refusing a body part-way, close: the server would read the rest of it.
            close = {"connection": "close"} if exc.status_code in {400, 413} else None
            return error_response(exc.status_code, exc.reason, code, headers=close)
        except _Unauthenticated:
            return error_response(
                401,
                "The token is missing, malformed, unknown, expired or revoked.",
                "UNAUTHENTICATED",
                headers={"www-authenticate": 'Bearer realm="cinq", error="invalid_token"'},
            )
        except _TooManyFailures as exc:
            return error_response(
                429,
                "Too many failed authentications from this client; try again later.",
                "TOO_MANY_REQUESTS",
                headers={"retry-after": str(math.ceil(exc.wait))},
            )


class _Unauthenticated(Exception):
    pass


class _TooManyFailures(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait
