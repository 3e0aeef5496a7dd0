"""A post's history: who changed what and when, a diff against the current text, and Restore."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import Role
from cms.services import post_writing
from cms.services.post_writing import PostFields, TranslationInput
from tests.admin.conftest import LOW_CONTRAST, UNNAMED_CONTROLS, AdminApp, announced

pytestmark = pytest.mark.server

FIRST = "Le 5 à 7 commence à 17 h.\n\nOn y parle affaires, un peu."
SECOND = "Le 5 à 7 commence à 18 h.\n\nOn y parle affaires, un peu.\n\nApportez vos cartes."


async def test_the_history_shows_each_version_and_restores_one(admin: AdminApp) -> None:
    editor = await admin.writer(name="Camille Lévesque")
    actor = post_writing.Actor.system(("fr-CA", "en-CA"), account_id=editor.account.id)
    post = await post_writing.create_post(
        actor, PostFields(), [TranslationInput(locale="fr-CA", title="Le 5 à 7", body=FIRST)]
    )
    await post_writing.upsert_translation(
        actor, post.id, 1, TranslationInput(locale="fr-CA", title="Le 5 à 7 du jeudi", body=SECOND)
    )
    page = await admin.page(editor, f"/admin/posts/{post.id}")
    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("link", name="History").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("History")

    versions = page.get_by_role("list").locator(".revision")
    await expect(versions).to_have_count(2)
    await expect(versions.first).to_contain_text("Version 2")
    await expect(versions.first).to_contain_text("Camille Lévesque")
    await page.get_by_role("button", name=re.compile("^Version 1")).click()
    panel = page.get_by_role("region", name="Version 1 compared with the current text")
    await expect(panel.locator(".diff ins").first).to_contain_text("du jeudi")  # the title
    await expect(panel.locator(".diff del").first).to_contain_text("17")
    await expect(panel.locator(".diff ins").nth(1)).to_contain_text("18")
    await expect(panel.locator(".diff ins").last).to_contain_text("Apportez vos cartes.")
    await expect(panel.locator(".diff del .sr-only").first).to_have_text("[removed: ")
    assert await page.evaluate(UNNAMED_CONTROLS) == []
    assert await page.evaluate(LOW_CONTRAST) == []

    await panel.get_by_role("button", name="Restore this version").click()
    await page.get_by_role("dialog").get_by_role("button", name="Restore this version").click()
    await announced(page, "Version 1 restored.")
    saved = await admin.stored(post.id, "fr-CA")
    assert (saved["title"], saved["body"], saved["version"]) == ("Le 5 à 7", FIRST, 3)
    await expect(versions).to_have_count(3)


async def test_authors_have_no_history_to_see(admin: AdminApp) -> None:
    author = await admin.writer(Role.AUTHOR)
    actor = post_writing.Actor.system(("fr-CA", "en-CA"), account_id=author.account.id)
    post = await post_writing.create_post(
        actor, PostFields(), [TranslationInput(locale="fr-CA", title="Brouillon", body=FIRST)]
    )
    page = await admin.page(author, f"/admin/posts/{post.id}")
    await page.get_by_role("button", name="More", exact=True).click()
    await expect(page.get_by_role("link", name="History")).to_have_count(0)
    await page.goto(f"/admin/posts/{post.id}/revisions")
    await expect(page.get_by_role("heading", level=1)).to_have_text("History not available")
