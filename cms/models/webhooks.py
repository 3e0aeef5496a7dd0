"""Webhooks: the endpoints admins register, and a log of every delivery made to them."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.accounts import Account


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not sent yet, or failed and waiting for its next attempt
    DELIVERED = "delivered"  # the receiver answered 2xx
    FAILED = "failed"  # gave up after its last attempt


class WebhookEndpoint(Model):
    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    # Event types it receives, such as ["post.published", "media.ready"].
    events: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # The HMAC key deliveries are signed with. Kept as is (signing needs it), shown once when
    # made, never listed, never logged.
    secret = fields.CharField(max_length=100)
    active = fields.BooleanField(default=True)
    description = fields.CharField(max_length=300, default="")
    created_by: fields.ForeignKeyNullableRelation["Account"] = fields.ForeignKeyField(
        "models.Account", related_name="webhooks", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_endpoint"


class WebhookDelivery(Model):
    """One event sent to one endpoint, with the outcome of its latest attempt."""

    id = fields.IntField(primary_key=True)
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint_id: int
    event_type = fields.CharField(max_length=64)
    # The JSON body exactly as sent (every attempt sends the same bytes).
    payload = fields.TextField()
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.PENDING)
    attempts = fields.IntField(default=0)
    response_code = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    # How long the latest attempt took, redirects included.
    duration_ms = fields.IntField(null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_delivery"
        # The delivery log of one endpoint, newest first, optionally by status.
        indexes = (("endpoint_id", "status", "id"),)
