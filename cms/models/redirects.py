"""Old addresses of the site and where they lead now."""

from tortoise import fields
from tortoise.models import Model


class Redirect(Model):
    """A path the site once served (a WordPress permalink, ``/?p=123``, an archive) and its
    target: a post, category or tag in one locale, followed as its slug changes, or a fixed
    path."""

    id = fields.IntField(primary_key=True)
    # Normalised by cms.services.redirects.normalise_path: decoded, NFC, no trailing slash.
    path = fields.CharField(max_length=1000, unique=True)
    post: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Post", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
    category: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Category", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
    tag: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Tag", related_name="redirects", null=True, on_delete=fields.CASCADE
    )
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
