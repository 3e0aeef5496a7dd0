"""Append-only history of posts: a snapshot of the post and its translations at each save."""

from tortoise import fields
from tortoise.models import Model


class Revision(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Post", related_name="revisions", on_delete=fields.CASCADE
    )
    # The post's version this snapshot records.
    version = fields.IntField()
    snapshot = fields.JSONField()
    account: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="revisions", null=True, on_delete=fields.SET_NULL
    )
    # What caused it: "create", "update", "publish", "restore", …
    action = fields.CharField(max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "revision"
        unique_together = (("post", "version"),)
