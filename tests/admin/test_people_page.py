"""People in the web app: an administrator invites someone, who opens the link they were
given, chooses a password and signs in; roles change, accounts are disabled."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import Account, Role, Session
from cms.services import sessions
from tests.admin.conftest import AdminApp, announced
from tests.admin.test_accessibility import check_screen
from tests.auth import make_account

pytestmark = pytest.mark.server

PASSWORD = "les mardis du Plateau"


async def test_an_admin_invites_a_person_who_sets_a_password_and_signs_in(
    admin: AdminApp,
) -> None:
    page = await admin.page(await admin.writer(Role.ADMIN, name="Aline Tremblay"), "/admin/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    await expect(page.get_by_role("heading", level=1, name="People")).to_be_focused()

    await page.get_by_label("Name", exact=True).fill("Léa Gagnon")
    await page.get_by_label("Email", exact=True).fill("lea@example.test")
    await page.get_by_label("Role", exact=True).select_option(label="Editor")
    await check_screen(page)
    await page.get_by_role("button", name="Invite", exact=True).click()
    dialog = page.get_by_role("dialog", name="Léa Gagnon is invited")
    link = await dialog.get_by_label("Password link").input_value()
    assert re.fullmatch(rf"{re.escape(admin.url)}/admin/password/[\w-]+", link)
    await dialog.get_by_role("button", name="Done").click()
    row = page.get_by_role("row", name=re.compile("Léa Gagnon"))
    await expect(row).to_contain_text("Invited")
    await expect(row.get_by_label("Role of Léa Gagnon")).to_have_value("EDITOR")

    # Léa, in her own browser, opens the link.
    invited = await admin.page(path=link)
    await expect(invited.get_by_role("heading", level=1)).to_have_text("Choose your password")
    await expect(invited.get_by_text("lea@example.test")).to_be_visible()
    await check_screen(invited)
    await invited.get_by_label("New password").fill(PASSWORD)
    await invited.get_by_label("The same password again").fill(PASSWORD + "?")
    await invited.get_by_role("button", name="Set my password").click()
    await expect(invited.get_by_role("alert")).to_have_text("The two passwords differ.")
    await invited.get_by_label("New password").fill(PASSWORD)
    await invited.get_by_label("The same password again").fill(PASSWORD)
    await invited.get_by_role("button", name="Set my password").click()
    await expect(invited).to_have_url(f"{admin.url}/admin/sign-in?password_set=1")
    await expect(invited.get_by_role("status")).to_contain_text("Your password is set.")
    await invited.get_by_label("Email").fill("lea@example.test")
    await invited.get_by_label("Password").fill(PASSWORD)
    await invited.get_by_role("button", name="Sign in").click()
    await expect(invited.get_by_role("banner")).to_contain_text("Léa Gagnon")
    await expect(invited.get_by_role("heading", level=1)).to_have_text("Posts")

    # The link served once.
    again = await admin.page(path=link)
    await expect(again.get_by_role("alert")).to_contain_text("expired or has already been used")

    await page.reload()
    await expect(page.get_by_role("row", name=re.compile("Léa Gagnon"))).to_contain_text("Active")


async def test_roles_change_accounts_are_disabled_and_sessions_end(admin: AdminApp) -> None:
    person = await make_account(Role.AUTHOR)
    await sessions.start(person.id)
    boss = await admin.writer(Role.ADMIN, name="Aline Tremblay")
    page = await admin.page(boss, "/admin/people")
    row = page.get_by_role("row", name=re.compile(person.display_name))

    await row.get_by_label(f"Role of {person.display_name}").select_option("EDITOR")
    await announced(page, f"{person.display_name} is now Editor.")
    assert (await Account.get(id=person.id)).role == Role.EDITOR
    # Nobody changes their own role.
    own = page.get_by_role("row", name=re.compile("Aline Tremblay"))
    await expect(own.get_by_label("Role of Aline Tremblay")).to_be_disabled()
    await expect(own.get_by_role("button", name=re.compile("^Disable"))).to_have_count(0)

    await row.get_by_role("button", name=f"Sign out everywhere: {person.display_name}").click()
    await announced(page, f"{person.display_name} is signed out of every browser.")
    assert await Session.filter(account_id=person.id).count() == 0

    await row.get_by_role("button", name=f"Disable: {person.display_name}").click()
    await (
        page.get_by_role("dialog", name="Disable this account?")
        .get_by_role("button", name="Disable")
        .click()
    )
    await announced(page, f"{person.display_name}'s account is disabled.")
    row = page.get_by_role("row", name=re.compile(person.display_name))
    await expect(row).to_contain_text("Disabled")
    assert (await Account.get(id=person.id)).disabled_at is not None
    await row.get_by_role("button", name=f"Enable: {person.display_name}").click()
    await announced(page, f"{person.display_name}'s account is enabled again.")


async def test_editors_have_no_people_page(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    await expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="People")
    ).to_have_count(0)
    await page.goto("/admin/people")
    await expect(page.get_by_text("Only administrators manage people.")).to_be_visible()
