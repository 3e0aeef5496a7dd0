"""Every screen can be used from the keyboard, by ear, in French or English, on a phone."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from cms.models import PostStatus
from tests.admin.conftest import (
    LOW_CONTRAST,
    NO_HORIZONTAL_SCROLL,
    PHONE,
    UNNAMED_CONTROLS,
    AdminApp,
)
from tests.factories import make_category, make_post, make_tag

pytestmark = pytest.mark.server


async def some_posts() -> int:
    category = await make_category({"fr-CA": "Blogue", "en-CA": "Blog"})
    await make_tag({"fr-CA": "Réseautage", "en-CA": "Networking"})
    await make_post(category=category, series_number=7, status=PostStatus.DRAFT)
    post = await make_post(
        category=category,
        series_number=8,
        translations={
            "fr-CA": {
                "title": "Réseautage : l'art de l'inattendu",
                "slug": "reseautage-lart-de-linattendu",
                "body": "## Ouvrez le champ\n\nIl y a deux types de rencontres.\n\nSaisissez-les!",
            }
        },
        locales=("fr-CA",),
    )
    return post.id


async def check_screen(page: Page) -> None:
    """Named controls, readable text, landmarks, and nothing wider than the screen."""
    assert await page.evaluate(UNNAMED_CONTROLS) == [], page.url
    assert await page.evaluate(LOW_CONTRAST) == [], page.url
    assert await page.evaluate(NO_HORIZONTAL_SCROLL), page.url
    await expect(page.get_by_role("main")).to_have_count(1)


async def test_main_screens_name_every_control_and_keep_text_readable(admin: AdminApp) -> None:
    post_id = await some_posts()
    editor = await admin.writer()
    page = await admin.page(editor)
    await expect(page.get_by_role("banner")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    await check_screen(page)

    await page.get_by_role("link", name="Réseautage : l'art de l'inattendu").click()
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    await expect(page.get_by_role("button", name="Preview", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await page.get_by_label("Title", exact=True).fill("Réseautage : l'art de la surprise")
    await check_screen(page)
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_role("dialog", name="Publish")).to_be_visible()
    await check_screen(page)
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("dialog")).to_have_count(0)
    await expect(page.get_by_role("button", name="Publish", exact=True)).to_be_focused()

    await page.goto(f"/admin/posts/{post_id}/translate/en-CA")
    await expect(page.get_by_label("Paragraph 3", exact=True)).to_be_visible()
    await check_screen(page)
    await page.goto("/admin/trash")
    await check_screen(page)
    await page.goto("/admin/sign-in")
    await check_screen(page)


async def test_a_phone_shows_every_screen_without_sideways_scrolling(admin: AdminApp) -> None:
    post_id = await some_posts()
    page = await admin.page(await admin.writer(), viewport=PHONE)
    for path in ("/admin/", f"/admin/posts/{post_id}", f"/admin/posts/{post_id}/translate/en-CA"):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert await page.evaluate(NO_HORIZONTAL_SCROLL), path
    # Side by side stacks: the source paragraph sits above its translation.
    source = await page.get_by_text("Il y a deux types de rencontres.").bounding_box()
    target = await page.get_by_label("Paragraph 2", exact=True).bounding_box()
    assert source and target and target["y"] > source["y"] + source["height"] - 1


async def test_the_language_switch_turns_the_app_and_the_sign_in_page_french(
    admin: AdminApp,
) -> None:
    await some_posts()
    page = await admin.page(await admin.writer())
    await expect(page.get_by_role("heading", level=1)).to_have_text("Posts")
    await page.get_by_role("button", name="Français").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Billets")
    await expect(page.get_by_role("link", name="Nouveau billet")).to_be_visible()
    await expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "fr")
    cookie = next(c for c in await page.context.cookies() if c["name"] == "cinq_lang")
    assert (cookie["value"], cookie["path"], cookie["sameSite"]) == ("fr", "/admin", "Lax")

    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Billets")
    await page.get_by_role("button", name="Se déconnecter").click()
    await expect(page.get_by_label("Courriel")).to_be_visible()
    await expect(page.get_by_role("button", name="Se connecter")).to_be_visible()


async def test_a_french_browser_gets_the_app_in_french(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(), locale="fr-CA")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Billets")
    await page.get_by_role("link", name="Nouveau billet").click()
    await expect(page.get_by_label("Titre", exact=True)).to_be_visible()
    await expect(page.get_by_label("Corps", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Enregistrer")).to_be_visible()


async def test_the_skip_link_leads_to_the_main_content(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer())
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()


async def test_on_a_phone_the_navigation_folds_behind_a_menu_button(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(), viewport=PHONE)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await expect(nav.get_by_role("link", name="Events")).to_be_hidden()

    await menu.click()
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await expect(nav.get_by_role("link", name="Events")).to_be_visible()
    assert await page.evaluate(NO_HORIZONTAL_SCROLL)
    await page.keyboard.press("Escape")
    await expect(nav.get_by_role("link", name="Events")).to_be_hidden()
    await expect(menu).to_be_focused()

    await menu.click()
    await nav.get_by_role("link", name="Events").click()
    await expect(page.get_by_role("heading", level=1, name="Events")).to_be_focused()
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await expect(nav.get_by_role("link", name="Events")).to_be_hidden()

    # On a wide screen the links are always there, and the button is not.
    await page.set_viewport_size({"width": 1280, "height": 800})
    await expect(menu).to_be_hidden()
    await expect(nav.get_by_role("link", name="Events")).to_be_visible()
