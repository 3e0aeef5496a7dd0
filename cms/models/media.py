"""Uploaded files: one row per upload, the bytes stored once per content."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.accounts import Account


class MediaStatus(StrEnum):
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Media(Model):
    id = fields.IntField(primary_key=True)
    # The client's name for the file: metadata only, never part of a path.
    original_filename = fields.CharField(max_length=255)
    # Sniffed from the bytes, never taken from the client.
    content_type = fields.CharField(max_length=100)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64, db_index=True)
    storage_key = fields.CharField(max_length=200)
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    # {"fr-CA": "…", "en-CA": "…"}
    alt: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    # Where the subject is, from 0 to 1 across and down; crops keep it in frame.
    focal_x = fields.FloatField(null=True)
    focal_y = fields.FloatField(null=True)
    status = fields.CharEnumField(MediaStatus, max_length=16, default=MediaStatus.READY)
    # Why the renditions could not be made, while the status is FAILED.
    failure = fields.TextField(null=True)
    # Derived, metadata-free files the public may fetch:
    # [{"width": 640, "height": 427, "format": "webp", "key": "renditions/…"}, …]
    renditions: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    # A colour to show while an image loads ("#a1b2c3").
    placeholder = fields.CharField(max_length=7, null=True)
    created_by: fields.ForeignKeyNullableRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="media", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "media"
