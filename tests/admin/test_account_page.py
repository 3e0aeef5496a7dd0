"""A person's own page: change the password, see the browsers signed in, sign one out."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import Role, Session
from cms.services import sessions
from tests.admin.conftest import PASSWORD, AdminApp, announced
from tests.admin.test_accessibility import check_screen

pytestmark = pytest.mark.server

NEW = "un tout nouveau mot de passe"


async def test_a_person_changes_their_password_and_signs_another_browser_out(
    admin: AdminApp,
) -> None:
    writer = await admin.writer(Role.AUTHOR, name="Léa Gagnon")
    await sessions.start(writer.account.id, "Firefox on the phone")
    await sessions.start(writer.account.id, "Safari on the tablet")
    page = await admin.page(writer, "/admin/")
    await page.get_by_role("link", name="Léa Gagnon").click()
    await expect(page.get_by_role("heading", level=1, name="My account")).to_be_focused()

    browsers = page.get_by_role("list", name="Signed-in browsers")
    await expect(browsers.get_by_role("listitem")).to_have_count(3)  # this one, phone, tablet
    await expect(browsers).to_contain_text("This browser")
    await browsers.get_by_role("button", name="Sign out: Firefox on the phone").click()
    await announced(page, "That browser is signed out.")
    await expect(browsers.get_by_role("listitem")).to_have_count(2)
    assert not await Session.filter(user_agent="Firefox on the phone").exists()

    await page.get_by_label("Current password").fill("not my password")
    await page.get_by_label("New password").fill(NEW)
    await page.get_by_label("The same password again").fill(NEW)
    await check_screen(page)
    await page.get_by_role("button", name="Change my password").click()
    await expect(page.get_by_text("The current password is not right.")).to_be_visible()
    assert await Session.filter(user_agent="Safari on the tablet").exists()
    await page.get_by_label("Current password").fill(PASSWORD)
    await page.get_by_role("button", name="Change my password").click()
    await announced(page, "Your password is changed; your other browsers are signed out.")
    await expect(browsers.get_by_role("listitem")).to_have_count(1)
    lifetime = sessions.Lifetime.of(admin.settings)
    assert await sessions.sign_in(writer.email, NEW, lifetime) is not None
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name="My account")).to_be_visible()
    assert re.search("/admin/account$", page.url)
