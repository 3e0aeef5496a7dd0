"""WebSockets: graphql-transport-ws carrying subscriptions only, from allowed origins, for a
caller.

Queries and mutations go over HTTP, where each request is authenticated, cached and bounded as
documented; a socket authenticated once must not stand in for that.

Browsers apply no CORS to a WebSocket handshake and attach the site's cookies to it, so the
origin is checked before anything else (cross-site WebSocket hijacking): a handshake without
``Origin`` (not a browser), from this server's own origin, or from one of ``CMS_CORS_ORIGINS``
goes on; any other is refused with 403.

The caller is who :mod:`cms.http.auth` found (a token in the upgrade's Authorization header, or
the web app's session), or the token sent in ``connection_init``, checked by the same backend
and counted in its failure throttle. Sockets carry subscriptions, which need a caller: without
one, or with a bad token, the socket closes with 4403, as the protocol prescribes.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlsplit

from graphql import GraphQLError, parse
from starlette.authentication import AuthenticationError
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type

from cms.graphql.context import Context
from cms.http import auth
from cms.services.permissions import Viewer

log = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_allowed(headers: Mapping[str, str], allowed: Collection[str]) -> bool:
    """Whether a handshake with ``headers`` may go on (see the module docstring)."""
    origin = headers.get("origin")
    if origin is None or headers.get("sec-fetch-site") == "same-origin":
        return True
    host = headers.get("host")
    if _same_host(origin, host) or "*" in allowed:
        return True
    named = _normalized(origin)
    if named is not None and named in {_normalized(each) for each in allowed}:
        return True
    log.warning("refused a WebSocket from origin %r to host %r", origin, host)
    return False


def _same_host(origin: str, host: str | None) -> bool:
    """Whether ``origin`` names the host and port the handshake was sent to; the scheme is
    left out, so that TLS ended by a proxy (an ``https`` page reaching the app over ``http``)
    still counts as the same origin."""
    if not host:
        return False
    try:
        named = urlsplit(origin)
        sent_to = urlsplit(f"//{host.strip()}")
        default = _DEFAULT_PORTS.get(named.scheme.lower())
        same_port = (named.port or default) == (sent_to.port or default)
    except ValueError:
        return False
    return named.hostname is not None and named.hostname == sent_to.hostname and same_port


def _normalized(origin: str) -> str | None:
    """``scheme://host[:port]`` as browsers send an origin: lowercase, no default port."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


async def socket_viewer(
    socket: WebSocket,
    params: Mapping[str, object] | None,
    viewer: Viewer,
    authentication: auth.Authentication,
) -> Viewer:
    """The caller of a socket: ``viewer`` (from the upgrade request) unless ``connection_init``
    names a token, ``{"authorization": "Bearer …"}``; refused when there is none."""
    header = params.get("authorization") or params.get("Authorization") if params else None
    if header is not None:
        if not isinstance(header, str):
            raise ConnectionRejectionError()
        try:
            viewer = await authentication.check_token(socket, header)
        except AuthenticationError:
            raise ConnectionRejectionError() from None
    if viewer.is_anonymous:
        raise ConnectionRejectionError()
    return viewer


class SubscriptionsOnly(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws refusing any operation but a subscription."""

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
            document = parse(query, max_tokens=self.context.settings.max_tokens)
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
