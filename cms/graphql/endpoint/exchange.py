"""The GraphQL view's own request class, and the adapter Strawberry reads it through.

Strawberry hands each of its hooks a part of the request: the request itself
(``get_context``, ``process_result``), or cross-web's adapter of it (``parse_http_body``,
``parse_multipart``). What one hook learns and a later one needs (the context, the upload to
clean up, whether the answer is public) travels on :class:`GraphQLRequest`, typed, rather than
in the ASGI scope where every layer would see it; :class:`GraphQLRequestAdapter` keeps the
request it adapts in sight of the hooks that only get the adapter.
"""

from __future__ import annotations

from cross_web import StarletteRequestAdapter
from starlette.requests import Request
from starlette.types import Receive, Scope

from cms.files.multipart import ParsedUpload
from cms.graphql.context import Context


class GraphQLRequest(Request):
    """A request to the GraphQL endpoint, and what the view learned while answering it."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        super().__init__(scope, receive)
        #: The operation's context, once Strawberry asked for it.
        self.context: Context | None = None
        #: The files of a multipart request, deleted when the request ends unless kept.
        self.upload: ParsedUpload | None = None
        #: Whether the answer may be given to anyone: an anonymous query without errors.
        self.public = False

    @property
    def operation_type(self) -> str | None:
        """The operation's kind ("query", "mutation" or "subscription"), once it ran."""
        return self.context.operation_type if self.context is not None else None


class GraphQLRequestAdapter(StarletteRequestAdapter):
    """Cross-web's adapter of a Starlette request, with the request itself public."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.request = request
