"""Expected failures of domain operations, which the API reports as data.

ContentError            field, code, message: the caller can fix the request
└── VersionConflict     the post changed since the caller read it; carries the version
"""

from __future__ import annotations


class ContentError(Exception):
    def __init__(self, field: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


class VersionConflict(ContentError):
    def __init__(self, current_version: int) -> None:
        super().__init__(
            "expectedVersion",
            "VERSION_CONFLICT",
            f"The post has changed since you read it: it is now at version {current_version}. "
            "Reload it, reapply your change, and send the new version.",
        )
        self.current_version = current_version


def not_found(what: str, ident: object, field: str = "id") -> ContentError:
    return ContentError(field, "NOT_FOUND", f"No {what} has id {ident}.")
