"""Append-only history of posts: a snapshot of the post and its translations at each save."""

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.accounts import Account
    from cms.models.posts import Post


class Revision(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation["Post"] = fields.ForeignKeyField(
        "models.Post", related_name="revisions", on_delete=fields.CASCADE
    )
    post_id: int
    # The post's version this snapshot records.
    version = fields.IntField()
    snapshot: fields.JSONField[dict[str, Any]] = fields.JSONField()
    account: fields.ForeignKeyNullableRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="revisions", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None
    # What caused it: "create", "update", "publish", "restore", …
    action = fields.CharField(max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "revision"
        unique_together = (("post", "version"),)
