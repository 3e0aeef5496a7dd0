"""Webhooks: which events exist, and emitting one.

An event is emitted from inside the transaction of the write that caused it: :func:`emit`
writes one delivery row per active endpoint subscribed to its type and enqueues one durable
job per delivery, all in that transaction. A rolled-back write therefore sends nothing, and a
crash after the commit loses nothing: the jobs are there for the next process to run
(:mod:`cms.services.webhooks.deliveries`). Deliveries are at least once: a process that dies
between a receiver's answer and recording it sends again, with the same ``Cinq-Delivery``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cms.jobs import queue
from cms.models import WebhookDelivery, WebhookEndpoint

EVENT_TYPES = (
    "post.published",
    "post.unpublished",
    "post.updated",
    "post.deleted",
    "event.published",
    "event.unpublished",
    "event.updated",
    "event.deleted",
    "media.ready",
    # What posts and events show of their terms and places, changed for every page using them.
    "category.updated",
    "tag.updated",
    "tag.deleted",
    "author.updated",
    "organizer.updated",
    "venue.updated",
)
DELIVERY_JOB = "webhooks.deliver"
#: The job queue retries a failed delivery after 5 s, 10 s, 20 s, … doubling up to an hour
#: apart: twelve attempts span about two and a half hours.
MAX_ATTEMPTS = 12


#: An active endpoint: its id and the event types it receives.
Endpoint = tuple[int, Sequence[str]]


async def active_endpoints() -> list[Endpoint]:
    """Every active endpoint, with the event types it receives."""
    return await WebhookEndpoint.filter(active=True).values_list("id", "events")


async def emit(
    event_type: str, data: dict[str, Any], endpoints: Sequence[Endpoint] | None = None
) -> int:
    """Queue ``event_type`` for every active endpoint that receives it; how many were queued.

    Call it inside the transaction of the write that caused the event. ``endpoints`` are the
    active ones as that write already read them (:func:`active_endpoints`), else they are
    read here; one deactivated since is dropped when its delivery runs.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    if endpoints is None:
        endpoints = await active_endpoints()
    receivers = [ident for ident, events in endpoints if event_type in events]
    if not receivers:
        return 0
    body = envelope(event_type, data)
    for endpoint_id in receivers:
        delivery = await WebhookDelivery.create(
            endpoint_id=endpoint_id, event_type=event_type, payload=body
        )
        await queue.enqueue(DELIVERY_JOB, {"delivery_id": delivery.id}, max_attempts=MAX_ATTEMPTS)
    return len(receivers)


def envelope(event_type: str, data: dict[str, Any]) -> str:
    """The JSON body: ``id`` names the event (the same for every endpoint and redelivery)."""
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "type": event_type,
            "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
