"""One way in for every route: bearer tokens and the web app's session cookie.

:class:`Authentication` is a Starlette ``AuthenticationBackend``. It puts the caller in
``request.user`` (a :class:`~cms.services.permissions.Viewer`, anonymous when nothing was
presented) and how they came in ``request.auth.scopes``: ``"token"`` or ``"session"``.

- An ``Authorization`` header is a deliberate claim: a malformed, unknown, expired or revoked
  token is refused on every route with HTTP 401, as is a client over its failure quota with 429
  (see :class:`~cms.http.throttle.FailureThrottle`, shared with failed sign-ins).
- A session cookie travels with every request to this host, wanted or not. One that no longer
  opens a session makes the caller anonymous with the ``"expired_session"`` scope: the API
  answers 401 to it and the web app sends its person to sign in again, while public files,
  feeds and the sign-in page itself are served as to anyone.
- A WebSocket is never refused here: a refusal would break the upgrade, so the subscription
  protocol's ``connection_init`` decides (see :mod:`cms.graphql.endpoint.websocket`).

Cookie-authenticated requests are open to cross-site request forgery, tokens are not: the
routes that act on a session apply :mod:`cms.http.csrf` themselves.
"""

from __future__ import annotations

import math

from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError
from starlette.requests import HTTPConnection
from starlette.responses import Response

from cms.http.errors import error_response
from cms.http.throttle import FailureThrottle
from cms.services import accounts, sessions
from cms.services.permissions import ANONYMOUS, Viewer
from cms.settings import Settings

TOKEN = "token"  # noqa: S105 - a scope name, not a secret
SESSION = "session"
EXPIRED_SESSION = "expired_session"


class Unauthenticated(AuthenticationError):
    """A token was presented and does not open anything."""


class TooManyFailures(AuthenticationError):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait


class Authentication(AuthenticationBackend):
    def __init__(self, settings: Settings, throttle: FailureThrottle | None = None) -> None:
        self.lifetime = sessions.Lifetime.of(settings)
        self.throttle = throttle or FailureThrottle()

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, Viewer]:
        header = conn.headers.get("authorization")
        if header is not None:
            try:
                return AuthCredentials([TOKEN]), await self.check_token(conn, header)
            except AuthenticationError:
                if conn.scope["type"] == "websocket":
                    return AuthCredentials(), ANONYMOUS
                raise
        secret = conn.cookies.get(sessions.COOKIE)
        if secret is not None:
            viewer = await sessions.authenticate(secret, self.lifetime)
            if viewer is None:
                return AuthCredentials([EXPIRED_SESSION]), ANONYMOUS
            return AuthCredentials([SESSION]), viewer
        return AuthCredentials(), ANONYMOUS

    async def check_token(self, conn: HTTPConnection, header: str) -> Viewer:
        """The viewer of an ``Authorization: Bearer …`` value, counting failures per client."""
        await self.check_quota(conn)
        scheme, _, secret = header.partition(" ")
        viewer = await accounts.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        if viewer is None:
            await self.failed(conn)
            raise Unauthenticated("The token is missing, malformed, unknown, expired or revoked.")
        return viewer

    async def check_quota(self, conn: HTTPConnection) -> None:
        """Refuse a client that failed too often lately, before looking at what it sent."""
        wait = await self.throttle.retry_after(_client(conn))
        if wait:
            raise TooManyFailures(wait)

    async def failed(self, conn: HTTPConnection) -> None:
        await self.throttle.failed(_client(conn))


def _client(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


def refusal(conn: HTTPConnection, error: Exception) -> Response:
    """The answer to a refused token: the API's JSON error shape, with what HTTP asks for."""
    if isinstance(error, TooManyFailures):
        return too_many(error.wait)
    return unauthenticated("The token is missing, malformed, unknown, expired or revoked.")


def unauthenticated(message: str, *, clear_session: bool = False) -> Response:
    response = error_response(
        401,
        message,
        "UNAUTHENTICATED",
        headers={"www-authenticate": 'Bearer realm="cinq", error="invalid_token"'},
    )
    if clear_session:
        clear_session_cookie(response)
    return response


def clear_session_cookie(response: Response) -> None:
    """Tell the browser to drop a session cookie that no longer opens anything."""
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax")


def too_many(wait: float) -> Response:
    return error_response(
        429,
        "Too many failed authentications from this client; try again later.",
        "TOO_MANY_REQUESTS",
        headers={"retry-after": str(math.ceil(wait))},
    )
