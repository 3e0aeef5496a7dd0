"""GraphQL types for webhooks. An endpoint's secret is never readable: the mutations that
make one return it once."""

from __future__ import annotations

import json
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from cms.graphql.common import PageInfo
from cms.models import DeliveryStatus
from cms.models import WebhookDelivery as DeliveryModel
from cms.models import WebhookEndpoint as EndpointModel
from cms.services.webhooks import EVENT_TYPES

DeliveryStatusEnum = strawberry.enum(
    DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING: not sent yet, or waiting to retry; DELIVERED: answered 2xx; "
    "FAILED: gave up.",
)


@strawberry.type(description="Where Cinq POSTs events. Its secret is shown once, when made.")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(description=f"Among: {', '.join(EVENT_TYPES)}.")
    active: bool
    description: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, endpoint: EndpointModel) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(endpoint.id)),
            url=endpoint.url,
            events=list(endpoint.events),
            active=endpoint.active,
            description=endpoint.description,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
        )


@strawberry.type(description="One event sent to one endpoint, with its latest attempt.")
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="Sent as the Cinq-Delivery header.")
    endpoint_id: strawberry.ID
    event_type: str
    status: DeliveryStatusEnum  # type: ignore[valid-type]
    attempts: int
    response_code: int | None = strawberry.field(description="Of the latest attempt.")
    last_error: str | None = strawberry.field(
        description="Why the latest attempt failed: an HTTP status with the start of the "
        "answer, a refused address, a timeout…"
    )
    duration_ms: int | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    payload: JSON = strawberry.field(description="The body sent.")

    @classmethod
    def build(cls, delivery: DeliveryModel) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(str(delivery.id)),
            endpoint_id=strawberry.ID(str(delivery.endpoint_id)),
            event_type=delivery.event_type,
            status=delivery.status,
            attempts=delivery.attempts,
            response_code=delivery.response_code,
            last_error=delivery.last_error,
            duration_ms=delivery.duration_ms,
            last_attempt_at=delivery.last_attempt_at,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
            payload=json.loads(delivery.payload),
        )


@strawberry.type
class WebhookDeliveryEdge:
    cursor: str
    node: WebhookDelivery


@strawberry.type
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge]
    page_info: PageInfo
