"""Webhooks in the web app: an administrator registers an endpoint, keeps its secret, sends a
test event that reaches a real receiver signed with that secret, and reads the delivery log."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from playwright.async_api import expect

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Role, WebhookEndpoint
from tests.admin.conftest import AdminApp, announced
from tests.admin.test_accessibility import check_screen
from tests.graphql.test_webhooks import receiver_accepts
from tests.servers import Answer, Receiver

pytestmark = pytest.mark.server


async def _run_jobs(admin: AdminApp) -> int:
    allowed = replace(admin.settings, webhook_allow_private=True)  # the receiver is local
    return await build_worker(allowed, LocalStorage(admin.settings.media_root)).run_until_idle()


async def test_a_test_event_reaches_a_local_receiver_and_shows_in_the_log(
    admin: AdminApp,
) -> None:
    page = await admin.page(await admin.writer(Role.ADMIN), "/admin/")
    with Receiver(answers=[Answer(200), Answer(500, body=b"busy")]) as receiver:
        url = f"{receiver.url}/rebuild"
        await (
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").click()
        )
        await expect(page.get_by_role("heading", level=1, name="Webhooks")).to_be_focused()
        await page.get_by_label("Address").fill(url)
        await page.get_by_label("Description (optional)").fill("Rebuild the static site")
        events = page.get_by_role("group", name="Events")
        await expect(events.get_by_role("checkbox", name="post.published")).to_be_checked()
        await events.get_by_role("checkbox", name="post.unpublished").check()
        await check_screen(page)
        await page.get_by_role("button", name="Create webhook").click()

        dialog = page.get_by_role("dialog", name="Webhook created")
        secret = await dialog.get_by_label("Signing secret").input_value()
        assert secret.startswith("whsec_")
        await dialog.get_by_role("button", name="Done").click()
        endpoint = await WebhookEndpoint.get(url=url)
        assert endpoint.events == ["post.published", "post.unpublished"]

        card = page.get_by_role("region", name=url)
        await expect(card).to_contain_text("Rebuild the static site")
        await expect(card).to_contain_text("Nothing sent yet.")
        await card.get_by_role("button", name=f"Send test event: {url}").click()
        await announced(page, "Test event queued; its delivery shows below.")
        await expect(card.get_by_role("row", name=re.compile("webhook.test"))).to_contain_text(
            "Pending"
        )
        assert await _run_jobs(admin) == 1

        (got,) = receiver.received
        assert got.headers["cinq-event"] == "webhook.test"
        assert receiver_accepts(secret, got.headers, got.body)  # the secret the page showed
        assert json.loads(got.body)["data"]["webhookId"] == str(endpoint.id)
        # The page follows the pending delivery until it is settled.
        row = card.get_by_role("row", name=re.compile("webhook.test"))
        await expect(row).to_contain_text("Delivered", timeout=15_000)
        await expect(row).to_contain_text("200")

        # Sent again, the receiver fails it: the log tells why.
        await row.get_by_role("button", name=re.compile("^Send again")).click()
        await announced(page, "Sent again as a new delivery.")
        await _run_jobs(admin)
        await page.reload()
        card = page.get_by_role("region", name=url)
        latest = card.get_by_role("row", name=re.compile("webhook.test")).first
        await expect(latest).to_contain_text("500")
        await expect(latest).to_contain_text("HTTP 500: busy")
        assert len(receiver.received) == 2


async def test_an_endpoint_is_edited_then_deleted(admin: AdminApp) -> None:
    endpoint = await WebhookEndpoint.create(
        url="https://hooks.example.com/in", events=["post.published"], secret="whsec_x"
    )
    page = await admin.page(await admin.writer(Role.ADMIN), "/admin/webhooks")
    card = page.get_by_role("region", name="https://hooks.example.com/in")

    await card.get_by_role("button", name="Edit: https://hooks.example.com/in").click()
    await card.get_by_role("checkbox", name="media.ready").check()
    await card.get_by_role("checkbox", name="Active (sends events)").uncheck()
    await card.get_by_role("button", name="Save changes").click()
    await announced(page, "Webhook saved.")
    await endpoint.refresh_from_db()
    assert (endpoint.events, endpoint.active) == (["post.published", "media.ready"], False)
    card = page.get_by_role("region", name="https://hooks.example.com/in")
    await expect(card).to_contain_text("Inactive")
    await expect(card.get_by_role("button", name=re.compile("^Send test event"))).to_be_disabled()

    await card.get_by_role("button", name="Delete: https://hooks.example.com/in").click()
    await (
        page.get_by_role("dialog", name="Delete this webhook?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await announced(page, "Webhook https://hooks.example.com/in deleted.")
    await expect(page.get_by_text("No webhook yet.")).to_be_visible()
    assert await WebhookEndpoint.all().count() == 0


async def test_a_webhook_needs_an_address_and_an_event(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.ADMIN), "/admin/webhooks")

    await page.get_by_role("button", name="Create webhook").click()
    await expect(page.get_by_text("Give the endpoint's address.")).to_be_visible()
    await page.get_by_label("Address").fill("https://hooks.example.com/in")
    await (
        page.get_by_role("group", name="Events")
        .get_by_role("checkbox", name="post.published")
        .uncheck()
    )
    await page.get_by_role("button", name="Create webhook").click()
    await expect(page.get_by_text("Choose at least one event.")).to_be_visible()
    await page.get_by_label("Address").fill("ftp://hooks.example.com/in")
    await (
        page.get_by_role("group", name="Events")
        .get_by_role("checkbox", name="post.published")
        .check()
    )
    await page.get_by_role("button", name="Create webhook").click()
    await expect(page.get_by_label("Address")).to_have_attribute("aria-invalid", "true")
    assert await WebhookEndpoint.all().count() == 0
