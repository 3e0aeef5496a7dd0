"""What the layers answering one request tell each other, in one typed object.

The outermost layer (:class:`cms.http.middleware.RequestId`) puts a :class:`RequestState` in
the request's state (``scope["state"]``, Starlette's ``request.state``); the layers inside fill
it in as they answer, and the layers outside read it once the answer is on its way:

- the request id, for an answer written after :class:`~cms.http.middleware.RequestId` has
  returned (Starlette's last-resort error handler);
- the GraphQL operation's name, set by the GraphQL view, for the metrics and the access line;
- the strong ETag of a public answer, set by whoever answers (the GraphQL view, feeds,
  calendars): with it, the response cache may keep the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

#: The name of the request's :class:`RequestState` in ``scope["state"]``.
STATE_KEY = "cms"


@dataclass(slots=True)
class RequestState:
    """One request's facts, shared by the layers that answer it."""

    #: The id in the ``X-Request-ID`` header and in the log lines; ``-`` outside RequestId.
    request_id: str = "-"
    #: The GraphQL operation's name as the metrics and the access line show it.
    operation_name: str | None = None
    #: The strong ETag of an answer anyone may be given; None for a private answer, which
    #: the response cache never keeps.
    public_etag: str | None = None


def begin(scope: Scope, request_id: str) -> RequestState:
    """A fresh state for the request of ``scope``, kept in its ``scope["state"]``."""
    state = RequestState(request_id=request_id)
    scope.setdefault("state", {})[STATE_KEY] = state
    return state


def request_state(scope: Scope) -> RequestState:
    """The state of the request of ``scope``; a fresh one when no layer began it (an app
    assembled without :class:`~cms.http.middleware.RequestId`)."""
    states = scope.setdefault("state", {})
    state: RequestState | None = states.get(STATE_KEY)
    if state is None:
        state = states[STATE_KEY] = RequestState()
    return state
