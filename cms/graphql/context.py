"""What every resolver receives: settings, the viewer, and per-request loaders.

A context is made for every request, cached answers aside, so it holds references only: the
loaders are made when a resolver first asks for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from cms.files.storage import Storage
from cms.graphql.errors import BadUserInput
from cms.graphql.loaders import Loaders
from cms.services.change_log import ChangeFeed
from cms.services.permissions import ANONYMOUS, Viewer
from cms.settings import Settings


@dataclass(slots=True)
class Context:
    """One operation's context.

    ``request`` and ``response`` are absent when an operation runs outside the endpoint (a
    test executing the schema directly). Over HTTP, ``response`` is the answer's sub-response,
    where a resolver may set a status or a header; over WebSocket both are the socket.
    """

    settings: Settings
    #: Where uploaded files are, and their public addresses.
    storage: Storage
    request: Request | WebSocket | None = None
    response: Response | WebSocket | None = None
    viewer: Viewer = ANONYMOUS
    #: The process's change feed, which subscriptions listen to.
    changes: ChangeFeed | None = None
    #: Set by the schema when the operation runs: "query", "mutation" or "subscription".
    operation_type: str | None = None
    #: A WebSocket's connection_init payload.
    connection_params: dict[str, Any] | None = None
    _loaders: dict[bool, Loaders] = field(default_factory=dict)

    @property
    def loaders(self) -> Loaders:
        """Loaders of published content, what anonymous readers see."""
        return self.loaders_for(published_only=True)

    def loaders_for(self, published_only: bool) -> Loaders:
        loaders = self._loaders.get(published_only)
        if loaders is None:
            loaders = self._loaders[published_only] = Loaders(published_only=published_only)
        return loaders

    def chain(self, locale: str | None) -> tuple[str, ...]:
        """The fallback chain for a requested locale (the default locale when None)."""
        if locale is None:
            return self.settings.locale_chain(self.settings.default_locale)
        if locale not in self.settings.locales:
            known = ", ".join(self.settings.locales)
            raise BadUserInput(f"Unknown locale {locale!r}; use one of {known}.", field="locale")
        return self.settings.locale_chain(locale)

    def page_size(self, first: int) -> int:
        limit = self.settings.max_page_size
        if not 1 <= first <= limit:
            raise BadUserInput(
                f"'first' must be between 1 and {limit}, got {first}.", field="first"
            )
        return first


Info = StrawberryInfo[Context, None]
