"""Queries for administrators: webhook endpoints and the delivery log."""

from __future__ import annotations

import strawberry

from cms.graphql.common import PageInfo
from cms.graphql.context import Info
from cms.graphql.errors import BadUserInput
from cms.graphql.ids import parse_id
from cms.graphql.permissions import Requires
from cms.graphql.webhooks.types import (
    DeliveryStatusEnum,
    WebhookDelivery,
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookEndpoint,
)
from cms.models import DeliveryStatus
from cms.models import WebhookEndpoint as EndpointModel
from cms.services.cursors import InvalidCursor
from cms.services.permissions import Permission
from cms.services.webhooks import EVENT_TYPES, deliveries


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="Every webhook endpoint (never its secret).",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def webhooks(self) -> list[WebhookEndpoint]:
        return [WebhookEndpoint.build(e) for e in await EndpointModel.all().order_by("id")]

    @strawberry.field(
        description="The event types an endpoint may receive.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    def webhook_event_types(self) -> list[str]:
        return list(EVENT_TYPES)

    @strawberry.field(
        description="The delivery log, newest first: of one endpoint, in one status, or all.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def webhook_deliveries(
        self,
        info: Info,
        endpoint_id: strawberry.ID | None = None,
        status: DeliveryStatusEnum | None = None,  # type: ignore[valid-type]
        first: int = 20,
        after: str | None = None,
    ) -> WebhookDeliveryConnection:
        first = info.context.page_size(first)
        try:
            page = await deliveries.page(
                endpoint_id=parse_id(endpoint_id, "endpointId"),
                status=DeliveryStatus(status) if status is not None else None,
                first=first,
                after=after,
            )
        except InvalidCursor:
            raise BadUserInput("'after' is not a cursor of this list.", field="after") from None
        edges = [
            WebhookDeliveryEdge(cursor=deliveries.encode_cursor(d), node=WebhookDelivery.build(d))
            for d in page.deliveries
        ]
        return WebhookDeliveryConnection(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next=page.has_next, has_previous=bool(after)
            ),
        )
