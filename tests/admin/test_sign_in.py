"""Signing in and out of the writers' app."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import expect

from cms.services import sessions
from tests.admin.conftest import AdminApp, post_id_of

pytestmark = pytest.mark.server


async def test_a_writer_signs_in_through_the_page_and_lands_where_they_were_going(
    admin: AdminApp,
) -> None:
    writer = await admin.writer(name="Élise Gagnon-Morin")
    page = await admin.page(path="/admin/trash")
    await expect(page).to_have_url(f"{admin.url}/admin/sign-in?next=/admin/trash")

    await page.get_by_label("Email").fill(writer.email)
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text("Email or password is incorrect.")
    await expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")

    await page.get_by_label("Password").fill(writer.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{admin.url}/admin/trash")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Trash")
    await expect(page.get_by_role("banner")).to_contain_text("Élise Gagnon-Morin")


async def test_the_keyboard_alone_signs_in_and_saves_a_post(admin: AdminApp) -> None:
    writer = await admin.writer()
    page = await admin.page(path="/admin/posts/new")
    await expect(page.get_by_label("Email")).to_be_focused()
    await page.keyboard.type(writer.email)
    await page.keyboard.press("Tab")
    await page.keyboard.type(writer.password)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("New post")

    async def tab_to(name: str) -> None:
        for _ in range(40):
            await page.keyboard.press("Tab")
            focused = await page.evaluate(
                "() => document.activeElement.labels?.[0]?.textContent.trim()"
                " || document.activeElement.textContent.trim()"
            )
            if focused == name:
                return
        raise AssertionError(f"Tab never reached {name!r}")

    await tab_to("Title")
    await page.keyboard.type("Réseauter sans carte de visite")
    await tab_to("Body")
    await page.keyboard.type("Un sourire, une question, et la conversation démarre.")
    await tab_to("Save")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/admin/posts/\d+\?locale=fr-CA$"))
    post_id = post_id_of(page)
    saved = await admin.stored(post_id, "fr-CA")
    assert saved["title"] == "Réseauter sans carte de visite"

    body = page.get_by_label("Body")
    await body.focus()
    await page.keyboard.press("End")
    await page.keyboard.type(" Ensuite, on écoute.")
    await page.keyboard.press("Control+s")
    await expect(page.locator("#save-state")).to_contain_text("Saved")
    saved = await admin.stored(post_id, "fr-CA")
    assert saved["body"].endswith("Ensuite, on écoute.")


async def test_signing_out_ends_the_session_for_good(admin: AdminApp) -> None:
    writer = await admin.writer()
    page = await admin.page(writer)
    cookie = next(c for c in await page.context.cookies() if c["name"] == sessions.COOKIE)

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{admin.url}/admin/sign-in?signed_out=1")
    await expect(page.get_by_role("status")).to_have_text("You are signed out.")

    async with httpx.AsyncClient(
        base_url=admin.url, cookies={sessions.COOKIE: cookie["value"]}
    ) as http:
        response = await http.post(
            "/graphql",
            json={"query": "{ viewer { email } }"},
            headers={"x-cinq-csrf": "1", "origin": admin.url},
        )
    assert response.status_code == 401


async def test_an_ended_session_sends_the_writer_to_sign_in_and_back(admin: AdminApp) -> None:
    writer = await admin.writer()
    page = await admin.page(writer)
    await sessions.end_all(writer.account.id)

    await page.get_by_role("link", name="Trash").click()
    await expect(page).to_have_url(re.compile(r"/admin/sign-in\?next=%2Fadmin%2Ftrash"))
    await page.get_by_label("Email").fill(writer.email)
    await page.get_by_label("Password").fill(writer.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Trash")
