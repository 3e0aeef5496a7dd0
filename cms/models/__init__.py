"""Tortoise models, one module per domain. Nothing here imports the GraphQL layer."""

from cms.models.accounts import Account, ApiToken, PasswordLink, Role, Session, TokenScope
from cms.models.authors import Author, AuthorTranslation
from cms.models.changes import ContentChange
from cms.models.events import (
    Event,
    EventOverride,
    EventStatus,
    EventTranslation,
    Organizer,
    OrganizerTranslation,
    Venue,
)
from cms.models.imports import ImportedObject
from cms.models.jobs import Job, JobStatus
from cms.models.media import Media, MediaStatus
from cms.models.posts import Post, PostSlug, PostStatus, PostTranslation, TranslationStatus
from cms.models.redirects import Redirect
from cms.models.revisions import Revision
from cms.models.shared import AuthFailure, PersistedQuery
from cms.models.taxonomy import Category, CategoryTranslation, Tag, TagTranslation
from cms.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Account",
    "ApiToken",
    "AuthFailure",
    "Author",
    "AuthorTranslation",
    "Category",
    "CategoryTranslation",
    "ContentChange",
    "DeliveryStatus",
    "Event",
    "EventOverride",
    "EventStatus",
    "EventTranslation",
    "ImportedObject",
    "Job",
    "JobStatus",
    "Media",
    "MediaStatus",
    "Organizer",
    "OrganizerTranslation",
    "PasswordLink",
    "PersistedQuery",
    "Post",
    "PostSlug",
    "PostStatus",
    "PostTranslation",
    "Redirect",
    "Revision",
    "Role",
    "Session",
    "Tag",
    "TagTranslation",
    "TokenScope",
    "TranslationStatus",
    "Venue",
    "WebhookDelivery",
    "WebhookEndpoint",
]
