"""A webhook owed by a committed write is sent even if the process dies right after it."""

from __future__ import annotations

import json
import signal

import httpx
import pytest

from cms.models import DeliveryStatus, Job, JobStatus, PostStatus, Role, WebhookDelivery
from cms.services import accounts
from cms.services.webhooks import DELIVERY_JOB, endpoints
from cms.webhooks.signing import verify
from tests.factories import make_post
from tests.servers import Receiver, app_env, free_port, spawn, wait_up
from tests.waiting import until

pytestmark = pytest.mark.server


async def test_a_publish_committed_before_a_kill_is_delivered_by_the_next_process(
    settings,
) -> None:
    editor = await accounts.create_account("e@example.test", "E", Role.EDITOR)
    token = (await accounts.issue_token(editor, "publishing")).secret
    post = await make_post(status=PostStatus.DRAFT)
    env = app_env(
        settings,
        CMS_SCHEDULER_INTERVAL="0",
        CMS_WEBHOOK_ALLOW_PRIVATE="true",  # the receiver is on 127.0.0.1
    )
    with Receiver() as receiver:
        issued = await endpoints.create(
            f"{receiver.url}/hook", ["post.published"], allow_private=True
        )
        port = free_port()
        first = spawn({**env, "CMS_JOB_POLL_INTERVAL": "0"}, port)  # sends nothing
        try:
            await wait_up(f"http://127.0.0.1:{port}")
            async with httpx.AsyncClient() as http:
                response = await http.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={
                        "query": f'mutation {{ publishPost(id: "{post.id}", expectedVersion: 1) '
                        "{ post { status } errors { code } } }"
                    },
                    headers={"authorization": f"Bearer {token}"},
                )
            assert response.json()["data"]["publishPost"]["post"]["status"] == "PUBLISHED"
            (delivery,) = await WebhookDelivery.all()
            assert delivery.status is DeliveryStatus.PENDING
        finally:
            first.send_signal(signal.SIGKILL)  # no shutdown: the delivery is left unsent
            first.communicate(timeout=10)
        assert receiver.received == []

        port = free_port()
        second = spawn({**env, "CMS_JOB_POLL_INTERVAL": "0.2"}, port)

        async def delivered() -> bool:
            return (await WebhookDelivery.get(id=delivery.id)).status is DeliveryStatus.DELIVERED

        try:
            await until(lambda: bool(receiver.received), "the next process to send", within=30)
            await until(delivered, "the delivery to be recorded", within=30)
        finally:
            second.terminate()
            output = second.communicate(timeout=20)[0]

    assert "Traceback" not in output, output
    (got,) = receiver.received
    assert verify(issued.secret, got.body, got.headers["cinq-signature"])
    assert json.loads(got.body)["data"]["id"] == str(post.id)
    delivery = await WebhookDelivery.get(id=delivery.id)
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
    )
    assert (await Job.get(kind=DELIVERY_JOB)).status is JobStatus.DONE
