"""Writing a post in French, translating it side by side, publishing it, and the trash."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from cms.models import Post
from tests.admin.conftest import AdminApp, announced, post_id_of
from tests.factories import make_post

pytestmark = pytest.mark.server

BODY_FR = """Chaque mardi soir, une trentaine de personnes se retrouvent dans un bar du Plateau.

## Une formule simple

On arrive quand on veut, on repart quand on veut. Les détails sont sur [la page de l'événement](https://example.org/soirees).

Personne ne fait de présentation officielle : on se parle, tout simplement."""

READ = """query Read($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) { title resolvedLocale isFallback body { html } }
}"""


async def test_a_post_is_written_in_french_translated_side_by_side_and_published(
    admin: AdminApp,
) -> None:
    editor = await admin.writer(name="Élise Gagnon-Morin")
    page = await admin.page(editor)
    await page.get_by_role("link", name="New post").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("New post")
    await expect(page.get_by_role("heading", level=1)).to_be_focused()

    await page.get_by_label("Title", exact=True).fill("Les mardis du Plateau")
    await page.get_by_label("Body", exact=True).fill(BODY_FR)
    preview_button = page.get_by_role("button", name="Preview", exact=True)
    if await preview_button.get_attribute("aria-pressed") != "true":
        await preview_button.click()
    await expect(preview_button).to_have_attribute("aria-pressed", "true")
    preview = page.locator("[data-preview]")
    await expect(preview.locator("h2[id]")).to_have_text("Une formule simple")
    await expect(preview.get_by_role("link", name="la page de l'événement")).to_have_attribute(
        "href", "https://example.org/soirees"
    )
    await expect(page.locator("#body-stats")).to_contain_text("words")

    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/admin/posts/\d+\?locale=fr-CA$"))
    await announced(page, "Post created and saved.")
    post_id = post_id_of(page)
    assert (await admin.stored(post_id, "fr-CA"))["body"] == BODY_FR

    # The English tab says the translation is missing and opens the side-by-side screen.
    tabs = page.get_by_role("navigation", name="Languages of this post")
    await tabs.get_by_role("link", name=re.compile("English")).click()
    await expect(page).to_have_url(f"{admin.url}/admin/posts/{post_id}/translate/en-CA")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Translate into English (Canada)"
    )
    await expect(page.get_by_text("Chaque mardi soir, une trentaine")).to_be_visible()
    await expect(page.get_by_text("## Une formule simple")).to_be_visible()
    await page.get_by_label("Title", exact=True).fill("Tuesday nights on the Plateau")
    await page.get_by_label("Paragraph 1", exact=True).fill(
        "Every Tuesday evening, some thirty people meet in a bar on the Plateau."
    )
    await page.get_by_label("Paragraph 2", exact=True).fill("## A simple formula")
    await page.get_by_label("Paragraph 3", exact=True).fill(
        "Come when you like, leave when you like. Details are on"
        " [the event page](https://example.org/evenings)."
    )
    await page.get_by_label("Paragraph 4", exact=True).fill(
        "Nobody gives a formal talk: people simply talk."
    )
    await page.get_by_role("button", name="Save", exact=True).click()
    await announced(page, "Translation saved.")
    english = await admin.stored(post_id, "en-CA")
    assert english["title"] == "Tuesday nights on the Plateau"
    assert english["body"].split("\n\n")[1] == "## A simple formula"
    await expect(page.locator(".page-meta")).to_contain_text("up to date")

    # Publish both languages from the editor.
    await page.goto(f"/admin/posts/{post_id}?locale=fr-CA")
    await page.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_role("dialog", name="Publish")
    await expect(dialog.get_by_role("checkbox", name=re.compile("French"))).to_be_checked()
    await expect(dialog.get_by_role("checkbox", name=re.compile("English"))).to_be_checked()
    await dialog.get_by_role("button", name="Publish now").click()
    await announced(page, "Published.")
    await expect(page.locator(".page-meta")).to_contain_text("Published")

    french = (await admin.graphql(READ, id=post_id, locale="fr-CA"))["post"]
    assert french["title"] == "Les mardis du Plateau"
    assert french["resolvedLocale"] == "fr-CA"
    assert 'id="une-formule-simple"' in french["body"]["html"]
    english = (await admin.graphql(READ, id=post_id, locale="en-CA"))["post"]
    assert english["title"] == "Tuesday nights on the Plateau"
    assert (english["resolvedLocale"], english["isFallback"]) == ("en-CA", False)
    assert "https://example.org/evenings" in english["body"]["html"]


async def test_errors_from_the_server_sit_next_to_their_field(admin: AdminApp) -> None:
    await make_post(
        translations={"fr-CA": {"title": "Déjà là", "slug": "deja-la"}}, locales=("fr-CA",)
    )
    editor = await admin.writer()
    page = await admin.page(editor, "/admin/posts/new")
    slug = page.get_by_label("Slug", exact=True)
    await page.get_by_label("Title", exact=True).fill("Un autre billet")
    await slug.fill("Pas Un Slug")
    await page.get_by_role("button", name="Save", exact=True).click()
    assert await slug.evaluate("(el) => el.validity.patternMismatch")

    await slug.fill("deja-la")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(slug).to_have_attribute("aria-invalid", "true")
    described = await slug.get_attribute("aria-describedby")
    error = page.locator(f"#{described.split()[0]}")
    await expect(error).to_contain_text("deja-la")
    await expect(slug).to_be_focused()
    await slug.fill("un-autre-billet")
    await expect(slug).not_to_have_attribute("aria-invalid", "true")


async def test_a_post_goes_to_the_trash_and_comes_back(admin: AdminApp) -> None:
    post = await make_post(
        translations={"fr-CA": {"title": "Soirée annulée", "slug": "soiree-annulee"}},
        locales=("fr-CA",),
    )
    editor = await admin.writer()
    page = await admin.page(editor, f"/admin/posts/{post.id}")
    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("button", name="Move to trash").click()
    await page.get_by_role("dialog").get_by_role("button", name="Move to trash").click()
    await expect(page).to_have_url(f"{admin.url}/admin/trash")
    await expect(page.get_by_role("row", name=re.compile("Soirée annulée"))).to_be_visible()

    await page.get_by_role("button", name="Restore: Soirée annulée").click()
    await announced(page, "“Soirée annulée” is back among the posts.")
    await expect(page.get_by_text("The trash is empty.")).to_be_visible()
    await page.get_by_role("link", name="Posts", exact=True).click()
    await expect(page.get_by_role("link", name="Soirée annulée")).to_be_visible()

    # Editors may also delete a trashed post for good.
    await page.goto(f"/admin/posts/{post.id}")
    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("button", name="Move to trash").click()
    await page.get_by_role("dialog").get_by_role("button", name="Move to trash").click()
    await page.get_by_role("button", name="Delete permanently: Soirée annulée").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete permanently").click()
    await announced(page, "“Soirée annulée” was deleted permanently.")
    assert not await Post.exists(id=post.id)


async def test_a_post_written_only_in_english_opens_in_english(admin: AdminApp) -> None:
    post = await make_post(
        translations={"en-CA": {"title": "Networking in English", "slug": "networking-english"}},
        locales=("en-CA",),
    )
    page = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")
    await expect(page).to_have_url(f"{admin.url}/admin/posts/{post.id}?locale=en-CA")
    await expect(page.get_by_label("Title", exact=True)).to_have_value("Networking in English")
    tabs = page.get_by_role("navigation", name="Languages of this post")
    await tabs.get_by_role("link", name=re.compile("French")).click()
    await expect(page).to_have_url(f"{admin.url}/admin/posts/{post.id}/translate/fr-CA")
    await expect(page.get_by_text("Networking in English").first).to_be_visible()
