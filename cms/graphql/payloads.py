"""What every mutation returns: the object it wrote, or errors the caller can act on.

Each domain's mutations (``cms.graphql.<domain>.mutations``) declare their permission, parse
their arguments, call a service, and answer through :func:`run`. They hold no rule of who may do
what to which object and touch no model: the services check the caller's rights inside the
transaction of the write itself, and their refusals become the mutation's own payload like any
other error the caller can fix.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import field as dataclass_field
from enum import Enum
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from cms.graphql.errors import BadUserInput
from cms.services.accounts import AccountError
from cms.services.errors import ContentError, VersionConflict

P = TypeVar("P")


@strawberry.enum(description="Why a mutation did not do what was asked.")
class ErrorCode(Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    SLUG_TAKEN = "SLUG_TAKEN"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"


@strawberry.type(description="An expected failure: nothing was written.")
class MutationError:
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    code: ErrorCode
    message: str
    current_version: int | None = strawberry.field(
        default=None, description="With VERSION_CONFLICT: the version to reload."
    )

    @classmethod
    def of(
        cls, field: str | None, code: str, message: str, current_version: int | None = None
    ) -> MutationError:
        return cls(
            field=field, code=ErrorCode(code), message=message, current_version=current_version
        )

    @classmethod
    def from_input(cls, error: GraphQLError) -> MutationError:
        """A malformed argument (an id that is not one, an unknown locale)."""
        return cls.of((error.extensions or {}).get("field"), "INVALID", error.message)

    @classmethod
    def from_error(cls, error: ContentError | AccountError) -> MutationError:
        version = error.current_version if isinstance(error, VersionConflict) else None
        return cls.of(error.field, error.code, str(error), version)


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[MutationError] = dataclass_field(default_factory=list)


async def run(payload: Callable[..., P], write: Callable[[], Awaitable[P]]) -> P:
    """The payload ``write`` answers with, or a ``payload`` holding the caller-fixable error
    that stopped it (the services write nothing then).

    Every mutation answers through here, so a refusal (FORBIDDEN, NOT_FOUND, VERSION_CONFLICT,
    a malformed argument) reaches the client the same way whichever mutation it stopped.
    """
    try:
        return await write()
    except (ContentError, AccountError) as error:
        return payload(errors=[MutationError.from_error(error)])
    except BadUserInput as error:
        return payload(errors=[MutationError.from_input(error)])
