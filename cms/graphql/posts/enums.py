"""Enums of the post API, shared by its types and its list arguments."""

from __future__ import annotations

from enum import Enum

import strawberry

from cms.models import PostStatus, TranslationStatus
from cms.services import translation_sources as sources

PostStatusEnum = strawberry.enum(PostStatus, name="PostStatus")
TranslationStatusEnum = strawberry.enum(TranslationStatus, name="TranslationStatus")


@strawberry.enum(description="Where one locale of a post stands.")
class TranslationState(Enum):
    MISSING = strawberry.enum_value(
        sources.TranslationState.MISSING.value, description="No translation in this locale."
    )
    DRAFT = strawberry.enum_value(
        sources.TranslationState.DRAFT.value,
        description="Written, but readers do not see it: it, or the whole post, is unpublished.",
    )
    PUBLISHED = strawberry.enum_value(
        sources.TranslationState.PUBLISHED.value,
        description="Readers see it, and it is up to date with the text it follows.",
    )
    OUTDATED = strawberry.enum_value(
        sources.TranslationState.OUTDATED.value,
        description="The text it follows changed after the version it was written against "
        "(`isPublished` still tells whether readers see it).",
    )
