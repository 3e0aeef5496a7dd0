"""The Starlette endpoint serving the schema: Strawberry's ASGI view, wired to Cinq's parts.

Each concern has its module (see :mod:`cms.graphql.endpoint`); the view only puts them in
Strawberry's hooks, in order, and turns refusals into the API's JSON error shape.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from cms.files.storage import Storage
from cms.graphql.context import Context
from cms.graphql.endpoint import decoding, operations, responses, uploads, websocket
from cms.graphql.endpoint.exchange import GraphQLRequest, GraphQLRequestAdapter
from cms.graphql.persisted import PersistedQueries, PersistedQueryError
from cms.graphql.schema import build_schema
from cms.http import auth, csrf
from cms.http.caching.policy import cacheable_answer
from cms.http.errors import code_for, error_body, error_response
from cms.http.state import request_state
from cms.metrics.operations import operation_name
from cms.services.change_log import ChangeFeed
from cms.services.permissions import ANONYMOUS, Viewer
from cms.settings import Settings

log = logging.getLogger(__name__)


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with Cinq's context, refusals and caching.

    Over HTTP, in the order a request meets them: a request riding on the web app's session
    cookie must pass :mod:`cms.http.csrf`'s checks, and one whose session has ended is answered
    401 (so the app sends its person to sign in again); the body is decoded
    (:mod:`~cms.graphql.endpoint.decoding`) or streamed as an upload
    (:mod:`~cms.graphql.endpoint.uploads`); persisted queries are resolved
    (:mod:`cms.graphql.persisted`) and the request checked
    (:mod:`~cms.graphql.endpoint.operations`); the answer takes the shape the client accepts
    (:mod:`~cms.graphql.endpoint.responses`) and says who may keep it
    (:mod:`cms.http.caching.policy`). The caller comes from :mod:`cms.http.auth`
    (``request.user``).

    Subscriptions use graphql-transport-ws (:mod:`~cms.graphql.endpoint.websocket`); the
    token goes in ``connection_init``.
    """

    graphql_transport_ws_handler_class = websocket.SubscriptionsOnly
    request_adapter_class = GraphQLRequestAdapter

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        feed: ChangeFeed,
        authentication: auth.Authentication,
    ) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide="graphiql" if settings.debug else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=True,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
            connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout),
            max_subscriptions_per_connection=settings.ws_max_subscriptions,
        )
        self.settings = settings
        self.storage = storage
        self.authentication = authentication
        self.feed = feed
        self.persisted = PersistedQueries(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            socket = WebSocket(scope, receive, send)
            if websocket.origin_allowed(socket.headers, self.settings.cors_origins):
                await self.run(socket)
            else:
                await socket.close(code=1008)  # before accepting: the handshake gets 403
            return
        request = GraphQLRequest(scope, receive)
        try:
            response = await self._respond(request)
        except ClientDisconnect:
            return
        finally:
            if request.upload is not None:
                await request.upload.discard()  # the files no resolver kept
        response = cacheable_answer(
            request,
            response,
            public=request.public,
            cache_control=self.settings.public_cache_control,
        )
        if request.operation_type == "mutation":
            await self._see_own_write()
        await response(scope, receive, send)

    async def _respond(self, request: GraphQLRequest) -> Response:
        scopes = request.auth.scopes
        if auth.EXPIRED_SESSION in scopes:
            return auth.unauthenticated("The session has ended; sign in again.", clear_session=True)
        if auth.SESSION in scopes and (why := csrf.refusal(request)):
            return error_response(403, why, "FORBIDDEN")
        try:
            return await self.run(request)
        except HTTPException as exc:
            # A refusal before the body was read to its end closes the connection (BodyLimit).
            return error_response(exc.status_code, exc.reason, code_for(exc.status_code))
        except uploads.UploadNeedsCaller:
            return auth.unauthenticated("Uploads need a token or a signed-in session.")
        except PersistedQueryError as exc:
            if exc.status != 200:
                return error_response(exc.status, exc.message, exc.code)
            # Apollo's clients look for this GraphQL error to send the query text.
            return JSONResponse(error_body(exc.message, exc.code))

    async def _see_own_write(self) -> None:
        """After a mutation, look at the change log now: this process's next read sees it."""
        try:
            await self.feed.poll()
        except Exception:  # the write is committed; the regular poll will catch up
            log.exception("change feed: poll after a write failed")

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        viewer: Viewer = request.scope.get("user", ANONYMOUS)
        context = Context(
            settings=self.settings,
            request=request,
            response=response,
            viewer=viewer,
            storage=self.storage,
            changes=self.feed,
        )
        if isinstance(request, GraphQLRequest):
            request.context = context
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a socket (see :func:`~cms.graphql.endpoint.websocket.socket_viewer`)."""
        socket = context.request
        if not isinstance(socket, WebSocket):
            raise TypeError("on_ws_connect is called for sockets only")
        context.viewer = await websocket.socket_viewer(
            socket, context.connection_params, context.viewer, self.authentication
        )

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """Strawberry's own check of a handshake's origin, in the releases that have one: the
        view checked it before Strawberry saw the handshake (see :meth:`__call__`)."""
        return True

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET with a persisted query's hash and no text is an operation, not a browser.
        if "extensions" in request.query_params:
            return False
        return super().should_render_graphql_ide(request)

    def encode_json(self, data: object) -> str:
        """An answer's JSON. orjson writes a page of 20 posts in a twelfth of the time json
        takes (8 µs against 97); json is kept for what orjson refuses, such as an integer
        wider than 64 bits in a JSON scalar.

        Text, not bytes: Strawberry sends this over WebSockets too, where bytes would go as
        binary frames, which GraphQL over WebSocket clients refuse.
        """
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # orjson.JSONEncodeError is one
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def decode_json(self, data: str | bytes) -> object:
        return decoding.decode_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        return decoding.parse_json(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST" and "application/json" in (request.content_type or ""):
            decoding.require_object(await request.get_body())
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            operations.check_members(data)
            own = _own(request)
            viewer: Viewer = own.user
            try:
                await self.persisted.resolve(data, anonymous=viewer.is_anonymous)
            finally:  # named in the metrics and the access line, refused or not
                name = operation_name(data.query, data.operation_name)
                request_state(own.scope).operation_name = name
            operations.refuse_subscription(data, self.settings.max_tokens)
        return data

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, Any]:
        own = _own(request)
        own.upload = await uploads.receive(own, self.storage, self.settings.max_upload_bytes)
        return uploads.operations(own.upload)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        responses.identify_unexpected(data)
        if isinstance(request, GraphQLRequest) and request.context is not None:
            request.public = (
                request.operation_type == "query"
                and not result.errors
                and request.user.is_anonymous
            )
            sub_response = request.context.response
            if isinstance(sub_response, Response):
                responses.shape_for(request.headers, result, data, sub_response)
        return data

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        # Strawberry sets application/json and then adds the sub-response's headers: the media
        # type a resolver or process_result chose must replace it, not follow it.
        media_type = sub_response.headers.get("content-type", "application/json")
        if "content-type" in sub_response.headers:
            del sub_response.headers["content-type"]
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = media_type
        return response


def _own(adapter: AsyncHTTPRequestAdapter) -> GraphQLRequest:
    """The request behind an adapter of a request the view made (see :meth:`__call__` and
    :attr:`request_adapter_class`)."""
    request = adapter.request if isinstance(adapter, GraphQLRequestAdapter) else None
    if not isinstance(request, GraphQLRequest):
        raise TypeError("the view answers the requests it made, through its own adapter")
    return request
