"""Mutations for webhook endpoints, redelivery and test events (administrators)."""

from __future__ import annotations

from dataclasses import field
from typing import Annotated

import strawberry

from cms.graphql.context import Info
from cms.graphql.ids import required_id
from cms.graphql.payloads import DeletePayload, MutationError, run
from cms.graphql.permissions import Requires
from cms.graphql.webhooks.types import WebhookDelivery, WebhookEndpoint
from cms.services.permissions import Permission
from cms.services.webhooks import EVENT_TYPES, deliveries, endpoints

_EVENTS = strawberry.argument(description=f"Event types, among {', '.join(EVENT_TYPES)}.")


@strawberry.type
class WebhookPayload:
    webhook: WebhookEndpoint | None = None
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class WebhookSecretPayload:
    webhook: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret: shown now and never again. Deliveries carry "
        'Cinq-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with it>.',
    )
    errors: list[MutationError] = field(default_factory=list)


@strawberry.type
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = None
    errors: list[MutationError] = field(default_factory=list)


def _with_secret(issued: endpoints.Issued) -> WebhookSecretPayload:
    return WebhookSecretPayload(
        webhook=WebhookEndpoint.build(issued.endpoint), secret=issued.secret
    )


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        description="Register an endpoint; the payload carries its secret, once.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def create_webhook(
        self,
        info: Info,
        url: str,
        events: Annotated[list[str], _EVENTS],
        description: str = "",
        active: bool = True,
    ) -> WebhookSecretPayload:
        async def write() -> WebhookSecretPayload:
            context = info.context
            issued = await endpoints.create(
                url,
                events,
                allow_private=context.settings.webhook_allow_private,
                description=description,
                active=active,
                account_id=context.viewer.account_id,
            )
            return _with_secret(issued)

        return await run(WebhookSecretPayload, write)

    @strawberry.mutation(
        description="Change an endpoint's URL, events, state or description (those given).",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def update_webhook(
        self,
        info: Info,
        id: strawberry.ID,
        url: str | None = None,
        events: Annotated[list[str] | None, _EVENTS] = None,
        active: bool | None = None,
        description: str | None = None,
    ) -> WebhookPayload:
        async def write() -> WebhookPayload:
            endpoint = await endpoints.update(
                required_id(id),
                allow_private=info.context.settings.webhook_allow_private,
                url=url,
                events=events,
                active=active,
                description=description,
            )
            return WebhookPayload(webhook=WebhookEndpoint.build(endpoint))

        return await run(WebhookPayload, write)

    @strawberry.mutation(
        description="Replace an endpoint's secret at once (retries too are signed with the "
        "new one); the payload carries it, once.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def rotate_webhook_secret(self, id: strawberry.ID) -> WebhookSecretPayload:
        async def write() -> WebhookSecretPayload:
            return _with_secret(await endpoints.rotate_secret(required_id(id)))

        return await run(WebhookSecretPayload, write)

    @strawberry.mutation(
        description="Delete an endpoint with its delivery log; what is pending is not sent.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def delete_webhook(self, id: strawberry.ID) -> DeletePayload:
        async def write() -> DeletePayload:
            await endpoints.delete(required_id(id))
            return DeletePayload(deleted_id=id)

        return await run(DeletePayload, write)

    @strawberry.mutation(
        description="Send a delivery's body again, as a new delivery of the same event.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def redeliver_webhook_delivery(self, id: strawberry.ID) -> WebhookDeliveryPayload:
        async def write() -> WebhookDeliveryPayload:
            copy = await deliveries.redeliver(required_id(id))
            return WebhookDeliveryPayload(delivery=WebhookDelivery.build(copy))

        return await run(WebhookDeliveryPayload, write)

    @strawberry.mutation(
        description="Send a test event (type webhook.test) to an endpoint now, whatever events "
        "it receives. It is signed like every delivery and tried once, not retried: the "
        "delivery returned, once sent, tells whether the receiver accepted it.",
        extensions=[Requires(Permission.MANAGE_WEBHOOKS)],
    )
    async def send_webhook_test(self, id: strawberry.ID) -> WebhookDeliveryPayload:
        async def write() -> WebhookDeliveryPayload:
            delivery = await deliveries.send_test(required_id(id))
            return WebhookDeliveryPayload(delivery=WebhookDelivery.build(delivery))

        return await run(WebhookDeliveryPayload, write)
