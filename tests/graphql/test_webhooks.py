"""Administrators manage webhooks through the API; receivers can check what they get."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from cms.app import build_worker, create_app
from cms.files.storage import LocalStorage
from cms.models import Job, PostStatus, Role, WebhookDelivery, WebhookEndpoint
from cms.services.webhooks import DELIVERY_JOB
from tests.auth import caller
from tests.factories import make_post
from tests.servers import Answer, Receiver

CREATE = """
mutation($url: String!, $events: [String!]!) {
  createWebhook(url: $url, events: $events, description: "Static site rebuild") {
    webhook { id url events active description }
    secret
    errors { field code message }
  }
}
"""
DELIVERIES = """
query($endpoint: ID, $status: WebhookDeliveryStatus, $after: String) {
  webhookDeliveries(endpointId: $endpoint, status: $status, first: 10, after: $after) {
    edges { cursor node { id endpointId eventType status attempts responseCode lastError
                          durationMs lastAttemptAt deliveredAt createdAt payload } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def receiver_accepts(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What the README tells a receiver to do, written out independently of Cinq's code."""
    fields = dict(item.split("=", 1) for item in headers["cinq-signature"].split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > 300:
        return False
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


@pytest.fixture
async def lenient(settings):
    """An admin of an instance allowed to send to private addresses (the receiver's)."""
    app = create_app(replace(settings, webhook_allow_private=True), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield await caller(http, Role.ADMIN)


@pytest.fixture
async def admin(client):
    return await caller(client, Role.ADMIN)


async def _publish(editor) -> str:
    post = await make_post(status=PostStatus.DRAFT)
    data = await editor.data(
        f'mutation {{ publishPost(id: "{post.id}", expectedVersion: 1) {{ errors {{ code }} }} }}'
    )
    assert data["publishPost"]["errors"] == []
    return str(post.id)


async def _run_worker(settings) -> int:
    allowed = replace(settings, webhook_allow_private=True)
    return await build_worker(allowed, LocalStorage(settings.media_root)).run_until_idle()


async def test_a_receiver_verifies_the_signature_with_the_secret_given_once(
    settings, lenient
) -> None:
    with Receiver() as receiver:
        created = await lenient.data(CREATE, url=f"{receiver.url}/in", events=["post.published"])
        created = created["createWebhook"]
        assert created["errors"] == [] and created["secret"].startswith("whsec_")
        assert created["webhook"]["events"] == ["post.published"]
        post_id = await _publish(lenient)
        assert await _run_worker(settings) == 1

    (got,) = receiver.received
    secret = created["secret"]
    assert receiver_accepts(secret, got.headers, got.body)
    tampered = got.body.replace(post_id.encode(), b"666")
    assert tampered != got.body
    assert not receiver_accepts(secret, got.headers, tampered)
    assert not receiver_accepts("whsec_guess", got.headers, got.body)
    assert json.loads(got.body)["data"]["id"] == post_id

    # The secret is never readable again.
    listed = await lenient.data("{ webhooks { id url events active description } }")
    assert secret not in json.dumps(listed)
    assert listed["webhooks"][0]["description"] == "Static site rebuild"


async def test_the_delivery_log_shows_a_failed_attempt_then_the_retry(settings, lenient) -> None:
    with Receiver(answers=[Answer(500, body=b"try later")]) as receiver:
        created = await lenient.data(CREATE, url=f"{receiver.url}/in", events=["post.published"])
        endpoint = created["createWebhook"]["webhook"]["id"]
        await _publish(lenient)
        await _run_worker(settings)
        log = (await lenient.data(DELIVERIES, endpoint=endpoint))["webhookDeliveries"]
        (edge,) = log["edges"]
        first = edge["node"]
        assert (first["status"], first["attempts"], first["responseCode"]) == ("PENDING", 1, 500)
        assert first["lastError"] == "HTTP 500: try later" and first["deliveredAt"] is None
        assert first["eventType"] == "post.published"
        assert first["payload"]["type"] == "post.published"

        await Job.filter(kind=DELIVERY_JOB).update(run_at=datetime.now(UTC) - timedelta(seconds=1))
        await _run_worker(settings)

    node = (await lenient.data(DELIVERIES, endpoint=endpoint))["webhookDeliveries"]["edges"][0][
        "node"
    ]
    assert (node["status"], node["attempts"], node["responseCode"]) == ("DELIVERED", 2, 200)
    assert node["lastError"] is None and node["deliveredAt"] is not None
    pending = await lenient.data(DELIVERIES, endpoint=endpoint, status="PENDING")
    assert pending["webhookDeliveries"]["edges"] == []
    assert len(receiver.received) == 2


async def test_redelivery_and_secret_rotation(settings, lenient) -> None:
    with Receiver() as receiver:
        created = await lenient.data(CREATE, url=f"{receiver.url}/in", events=["post.published"])
        webhook = created["createWebhook"]["webhook"]
        await _publish(lenient)
        await _run_worker(settings)
        (edge,) = (await lenient.data(DELIVERIES))["webhookDeliveries"]["edges"]

        again = await lenient.data(
            "mutation($id: ID!) { redeliverWebhookDelivery(id: $id) "
            "{ delivery { id status attempts payload } errors { code } } }",
            id=edge["node"]["id"],
        )
        copy = again["redeliverWebhookDelivery"]["delivery"]
        assert (copy["status"], copy["attempts"]) == ("PENDING", 0)
        assert copy["id"] != edge["node"]["id"] and copy["payload"] == edge["node"]["payload"]

        rotated = await lenient.data(
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret errors { code } } }",
            id=webhook["id"],
        )
        new_secret = rotated["rotateWebhookSecret"]["secret"]
        assert new_secret != created["createWebhook"]["secret"]
        await _run_worker(settings)

    first, second = receiver.received
    assert first.body == second.body
    assert receiver_accepts(created["createWebhook"]["secret"], first.headers, first.body)
    assert receiver_accepts(new_secret, second.headers, second.body)


async def test_an_endpoint_is_changed_and_deleted(admin) -> None:
    created = await admin.data(CREATE, url="https://hooks.example.com/a", events=["media.ready"])
    ident = created["createWebhook"]["webhook"]["id"]
    changed = await admin.data(
        'mutation($id: ID!) { updateWebhook(id: $id, url: "https://hooks.example.com/b", '
        'events: ["post.published", "post.deleted"], active: false) '
        "{ webhook { url events active } errors { code } } }",
        id=ident,
    )
    assert changed["updateWebhook"] == {
        "webhook": {
            "url": "https://hooks.example.com/b",
            "events": ["post.published", "post.deleted"],
            "active": False,
        },
        "errors": [],
    }
    deleted = await admin.data(
        "mutation($id: ID!) { deleteWebhook(id: $id) { deletedId errors { code } } }", id=ident
    )
    assert deleted["deleteWebhook"] == {"deletedId": ident, "errors": []}
    assert await WebhookEndpoint.all().count() == 0
    missing = await admin.data(
        "mutation($id: ID!) { deleteWebhook(id: $id) { deletedId errors { code } } }", id=ident
    )
    assert missing["deleteWebhook"]["errors"] == [{"code": "NOT_FOUND"}]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://localhost:8000/",
    ],
)
async def test_internal_addresses_are_refused_at_registration(admin, url: str) -> None:
    result = (await admin.data(CREATE, url=url, events=["post.published"]))["createWebhook"]
    assert result["webhook"] is None and result["secret"] is None
    (error,) = result["errors"]
    assert (error["field"], error["code"]) == ("url", "INVALID")
    assert "cannot be sent to" in error["message"]
    assert await WebhookEndpoint.all().count() == 0


async def test_internal_addresses_are_accepted_when_the_admin_allows_them(lenient) -> None:
    result = await lenient.data(CREATE, url="http://10.0.0.1/hook", events=["post.published"])
    assert result["createWebhook"]["errors"] == []


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("https://hooks.example.com/in", ["post.exploded"], "events"),
        ("https://hooks.example.com/in", [], "events"),
        ("ftp://hooks.example.com/in", ["post.published"], "url"),
        ("https://user:pw@hooks.example.com/in", ["post.published"], "url"),
        ("not a url", ["post.published"], "url"),
    ],
)
async def test_bad_input_is_a_typed_error(admin, url: str, events: list[str], field: str) -> None:
    result = (await admin.data(CREATE, url=url, events=events))["createWebhook"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, "INVALID")]
    assert await WebhookEndpoint.all().count() == 0


async def test_an_update_to_a_bad_url_is_refused_and_changes_nothing(admin) -> None:
    created = await admin.data(CREATE, url="https://hooks.example.com/a", events=["media.ready"])
    ident = created["createWebhook"]["webhook"]["id"]
    result = await admin.data(
        'mutation($id: ID!) { updateWebhook(id: $id, url: "http://169.254.169.254/", '
        'events: ["nope"]) { webhook { url } errors { field code } } }',
        id=ident,
    )
    assert result["updateWebhook"]["errors"] == [{"field": "url", "code": "INVALID"}]
    assert (await WebhookEndpoint.get(id=int(ident))).url == "https://hooks.example.com/a"


@pytest.mark.parametrize("role", [None, Role.AUTHOR, Role.EDITOR])
async def test_only_admins_read_webhooks_and_their_deliveries(client, role) -> None:
    http = await caller(client, role) if role else None
    for query in ("{ webhooks { id url } }", "{ webhookDeliveries { edges { cursor } } }"):
        if http is None:
            response = await client.post("/graphql", json={"query": query})
            body = response.json()
        else:
            body = await http(query)
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_bad_cursor_is_a_client_error(admin) -> None:
    body = await admin(DELIVERIES, after="bm9wZQ==")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


SEND_TEST = """mutation($id: ID!) {
  sendWebhookTest(id: $id) { delivery { id eventType status } errors { code message } }
}"""


async def test_a_test_event_reaches_the_receiver_signed_and_is_not_retried(
    settings, lenient
) -> None:
    with Receiver(answers=[Answer(200), Answer(503, body=b"down")]) as receiver:
        # An endpoint that receives no event type: the test still goes to it.
        created = await lenient.data(CREATE, url=f"{receiver.url}/in", events=["tag.deleted"])
        webhook, secret = created["createWebhook"]["webhook"], created["createWebhook"]["secret"]
        sent = (await lenient.data(SEND_TEST, id=webhook["id"]))["sendWebhookTest"]
        assert sent["errors"] == []
        assert (sent["delivery"]["eventType"], sent["delivery"]["status"]) == (
            "webhook.test",
            "PENDING",
        )
        assert await _run_worker(settings) == 1
        (got,) = receiver.received
        assert got.headers["cinq-event"] == "webhook.test"
        assert receiver_accepts(secret, got.headers, got.body)
        assert json.loads(got.body)["data"]["webhookId"] == webhook["id"]

        # A receiver that fails the test: the log says so at once, with no retry pending.
        await lenient.data(SEND_TEST, id=webhook["id"])
        await _run_worker(settings)
        log = (await lenient.data(DELIVERIES, endpoint=webhook["id"]))["webhookDeliveries"]
        latest = log["edges"][0]["node"]
        assert (latest["status"], latest["responseCode"]) == ("FAILED", 503)
        assert latest["lastError"] == "HTTP 503: down"
        assert await Job.filter(kind=DELIVERY_JOB, status="pending").count() == 0


async def test_a_test_event_is_refused_for_an_inactive_or_unknown_webhook(lenient) -> None:
    created = await lenient.data(
        CREATE, url="https://hooks.example.com/in", events=["post.published"]
    )
    webhook_id = created["createWebhook"]["webhook"]["id"]
    await lenient.data(
        "mutation($id: ID!) { updateWebhook(id: $id, active: false) { errors { code } } }",
        id=webhook_id,
    )

    inactive = (await lenient.data(SEND_TEST, id=webhook_id))["sendWebhookTest"]
    unknown = (await lenient.data(SEND_TEST, id="999999"))["sendWebhookTest"]

    assert inactive["delivery"] is None
    assert inactive["errors"] == [
        {"code": "INVALID", "message": "The webhook is inactive: activate it first."}
    ]
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
    assert await WebhookDelivery.all().count() == 0


async def test_the_event_types_an_endpoint_may_receive_are_listed(admin, client) -> None:
    listed = (await admin.data("{ webhookEventTypes }"))["webhookEventTypes"]

    assert listed[:2] == ["post.published", "post.unpublished"]
    assert "media.ready" in listed and "webhook.test" not in listed
    refused = (await client.post("/graphql", json={"query": "{ webhookEventTypes }"})).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
