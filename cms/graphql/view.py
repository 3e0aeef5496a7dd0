"""The Starlette endpoint serving the schema."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError, parse
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from cms.graphql.context import Context
from cms.graphql.persisted import PersistedQueries, PersistedQueryError
from cms.graphql.schema import build_schema
from cms.http import auth, csrf
from cms.http.conditional import etag_matches, strong_etag
from cms.http.errors import code_for, error_body, error_response, request_id
from cms.media import multipart
from cms.media.storage import LocalStorage
from cms.metrics.operations import operation_name
from cms.services.changes import ChangeFeed
from cms.services.permissions import ANONYMOUS, Permission, Viewer
from cms.settings import Settings

log = logging.getLogger(__name__)

#: The GraphQL-over-HTTP media type; clients that accept it get request errors as HTTP 400.
GRAPHQL_RESPONSE = "application/graphql-response+json"

#: Deepest nesting of arrays and objects a request's JSON may have. Inputs of the schema nest a
#: few levels; the decoder's own recursion would fail somewhere near a thousand.
MAX_JSON_DEPTH = 64

#: What MaskErrors puts in place of an unexpected error's message.
UNEXPECTED = "Unexpected error."

_JSON_OBJECT_START = re.compile(rb"[ \t\r\n]*[{\[]")


class _SubscriptionsOnly(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws carrying subscriptions only.

    Queries and mutations go over HTTP, where each request is authenticated, cached and
    bounded as documented; a socket authenticated once must not stand in for that.
    """

    async def handle_subscribe(self, message: Any) -> None:
        if not self.connection_acknowledged:
            await super().handle_subscribe(message)  # closes the socket with 4401
            return
        payload = message.get("payload")
        query = payload.get("query") if isinstance(payload, dict) else None
        name = payload.get("operationName") if isinstance(payload, dict) else None
        if not isinstance(query, str) or not isinstance(name, str | None):
            await self._refuse(message, GraphQLError("A subscribe payload needs a query string."))
            return
        try:
            document = parse(query, max_tokens=self.view.settings.max_tokens)
        except GraphQLError as error:
            await self._refuse(message, error)
            return
        try:
            kind = get_operation_type(document, name)
        except RuntimeError:
            kind = OperationType.SUBSCRIPTION  # no such operation: validation reports it
        if kind is not OperationType.SUBSCRIPTION:
            await self._refuse(
                message,
                GraphQLError(
                    "Only subscriptions travel over WebSocket; send queries and mutations over "
                    "HTTP.",
                    extensions={"code": "BAD_REQUEST"},
                ),
            )
            return
        await super().handle_subscribe(message)

    async def handle_task_exception(self, error: Exception) -> None:
        # A client that leaves while a change is on its way ends its subscription; that is
        # not a server error worth a traceback in the logs.
        if isinstance(error, WebSocketDisconnected):
            log.debug("subscriber left while a message was being sent")
            return
        await super().handle_task_exception(error)

    async def _refuse(self, message: Any, error: GraphQLError) -> None:
        await self.send_message(
            {"id": message["id"], "type": "error", "payload": [error.formatted]}
        )


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

    It tells :mod:`cms.graphql.cache` which answers may be kept (anonymous queries without
    errors); GET answers carry a strong ETag and a ``Cache-Control`` a CDN can follow (see
    :meth:`_caching_headers`). Persisted queries are resolved by :mod:`cms.graphql.persisted`.
    Subscriptions use graphql-transport-ws; the token goes in ``connection_init``.

    The caller comes from :mod:`cms.http.auth` (``request.user``). A request that rides on the
    web app's session cookie must also pass :mod:`cms.http.csrf`'s checks; one whose session
    has ended is answered 401, so the app sends its person to sign in again.
    """

    graphql_transport_ws_handler_class = _SubscriptionsOnly

    def __init__(
        self,
        settings: Settings,
        storage: LocalStorage,
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
            allowed_origins=list(settings.cors_origins),
        )
        self.settings = settings
        self.storage = storage
        self.authentication = authentication
        self.feed = feed
        self.persisted = PersistedQueries(settings)

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
        request.scope["cms.context"] = context
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a WebSocket from ``connection_init``: ``{"authorization": "Bearer …"}``.

        A token sent in the upgrade request's own Authorization header also counts, and so
        does the web app's session cookie (the browser checked the page's origin, and so did
        the view before the upgrade). Sockets carry subscriptions, which need a caller: without
        one, or with a bad token, the socket closes with 4403, as the protocol prescribes.
        """
        params = context.connection_params
        header = params.get("authorization") or params.get("Authorization") if params else None
        if header is not None:
            if not isinstance(header, str):
                raise ConnectionRejectionError()
            try:
                context.viewer = await self.authentication.check_token(context.request, header)
            except auth.AuthenticationError:
                raise ConnectionRejectionError() from None
        if context.viewer.is_anonymous:
            raise ConnectionRejectionError()

    def should_render_graphql_ide(self, request: AsyncHTTPRequestAdapter) -> bool:
        # A GET with a persisted query's hash and no text is an operation, not a browser.
        if "extensions" in request.query_params:
            return False
        return super().should_render_graphql_ide(request)

    def decode_json(self, data: str | bytes) -> object:
        """JSON of a body, a GET parameter or a WebSocket message: UTF-8, and at most
        ``MAX_JSON_DEPTH`` deep.

        Strawberry turns a ``JSONDecodeError`` into a 400 (over HTTP) or a 4400 close (over
        WebSocket), but lets anything else the decoder raises (invalid UTF-8, a recursion error
        on deep nesting) become a server error: those are decoding errors too.
        """
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError:
            raise _UnusableJSON("The request body is not valid UTF-8.") from None
        try:
            value = json.loads(text)
        except RecursionError:
            value = _TOO_DEEP
        if value is _TOO_DEEP or _depth_exceeds(value, MAX_JSON_DEPTH):
            raise _UnusableJSON(f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
        return value

    def parse_json(self, data: str | bytes) -> Any:
        try:
            return self.decode_json(data)
        except _UnusableJSON as error:
            raise HTTPException(400, error.reason) from None
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise HTTPException(400, f"The JSON does not parse: {error.msg} ({where}).") from None

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # Strawberry reads a body's "query" with ``.get``: a bare string, number, boolean or
        # null would fail as a server error.
        if (
            request.method == "POST"
            and "application/json" in (request.content_type or "")
            and not _JSON_OBJECT_START.match(await request.get_body())
        ):
            raise HTTPException(
                400, 'The request body must be a JSON object: {"query": "…", "variables": {…}}.'
            )
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            _check_members(data)
            starlette_request: Request = request._request  # type: ignore[attr-defined]
            viewer: Viewer = starlette_request.user
            try:
                self.persisted.resolve(data, anonymous=viewer.is_anonymous)
            finally:  # named in the metrics and the access line, refused or not
                starlette_request.scope["cms.operation_name"] = operation_name(
                    data.query, data.operation_name
                )
            self._refuse_subscription(data)
        return data

    def _refuse_subscription(self, data: GraphQLRequestData) -> None:
        """A subscription over HTTP is refused before execution (it would run as a query and
        fail as "Unexpected error."): subscriptions travel over graphql-transport-ws."""
        query = data.query
        if not isinstance(query, str) or "subscription" not in query:
            return  # the cheap test first: most requests never parse twice
        try:
            document = parse(query, max_tokens=self.settings.max_tokens)
            kind = get_operation_type(document, data.operation_name)
        except (GraphQLError, RuntimeError):
            return  # execution reports it
        if kind is OperationType.SUBSCRIPTION:
            raise HTTPException(
                400,
                "Subscriptions need a WebSocket: connect to /graphql with the "
                "graphql-transport-ws protocol. Queries and mutations go over HTTP.",
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
        viewer: Viewer = starlette_request.user
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
        except RecursionError:
            raise _too_deep() from None
        starlette_request.scope["cms.upload"] = parsed
        if not isinstance(parsed.operations, dict | list):
            raise HTTPException(400, "The operations field must be a JSON object.")
        if _depth_exceeds(parsed.operations, MAX_JSON_DEPTH):
            raise _too_deep()
        try:
            return replace_placeholders_with_files(
                parsed.operations, parsed.files_map, parsed.files
            )
        except (KeyError, IndexError, TypeError, ValueError):
            raise HTTPException(400, "The map names a path the operations do not have.") from None

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: Any = await super().process_result(request, result)
        _identify_unexpected(data.get("errors"))
        context: Context | None = request.scope.get("cms.context")
        operation = context.operation_type if context else None
        request.scope["cms.operation"] = operation
        request.scope["cms.cacheable"] = (
            operation == "query" and not result.errors and request.user.is_anonymous
        )
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
        etag = self._caching_headers(request, response)
        if scope.get("cms.operation") == "mutation":
            await self._see_own_write()
        if etag is not None and _matches(request, etag):
            response = Response(status_code=304, headers=_revalidation_headers(response))
        await response(scope, receive, send)

    def _caching_headers(self, request: Request, response: Response) -> str | None:
        """Mark ``response`` cacheable or not; the strong ETag of a public answer, if any.

        Anonymous queries that succeeded over GET are public: ETag, ``Cache-Control`` from the
        settings, ``Vary: Accept`` (the media type depends on it). Everything else (mutations,
        errors, callers with a token) is ``no-store``: a draft never reaches a shared cache.
        """
        if "cache-control" in response.headers:
            return None
        body = getattr(response, "body", None)  # a streamed answer has none: never cached
        if not (
            request.scope.get("cms.cacheable")
            and response.status_code == 200
            and isinstance(body, bytes)
        ):
            response.headers["cache-control"] = "no-store"
            return None
        etag = request.scope["cms.etag"] = strong_etag(body)
        if request.method == "GET":
            response.headers["cache-control"] = self.settings.public_cache_control
            response.headers["etag"] = etag
            response.headers["vary"] = "Accept"
        else:
            response.headers["cache-control"] = "no-store"
        return etag

    async def _see_own_write(self) -> None:
        """After a mutation, look at the change log now: this process's next read sees it."""
        try:
            await self.feed.poll()
        except Exception:  # the write is committed; the regular poll will catch up
            log.exception("change feed: poll after a write failed")

    async def _respond(self, request: Request) -> Response:
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
        except _Unauthenticated:
            return auth.unauthenticated("Uploads need a token or a signed-in session.")
        except PersistedQueryError as exc:
            if exc.status != 200:
                return error_response(exc.status, exc.message, exc.code)
            # Apollo's clients look for this GraphQL error to send the query text.
            return JSONResponse(error_body(exc.message, exc.code))


def _identify_unexpected(errors: list[dict[str, Any]] | None) -> None:
    """Give each masked error a code and the request id its traceback is logged with."""
    for error in errors or ():
        if error.get("message") == UNEXPECTED and "extensions" not in error:
            error["extensions"] = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id.get()}


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` deep (no recursion: the
    point is to refuse what would exhaust it)."""
    stack: list[tuple[dict | list, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_deep() -> HTTPException:
    return HTTPException(400, f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")


_TOO_DEEP = object()


class _UnusableJSON(json.JSONDecodeError):
    """JSON that decodes to nothing usable; a ``JSONDecodeError`` so that Strawberry's
    WebSocket handler closes the socket with 4400 as for any other undecodable message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, "", 0)
        self.reason = reason


def _matches(request: Request, etag: str) -> bool:
    return request.method == "GET" and etag_matches(request.headers.get("if-none-match"), etag)


_REVALIDATION = ("etag", "cache-control", "vary")


def _revalidation_headers(response: Response) -> dict[str, str]:
    return {name: response.headers[name] for name in _REVALIDATION if name in response.headers}


class _Unauthenticated(Exception):
    pass


def _check_members(data: GraphQLRequestData) -> None:
    """The request's members have the types the GraphQL-over-HTTP specification gives them;
    anything else (``"operationName": []``) is the client's mistake, not a server error."""
    for name, value, kinds, what in (
        ("query", data.query, str, "a string"),
        ("operationName", data.operation_name, str, "a string"),
        ("variables", data.variables, dict, "an object"),
        ("extensions", data.extensions, dict, "an object"),
    ):
        if value is not None and not isinstance(value, kinds):
            raise HTTPException(400, f"{name} must be {what} or null.")
