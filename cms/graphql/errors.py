"""Errors a client may cause, reported in GraphQL's error shape with a stable code.

Exception tree::

    GraphQLError (graphql-core)
    └── ClientError              code in ``extensions.code``; never masked
        ├── BadUserInput         BAD_USER_INPUT: an argument is out of range or malformed
        ├── Forbidden            FORBIDDEN: the caller's token lacks the right
        └── QueryTooComplex      QUERY_TOO_COMPLEX: the operation would fetch too much

Mutations report expected failures as data instead (``errors { field code message }`` in
their payload), see :mod:`cms.graphql.payloads`.

Any other exception raised while resolving is a bug or an outage: the client sees only
"Unexpected error." and the server logs the traceback with the request id.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class ClientError(GraphQLError):
    code = "CLIENT_ERROR"

    def __init__(self, message: str, *, field: str | None = None, **kwargs: Any) -> None:
        extensions: dict[str, Any] = {"code": self.code}
        if field is not None:
            extensions["field"] = field
        super().__init__(message, extensions=extensions, **kwargs)


class BadUserInput(ClientError):
    code = "BAD_USER_INPUT"


class Forbidden(ClientError):
    code = "FORBIDDEN"


class QueryTooComplex(ClientError):
    code = "QUERY_TOO_COMPLEX"


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised by resolvers, but not validation errors nor our own client errors."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)
