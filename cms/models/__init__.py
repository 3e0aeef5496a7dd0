"""Tortoise models, one module per domain. Nothing here imports the GraphQL layer."""

from cms.models.authors import Author, AuthorTranslation
from cms.models.posts import Post, PostStatus, PostTranslation
from cms.models.taxonomy import Category, CategoryTranslation, Tag, TagTranslation

__all__ = [
    "Author",
    "AuthorTranslation",
    "Category",
    "CategoryTranslation",
    "Post",
    "PostStatus",
    "PostTranslation",
    "Tag",
    "TagTranslation",
]
