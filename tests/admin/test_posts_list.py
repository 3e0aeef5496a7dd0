"""The posts list: filters, each locale's state as a link, and pages of posts."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import PostStatus
from tests.admin.conftest import AdminApp
from tests.factories import make_category, make_post

pytestmark = pytest.mark.server


async def test_filters_narrow_the_list_and_badges_lead_to_the_work_to_do(admin: AdminApp) -> None:
    guides = await make_category({"fr-CA": "Guides pratiques", "en-CA": "Practical guides"})
    await make_post(
        translations={"fr-CA": {"title": "Le 5 à 7 du jeudi", "slug": "le-5-a-7-du-jeudi"}},
        locales=("fr-CA",),
    )
    both = await make_post(
        category=guides,
        status=PostStatus.DRAFT,
        translations={
            "fr-CA": {"title": "Préparer sa soirée", "slug": "preparer-sa-soiree"},
            "en-CA": {"title": "Getting ready for the evening", "slug": "getting-ready"},
        },
    )
    page = await admin.page(await admin.writer())
    await expect(page.locator("#posts-count")).to_have_text("2 posts")

    await page.get_by_label("Status").select_option("DRAFT")
    await expect(page.locator("#posts-count")).to_have_text("1 post")
    await expect(page.get_by_role("link", name="Getting ready for the evening")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"\?status=DRAFT$"))

    await page.get_by_role("link", name="Clear filters").click()
    await expect(page.locator("#posts-count")).to_have_text("2 posts")
    await page.get_by_label("Language").select_option("en-CA")
    await page.get_by_label("Translation").select_option("MISSING")
    await expect(page.locator("#posts-count")).to_have_text("1 post")
    row = page.get_by_role("row", name=re.compile("Le 5 à 7 du jeudi"))
    await row.get_by_role("link", name="Missing: English (Canada), translate side by side").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Translate into English (Canada)"
    )
    await page.go_back()
    await expect(page.get_by_label("Translation")).to_have_value("MISSING")

    await page.get_by_role("link", name="Clear filters").click()
    await page.get_by_label("Category").select_option(str(guides.id))
    await expect(page.locator("#posts-count")).to_have_text("1 post")
    await page.get_by_label("Search").fill("soirée")
    await expect(page.get_by_role("link", name="Getting ready for the evening")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Getting ready"))
    await row.get_by_role("link", name="Draft: French (Canada), open the editor").click()
    await expect(page).to_have_url(f"{admin.url}/admin/posts/{both.id}?locale=fr-CA")
    await expect(page.get_by_label("Title", exact=True)).to_have_value("Préparer sa soirée")


async def test_pages_go_forward_and_back_by_their_cursors(admin: AdminApp) -> None:
    for n in range(23):
        await make_post(
            translations={"fr-CA": {"title": f"Soirée nº {n + 1:02d}", "slug": f"soiree-{n + 1}"}},
            locales=("fr-CA",),
        )
    page = await admin.page(await admin.writer())
    await page.get_by_label("Sort by").select_option("OLDEST")
    titles = page.locator(".col-title a")
    await expect(titles).to_have_count(20)
    await expect(titles.first).to_have_text("Soirée nº 01")
    pager = page.get_by_role("navigation", name="Pages")
    await expect(pager.get_by_role("button", name="Previous")).to_be_disabled()

    await pager.get_by_role("button", name="Next").click()
    await expect(titles).to_have_count(3)
    await expect(titles.first).to_have_text("Soirée nº 21")
    await expect(pager).to_contain_text("Page 2")
    await expect(pager.get_by_role("button", name="Next")).to_be_disabled()

    await page.reload()
    await expect(titles.first).to_have_text("Soirée nº 21")
    await pager.get_by_role("button", name="Previous").click()
    await expect(titles.first).to_have_text("Soirée nº 01")
    await expect(page.get_by_label("Sort by")).to_have_value("OLDEST")


async def test_every_post_is_listed_whatever_language_the_app_speaks(admin: AdminApp) -> None:
    await make_post(
        translations={"en-CA": {"title": "Written in English", "slug": "written-in-english"}},
        locales=("en-CA",),
    )
    page = await admin.page(await admin.writer(), locale="fr-CA")
    await expect(page.locator("#posts-count")).to_have_text("1 billet")
    row = page.get_by_role("row", name=re.compile("Written in English"))
    await expect(row).to_contain_text("affiché en en-CA")
    await row.get_by_role("link", name="Written in English").click()
    await expect(page.get_by_label("Titre", exact=True)).to_have_value("Written in English")
