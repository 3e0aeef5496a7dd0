"""Old addresses of the site and where they lead now."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.posts import Post
    from cms.models.taxonomy import Category, Tag


class Redirect(Model):
    """A path the site once served (a WordPress permalink, ``/?p=123``, an archive) and its
    target: a post, category or tag in one locale, followed as its slug changes, or a fixed
    path."""

    id = fields.IntField(primary_key=True)
    # Normalised by cms.services.redirects.normalise_path: decoded, NFC, no trailing slash.
    path = fields.CharField(max_length=1000, unique=True)
    post: fields.ForeignKeyNullableRelation["Post"] = fields.ForeignKeyField(
        "models.Post", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
    post_id: int | None
    category: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "models.Category", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    tag: fields.ForeignKeyNullableRelation["Tag"] = fields.ForeignKeyField(
        "models.Tag", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
    tag_id: int | None
    locale = fields.CharField(max_length=35, null=True)
    # A fixed target, for a path that leads to no post or term.
    target = fields.CharField(max_length=1000, null=True)
    # 301 (moved for good), 302 (for now) or 410 (gone).
    status = fields.SmallIntField(default=301)
    # Where it came from: "wordpress" for an import, "" when made by hand.
    origin = fields.CharField(max_length=50, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "redirect"
