"""API tokens in the web app: an administrator creates one, sees its secret once, uses it with
curl as a developer would, finds its last use in the list, and revokes it."""

from __future__ import annotations

import asyncio
import json
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import expect

from cms.models import ApiToken, Role
from tests.admin.conftest import AdminApp, announced
from tests.admin.test_accessibility import check_screen

pytestmark = pytest.mark.server


async def _shell(command: str) -> str:
    process = await asyncio.create_subprocess_shell(
        command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_an_admin_creates_a_token_uses_it_with_curl_and_revokes_it(admin: AdminApp) -> None:
    boss = await admin.writer(Role.ADMIN, name="Aline Tremblay")
    page = await admin.page(boss, "/admin/")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Tokens").click()
    await expect(page.get_by_role("heading", level=1, name="API tokens")).to_be_focused()
    await expect(page.get_by_text("No token has been created yet.")).to_be_visible()
    await page.get_by_label("Name", exact=True).fill("Site build")
    await page.get_by_label("Scope", exact=True).select_option(label="Read")
    await check_screen(page)
    await page.get_by_role("button", name="Create token").click()

    dialog = page.get_by_role("dialog", name="Token “Site build” created")
    await expect(dialog).to_contain_text("shown this once")
    secret = await dialog.get_by_label("Token", exact=True).input_value()
    command = await dialog.get_by_label("Try it with curl").input_value()
    assert secret in command and command.startswith(f"curl -s {admin.url}/graphql ")
    stored = await ApiToken.get(name="Site build")
    assert secret not in (stored.token_hash, stored.prefix)  # kept hashed

    # The command shown works as it is, pasted in a shell.
    answer = json.loads(await _shell(command))
    assert answer == {"data": {"viewer": {"displayName": "Aline Tremblay", "role": "ADMIN"}}}
    await dialog.get_by_role("button", name="Done").click()
    await expect(dialog).to_have_count(0)

    await page.reload()
    row = page.get_by_role("row", name=re.compile("Site build"))
    for shown in ("Aline Tremblay", "Administrator", "Read", "Active", "Never"):
        await expect(row).to_contain_text(shown)
    await expect(row).not_to_contain_text("Not used yet")  # curl used it

    await row.get_by_role("button", name="Revoke: Site build").click()
    await (
        page.get_by_role("dialog", name="Revoke this token?")
        .get_by_role("button", name="Revoke")
        .click()
    )
    await announced(page, "Token “Site build” revoked.")
    await expect(row).to_contain_text("Revoked")
    status = await _shell(f"{command} -o /dev/null -w '%{{http_code}}'")
    assert status == "401"


async def test_an_expiry_date_is_kept_to_the_end_of_that_day(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.ADMIN), "/admin/tokens")

    await page.get_by_label("Name", exact=True).fill("Salon de l'emploi")
    await page.get_by_label("Expires (optional)").fill("2031-05-14")
    await page.get_by_role("button", name="Create token").click()
    await page.get_by_role("dialog").get_by_role("button", name="Done").click()

    token = await ApiToken.get(name="Salon de l'emploi")
    assert token.expires_at is not None
    local = token.expires_at.astimezone(ZoneInfo("America/Montreal"))  # the browser's zone
    assert (local.date().isoformat(), local.hour, local.minute) == ("2031-05-14", 23, 59)


async def test_a_token_needs_a_name_and_editors_see_no_tokens(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.ADMIN), "/admin/tokens")
    await page.get_by_role("button", name="Create token").click()
    await expect(page.get_by_text("Give the token a name.")).to_be_visible()
    await expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    assert await ApiToken.all().count() == 0

    editor = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    nav = editor.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Media")).to_be_visible()
    await expect(nav.get_by_role("link", name="Tokens")).to_have_count(0)
    await editor.goto("/admin/tokens")
    await expect(editor.get_by_text("Only administrators manage API tokens.")).to_be_visible()
