"""Posts and their per-locale translations."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.accounts import Account
    from cms.models.authors import Author
    from cms.models.events import Event
    from cms.models.media import Media
    from cms.models.taxonomy import Category, Tag


class PostStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class TranslationStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Post(Model):
    id = fields.IntField(primary_key=True)
    # Position in its category's numbered series ("8. Réseautage…" is number 8).
    series_number = fields.IntField(null=True)
    status = fields.CharEnumField(PostStatus, max_length=16, default=PostStatus.DRAFT)
    publish_at = fields.DatetimeField(null=True)
    unpublish_at = fields.DatetimeField(null=True)
    published_at = fields.DatetimeField(null=True)
    author: fields.ForeignKeyNullableRelation["Author"] = fields.ForeignKeyField(
        "models.Author", related_name="posts", null=True, on_delete=fields.RESTRICT
    )
    author_id: int | None
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "models.Category", related_name="posts", null=True, on_delete=fields.RESTRICT
    )
    category_id: int | None
    # Media still used as a cover cannot be deleted.
    cover: fields.ForeignKeyNullableRelation["Media"] = fields.ForeignKeyField(
        "models.Media", related_name="covers", null=True, on_delete=fields.RESTRICT
    )
    cover_id: int | None
    tags: fields.ManyToManyRelation["Tag"] = fields.ManyToManyField(
        "models.Tag", related_name="posts", through="post_tag", on_delete=fields.CASCADE
    )
    # Bumped on every save; updates must name the version they read.
    version = fields.IntField(default=1)
    # The locale the post was first written in: the translation the others follow unless
    # they name another. Null only for rows written around the authoring service.
    source_locale = fields.CharField(max_length=35, null=True)
    created_by: fields.ForeignKeyNullableRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="posts", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    # Set when moved to the trash: hidden everywhere, slugs still reserved, until purged.
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    # Declared on the other side: Event.posts, PostTranslation.post.
    events: fields.ManyToManyRelation["Event"]
    translations: fields.ReverseRelation["PostTranslation"]

    class Meta:
        table = "post"
        unique_together = (("category", "series_number"),)
        indexes = (("status", "published_at"),)


class PostTranslation(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="translations", on_delete=fields.CASCADE
    )
    post_id: int
    locale = fields.CharField(max_length=35)
    # A published post shows only its published translations; readers of a locale whose
    # translation is still a draft get the fallback.
    status = fields.CharEnumField(
        TranslationStatus,
        max_length=16,
        default=TranslationStatus.PUBLISHED,
        db_default=TranslationStatus.PUBLISHED.value,
    )
    title = fields.CharField(max_length=300)
    slug = fields.CharField(max_length=200)
    excerpt = fields.TextField(default="")
    # Markdown source; the fields below are derived from it when it is saved.
    body = fields.TextField(default="")
    body_html = fields.TextField(default="")
    body_text = fields.TextField(default="")
    # ``[{"level": 2, "text": "…", "anchor": "…"}, …]`` for a table of contents.
    headings: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    word_count = fields.IntField(default=0)
    reading_minutes = fields.IntField(default=0)
    seo_title = fields.CharField(max_length=300, null=True)
    seo_description = fields.CharField(max_length=500, null=True)
    # Starts at 1 and moves up whenever the text (title, excerpt, body, SEO title or
    # description) changes; a slug or status change leaves it.
    text_version = fields.IntField(default=1, db_default=1)
    # The translation this one was made from, and the ``text_version`` of it the translator
    # saw: the translation is outdated once the source's text_version moves past it. Both are
    # null on the post's source translation, which follows nothing.
    source_locale = fields.CharField(max_length=35, null=True)
    source_version = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "post_translation"
        unique_together = (("post", "locale"), ("locale", "slug"))
        # Covers the visibility test of every list ("has a published translation in one of
        # these locales") without reading the wide rows that hold the bodies.
        indexes = (("locale", "status", "post_id"),)


class PostSlug(Model):
    """A slug one of a post's translations had before: links that used it keep finding the
    post, whose current slug tells a frontend where to redirect."""

    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[Post] = fields.ForeignKeyField(
        "models.Post", related_name="old_slugs", on_delete=fields.CASCADE
    )
    post_id: int
    locale = fields.CharField(max_length=35)
    slug = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "post_slug"
        # The newest owner of an old slug wins: a slug is recorded once per locale.
        unique_together = (("locale", "slug"),)
