"""Delivering: the job that POSTs one delivery, the log it keeps, redelivery.

Each attempt records its outcome on the delivery (status, response code, error, duration,
attempts). A 2xx answer delivers it; anything else, or no answer, fails the attempt and the
job queue retries it with exponential backoff; after the last attempt the delivery is marked
failed. Nothing here logs or returns an endpoint's secret.

The job handlers report outcomes to a callback, for the metrics: each attempt is
``delivered`` or ``failed`` (not landed), or ``inactive`` (dropped: the endpoint was deactivated
first); and a delivery whose last attempt failed is also ``gave_up``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from cms import __version__
from cms.jobs import queue
from cms.jobs.worker import GiveUp, Handler
from cms.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from cms.services import cursors
from cms.services.errors import ContentError, not_found
from cms.services.webhooks import DELIVERY_JOB, MAX_ATTEMPTS, envelope
from cms.webhooks import signing
from cms.webhooks.addresses import AddressCheck
from cms.webhooks.sender import Resolver, SendError, post, system_resolver

USER_AGENT = f"Cinq-Webhooks/{__version__}"
_ERROR_EXCERPT = 300

Outcome = Literal["delivered", "failed", "gave_up", "inactive"]


class DeliveryFailed(Exception):
    """This attempt did not deliver; the job queue tries again later."""


def handlers(
    check: AddressCheck,
    resolve: Resolver = system_resolver,
    count: Callable[[Outcome], None] | None = None,
) -> tuple[Handler, GiveUp]:
    """The job handler and give-up hook, sending under the address rules of ``check``, and
    telling ``count`` what each attempt came to."""

    def record(outcome: Outcome) -> None:
        if count is not None:
            count(outcome)

    async def run(payload: dict[str, Any]) -> None:
        try:
            outcome = await deliver(payload["delivery_id"], check=check, resolve=resolve)
        except Exception:
            record("failed")  # the job queue tries again, or gives up
            raise
        if outcome is not None:
            record(outcome)

    async def gave_up(payload: dict[str, Any], error: str) -> None:
        failed = await WebhookDelivery.filter(
            id=payload["delivery_id"], status=DeliveryStatus.PENDING
        ).update(status=DeliveryStatus.FAILED, updated_at=datetime.now(UTC))
        if failed:
            record("gave_up")

    return run, gave_up


async def deliver(
    delivery_id: int, *, check: AddressCheck, resolve: Resolver = system_resolver
) -> Outcome | None:
    """Make one attempt at a pending delivery; :class:`DeliveryFailed` when it did not land.

    Returns ``delivered``, ``inactive`` (dropped: its endpoint was deactivated), or None when
    there was nothing to send.
    """
    delivery = await WebhookDelivery.get_or_none(id=delivery_id).select_related("endpoint")
    if delivery is None or delivery.status is not DeliveryStatus.PENDING:
        return None  # its endpoint was deleted, or a run that died afterwards delivered it
    endpoint: WebhookEndpoint = delivery.endpoint
    if not endpoint.active:
        await WebhookDelivery.filter(id=delivery_id).update(
            status=DeliveryStatus.FAILED,
            last_error="The endpoint was deactivated before this delivery was sent.",
            updated_at=datetime.now(UTC),
        )
        return "inactive"
    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Cinq-Event": delivery.event_type,
        "Cinq-Delivery": str(delivery.id),
        "Cinq-Signature": signing.sign(endpoint.secret, body),
    }
    attempted_at = datetime.now(UTC)
    started = time.monotonic()
    try:
        reply = await post(endpoint.url, body, headers, check=check, resolve=resolve)
    except SendError as exc:
        await _record(delivery_id, attempted_at, started, None, str(exc))
        raise DeliveryFailed(str(exc)) from None
    if 200 <= reply.status_code < 300:
        await _record(delivery_id, attempted_at, started, reply.status_code, None)
        return "delivered"
    error = f"HTTP {reply.status_code}"
    if excerpt := reply.excerpt.strip():
        error += f": {excerpt[:_ERROR_EXCERPT]}"
    await _record(delivery_id, attempted_at, started, reply.status_code, error)
    raise DeliveryFailed(error)


async def _record(
    delivery_id: int,
    attempted_at: datetime,
    started: float,
    code: int | None,
    error: str | None,
) -> None:
    delivered = error is None
    await WebhookDelivery.filter(id=delivery_id).update(
        status=DeliveryStatus.DELIVERED if delivered else DeliveryStatus.PENDING,
        attempts=F("attempts") + 1,
        response_code=code,
        last_error=error,
        duration_ms=round((time.monotonic() - started) * 1000),
        last_attempt_at=attempted_at,
        delivered_at=datetime.now(UTC) if delivered else None,
        updated_at=datetime.now(UTC),
    )


async def redeliver(delivery_id: int) -> WebhookDelivery:
    """Send a delivery's body again, as a new delivery (the log keeps both)."""
    original = await WebhookDelivery.get_or_none(id=delivery_id).select_related("endpoint")
    if original is None:
        raise not_found("webhook delivery", delivery_id)
    if not original.endpoint.active:
        raise ContentError("id", "INVALID", "The webhook is inactive: activate it first.")
    async with in_transaction():
        copy = await WebhookDelivery.create(
            endpoint_id=original.endpoint_id,
            event_type=original.event_type,
            payload=original.payload,
        )
        await queue.enqueue(DELIVERY_JOB, {"delivery_id": copy.id}, max_attempts=MAX_ATTEMPTS)
    return copy


#: The type of the event an administrator sends to try an endpoint.
TEST_EVENT = "webhook.test"


async def send_test(endpoint_id: int) -> WebhookDelivery:
    """Queue a ``webhook.test`` event for one endpoint, whatever events it receives: signed
    like any delivery, and tried once, so that its outcome is the answer to the test."""
    async with in_transaction():
        endpoint = await WebhookEndpoint.select_for_update().get_or_none(id=endpoint_id)
        if endpoint is None:
            raise not_found("webhook", endpoint_id)
        if not endpoint.active:
            raise ContentError("id", "INVALID", "The webhook is inactive: activate it first.")
        body = envelope(
            TEST_EVENT,
            {"webhookId": str(endpoint_id), "message": "A test event, sent from Cinq."},
        )
        delivery = await WebhookDelivery.create(
            endpoint_id=endpoint_id, event_type=TEST_EVENT, payload=body
        )
        await queue.enqueue(DELIVERY_JOB, {"delivery_id": delivery.id}, max_attempts=1)
    return delivery


@dataclass(frozen=True)
class DeliveryPage:
    deliveries: list[WebhookDelivery]
    has_next: bool


async def page(
    *,
    endpoint_id: int | None = None,
    status: DeliveryStatus | None = None,
    first: int = 20,
    after: str | None = None,
) -> DeliveryPage:
    """Deliveries, newest first, ``first`` at a time after the cursor ``after``."""
    query = WebhookDelivery.all()
    if endpoint_id is not None:
        query = query.filter(endpoint_id=endpoint_id)
    if status is not None:
        query = query.filter(status=status)
    if after is not None:
        query = query.filter(id__lt=decode_cursor(after))
    rows = await query.order_by("-id").limit(first + 1)
    return DeliveryPage(rows[:first], len(rows) > first)


_CURSOR_SCOPE = "deliveries"


def encode_cursor(delivery: WebhookDelivery) -> str:
    """An opaque cursor after ``delivery`` in the delivery log."""
    return cursors.encode(_CURSOR_SCOPE, delivery.id)


def decode_cursor(cursor: str) -> int:
    """The id of the delivery a cursor of :func:`encode_cursor` ends at;
    :class:`InvalidCursor` for a cursor of another list, or none of ours."""
    (delivery_id,) = cursors.decode(_CURSOR_SCOPE, cursor, 1)
    return cursors.int4(delivery_id)
