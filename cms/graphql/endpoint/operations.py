"""What a GraphQL request over HTTP must be before it runs.

Its members have the types the GraphQL-over-HTTP specification gives them (anything else,
``"operationName": []`` say, is the client's mistake, not a server error), and it is not a
subscription: over HTTP one would run as a query and fail as "Unexpected error.", while
subscriptions travel over graphql-transport-ws.
"""

from __future__ import annotations

from cross_web import HTTPException
from graphql import GraphQLError, parse
from strawberry.http import GraphQLRequestData
from strawberry.types.graphql import OperationType
from strawberry.utils.operation import get_operation_type


def check_members(data: GraphQLRequestData) -> None:
    """Refuse members of the wrong type with a 400 naming them."""
    for name, value, kinds, what in (
        ("query", data.query, str, "a string"),
        ("operationName", data.operation_name, str, "a string"),
        ("variables", data.variables, dict, "an object"),
        ("extensions", data.extensions, dict, "an object"),
    ):
        if value is not None and not isinstance(value, kinds):
            raise HTTPException(400, f"{name} must be {what} or null.")


def refuse_subscription(data: GraphQLRequestData, max_tokens: int) -> None:
    """Refuse a subscription with a 400 saying where subscriptions go."""
    query = data.query
    if not isinstance(query, str) or "subscription" not in query:
        return  # the cheap test first: most requests never parse twice
    try:
        document = parse(query, max_tokens=max_tokens)
        kind = get_operation_type(document, data.operation_name)
    except (GraphQLError, RuntimeError):
        return  # execution reports it
    if kind is OperationType.SUBSCRIPTION:
        raise HTTPException(
            400,
            "Subscriptions need a WebSocket: connect to /graphql with the "
            "graphql-transport-ws protocol. Queries and mutations go over HTTP.",
        )
