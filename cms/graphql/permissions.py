"""Every mutation, and every field that can expose drafts, declares the permission it needs.

``Requires(permission)`` is a field extension: the schema itself records what each field
needs (a test walks the schema and fails on any mutation or draft-exposing field without
one), and the check runs before the resolver.

- On a mutation, a refusal is data: the payload comes back with an ``UNAUTHENTICATED``
  (anonymous caller, also answered with HTTP 401) or ``FORBIDDEN`` error and nothing else.
- On a query field, it is a GraphQL error with code ``FORBIDDEN``; ``when="preview"`` checks
  only when the field is asked with ``preview: true``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.types.field import StrawberryField

from cms.graphql.errors import Forbidden
from cms.graphql.payloads import MutationError
from cms.services.permissions import Permission


class Requires(FieldExtension):
    def __init__(self, permission: Permission, *, when: str | None = None) -> None:
        self.permission = permission
        self.when = when
        self.payload: type | None = None

    def apply(self, field: StrawberryField) -> None:
        # One instance per field: it remembers the field's payload type to build refusals in,
        # and an instance shared by two mutations would refuse one with the other's type.
        if getattr(self, "_field", None) not in (None, field):
            raise TypeError(
                f"Requires({self.permission}) is applied to two fields: give each field its own."
            )
        self._field = field
        payload = field.type
        if isinstance(payload, type) and "errors" in getattr(payload, "__annotations__", {}):
            self.payload = payload

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        if self.when is None or kwargs.get(self.when):
            refusal = self._refusal(info)
            if refusal is not None:
                return refusal
        return await next_(source, info, **kwargs)

    def _refusal(self, info: Any) -> Any:
        viewer = info.context.viewer
        if viewer.can(self.permission):
            return None
        if self.payload is None:
            raise Forbidden(f"This needs the {self.permission.value} permission.")
        if viewer.is_anonymous:
            response = info.context.response
            response.status_code = 401
            response.headers["www-authenticate"] = 'Bearer realm="cinq"'
            error = MutationError.of(
                None, "UNAUTHENTICATED", "Send a token: Authorization: Bearer <token>."
            )
        else:
            error = MutationError.of(
                None, "FORBIDDEN", f"Your token lacks the {self.permission.value} permission."
            )
        return self.payload(errors=[error])


def required_permission(field: StrawberryField) -> Requires | None:
    """The declaration on ``field``, for the schema-walking test."""
    return next((e for e in field.extensions if isinstance(e, Requires)), None)
