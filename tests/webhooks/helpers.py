"""Shared by the webhook tests: endpoints subscribed to everything, and what was queued."""

from __future__ import annotations

import json

from cms.models import Job, WebhookDelivery
from cms.services.webhooks import DELIVERY_JOB, EVENT_TYPES, endpoints


async def subscribe(
    url: str = "https://hooks.example.com/cinq", events: tuple[str, ...] = EVENT_TYPES
) -> endpoints.Issued:
    return await endpoints.create(url, list(events), allow_private=True)


async def queued() -> list[tuple[str, dict]]:
    """(type, data) of every delivery queued so far, oldest first; each has its job."""
    deliveries = await WebhookDelivery.all().order_by("id")
    jobs = await Job.filter(kind=DELIVERY_JOB).values_list("payload", flat=True)
    assert sorted((p if isinstance(p, dict) else json.loads(p))["delivery_id"] for p in jobs) == [
        d.id for d in deliveries
    ]
    found = []
    for delivery in deliveries:
        body = json.loads(delivery.payload)
        assert body["type"] == delivery.event_type
        found.append((body["type"], body["data"]))
    return found


async def types() -> list[str]:
    return [kind for kind, _ in await queued()]
