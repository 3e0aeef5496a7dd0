"""Deliveries reach a real receiver, signed, retried with backoff, and logged attempt by attempt."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.jobs.worker import Worker
from cms.models import DeliveryStatus, Job, JobStatus, PostStatus, WebhookDelivery
from cms.services import post_writing
from cms.services.cursors import InvalidCursor
from cms.services.webhooks import DELIVERY_JOB, MAX_ATTEMPTS, deliveries, endpoints
from cms.webhooks.signing import verify
from tests.factories import make_post
from tests.servers import Answer, Receiver
from tests.webhooks.test_sender import HOST, allowing, resolving

ACTOR = post_writing.Actor.system(("fr-CA", "en-CA"))


def app_worker(settings) -> Worker:
    """The app's own worker, allowed to reach the receiver on 127.0.0.1."""
    allowed = replace(settings, webhook_allow_private=True)
    return build_worker(allowed, LocalStorage(settings.media_root))


async def _publish_one(url: str) -> tuple[endpoints.Issued, int]:
    issued = await endpoints.create(url, ["post.published"], allow_private=True)
    post = await make_post(status=PostStatus.DRAFT)
    await post_writing.publish(ACTOR, post.id, 1)
    return issued, post.id


async def _due_now() -> None:
    await Job.filter(kind=DELIVERY_JOB).update(run_at=datetime.now(UTC) - timedelta(seconds=1))


async def test_a_delivery_is_signed_and_logged(settings) -> None:
    with Receiver() as receiver:
        issued, post_id = await _publish_one(f"{receiver.url}/hooks/cinq")
        assert await app_worker(settings).run_until_idle() == 1

    (got,) = receiver.received
    delivery = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
    assert got.path == "/hooks/cinq" and got.body == delivery.payload.encode()
    assert got.headers["content-type"] == "application/json"
    assert got.headers["user-agent"].startswith("Cinq-Webhooks/")
    assert got.headers["cinq-event"] == "post.published"
    assert got.headers["cinq-delivery"] == str(delivery.id)
    assert verify(issued.secret, got.body, got.headers["cinq-signature"])
    body = json.loads(got.body)
    assert body["type"] == "post.published" and body["data"]["id"] == str(post_id)
    assert set(body) == {"id", "type", "createdAt", "data"}
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert delivery.last_error is None and delivery.delivered_at is not None
    assert delivery.duration_ms is not None and delivery.last_attempt_at is not None


async def test_a_500_is_retried_with_backoff_and_the_log_shows_both_attempts(settings) -> None:
    with Receiver(answers=[Answer(500, body=b"database down")]) as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        worker = app_worker(settings)

        assert await worker.run_until_idle() == 1
        delivery = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
        assert (delivery.status, delivery.attempts, delivery.response_code) == (
            DeliveryStatus.PENDING,
            1,
            500,
        )
        assert delivery.last_error == "HTTP 500: database down"
        job = await Job.get(kind=DELIVERY_JOB)
        assert job.status is JobStatus.PENDING and job.run_at > datetime.now(UTC)
        assert await worker.run_until_idle() == 0  # backing off: not due yet

        await _due_now()  # the backoff has passed
        assert await worker.run_until_idle() == 1

    delivery = await WebhookDelivery.get(id=delivery.id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
    )
    assert delivery.last_error is None
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["cinq-delivery"] == second.headers["cinq-delivery"]
    assert all(verify(issued.secret, r.body, r.headers["cinq-signature"]) for r in (first, second))
    assert (await Job.get(kind=DELIVERY_JOB)).status is JobStatus.DONE


async def test_after_the_last_attempt_the_delivery_is_failed(settings) -> None:
    with Receiver(then=Answer(503)) as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        worker = app_worker(settings)
        for _ in range(MAX_ATTEMPTS):
            assert await worker.run_until_idle() == 1
            await _due_now()
        assert await worker.run_until_idle() == 0

    delivery = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.FAILED,
        MAX_ATTEMPTS,
        503,
    )
    assert len(receiver.received) == MAX_ATTEMPTS
    assert (await Job.get(kind=DELIVERY_JOB)).status is JobStatus.FAILED


async def test_without_the_allow_setting_the_app_does_not_send_to_loopback(settings) -> None:
    with Receiver() as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        worker = build_worker(settings, LocalStorage(settings.media_root))
        assert await worker.run_until_idle() == 1
    assert receiver.received == []
    delivery = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
    assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.response_code is None
    assert "127.0.0.1, a loopback address" in delivery.last_error


async def test_a_redirect_to_the_metadata_address_is_refused_by_the_delivery_job(
    settings,
) -> None:
    metadata = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
    with Receiver(then=Answer(302, {"location": metadata})) as receiver:
        issued, _ = await _publish_one(f"http://{HOST}:{receiver.port}/in")
        worker = Worker()
        worker.register(
            DELIVERY_JOB,
            *deliveries.handlers(allowing(receiver), resolving({HOST: "127.0.0.1"})),
        )
        assert await worker.run_until_idle() == 1
    assert len(receiver.received) == 1
    delivery = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
    assert delivery.status is DeliveryStatus.PENDING and delivery.response_code is None
    assert "169.254.169.254, a link-local address" in delivery.last_error


async def test_deliveries_of_a_deactivated_or_deleted_endpoint_are_not_sent(settings) -> None:
    with Receiver() as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        gone, _ = await _publish_one(f"{receiver.url}/gone")
        await endpoints.update(issued.endpoint.id, allow_private=True, active=False)
        await endpoints.delete(gone.endpoint.id)
        # Two posts published: two deliveries to the first endpoint, one to the second.
        assert await app_worker(settings).run_until_idle() == 3
    assert receiver.received == []
    left = await WebhookDelivery.all()
    assert {d.endpoint_id for d in left} == {issued.endpoint.id} and len(left) == 2
    for delivery in left:
        assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == 0
        assert "deactivated" in delivery.last_error


async def test_a_redelivery_sends_the_same_body_as_a_new_delivery(settings) -> None:
    with Receiver(then=Answer(500)) as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        worker = app_worker(settings)
        await worker.run_until_idle()
        original = await WebhookDelivery.get(endpoint_id=issued.endpoint.id)
        receiver.then = Answer(204)

        copy = await deliveries.redeliver(original.id)
        assert await worker.run_until_idle() == 1

    copy = await WebhookDelivery.get(id=copy.id)
    assert copy.id != original.id and copy.payload == original.payload
    assert (copy.status, copy.attempts, copy.response_code) == (DeliveryStatus.DELIVERED, 1, 204)
    assert receiver.received[-1].headers["cinq-delivery"] == str(copy.id)
    assert (await WebhookDelivery.get(id=original.id)).status is DeliveryStatus.PENDING


async def test_rotating_the_secret_signs_the_next_attempts_with_the_new_one(settings) -> None:
    with Receiver(answers=[Answer(500)]) as receiver:
        issued, _ = await _publish_one(f"{receiver.url}/in")
        worker = app_worker(settings)
        await worker.run_until_idle()
        rotated = await endpoints.rotate_secret(issued.endpoint.id)
        await _due_now()
        await worker.run_until_idle()
    first, second = receiver.received
    assert rotated.secret != issued.secret and rotated.secret.startswith("whsec_")
    assert verify(issued.secret, first.body, first.headers["cinq-signature"])
    assert not verify(issued.secret, second.body, second.headers["cinq-signature"])
    assert verify(rotated.secret, second.body, second.headers["cinq-signature"])


async def test_the_log_pages_newest_first_by_endpoint_and_status(settings) -> None:
    hooks = [
        await endpoints.create(
            f"https://{name}.example.com/", ["post.published"], allow_private=True
        )
        for name in ("a", "b", "c")
    ]
    for _ in range(3):
        post = await make_post(status=PostStatus.DRAFT)
        await post_writing.publish(ACTOR, post.id, 1)
    newest_first = [d.id for d in await WebhookDelivery.all().order_by("-id")]
    assert len(newest_first) == 9
    await WebhookDelivery.filter(id=newest_first[0]).update(status=DeliveryStatus.DELIVERED)

    page = await deliveries.page(first=4)
    assert [d.id for d in page.deliveries] == newest_first[:4] and page.has_next
    cursor = deliveries.encode_cursor(page.deliveries[-1])
    rest = await deliveries.page(first=10, after=cursor)
    assert [d.id for d in rest.deliveries] == newest_first[4:] and not rest.has_next

    mine = await deliveries.page(endpoint_id=hooks[1].endpoint.id)
    assert len(mine.deliveries) == 3
    assert {d.endpoint_id for d in mine.deliveries} == {hooks[1].endpoint.id}
    done = await deliveries.page(status=DeliveryStatus.DELIVERED)
    assert [d.id for d in done.deliveries] == [newest_first[0]]
    with pytest.raises(InvalidCursor):
        await deliveries.page(after="bm9wZQ==")
