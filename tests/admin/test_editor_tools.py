"""The editor's tools: the Markdown toolbar, the cover picker, and the publishing dialogs."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
import pytest
from playwright.async_api import expect

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Post, PostStatus, PostTranslation, TokenScope
from cms.services import accounts
from tests.admin.conftest import AdminApp, Writer, announced
from tests.factories import make_post
from tests.media.test_uploads import PREFLIGHT, multipart, png

pytestmark = pytest.mark.server

UPLOAD = """mutation($file: Upload!) {
  uploadMedia(file: $file, alt: [{locale: "fr-CA", text: "Une salle pleine de monde"}]) {
    media { id }
  }
}"""


async def test_the_toolbar_and_its_shortcuts_format_the_selection(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(), "/admin/posts/new")
    body = page.get_by_label("Body", exact=True)
    await body.fill("Pourquoi venir\nParce que c'est gratuit")

    async def select(text: str) -> None:
        await body.evaluate(
            "(el, text) => { const i = el.value.indexOf(text);"
            " el.focus(); el.setSelectionRange(i, i + text.length); }",
            text,
        )

    await select("Pourquoi venir")
    await page.get_by_role("button", name="Heading", exact=True).click()
    await select("gratuit")
    await page.keyboard.press("Control+b")
    await select("Parce que")
    await page.keyboard.press("Control+i")
    await expect(body).to_have_value("## Pourquoi venir\n*Parce que* c'est **gratuit**")

    await select("c'est")
    await page.keyboard.press("Control+k")
    await page.keyboard.type("https://example.org")
    await expect(body).to_have_value(
        "## Pourquoi venir\n*Parce que* [c'est](https://example.org) **gratuit**"
    )
    await select("*Parce que*")
    await page.get_by_role("button", name="Bulleted list").click()
    await expect(body).to_have_value(
        "## Pourquoi venir\n- *Parce que* [c'est](https://example.org) **gratuit**"
    )
    preview = page.locator("[data-preview]")
    await expect(preview.locator("li strong")).to_have_text("gratuit")

    # The toolbar is one tab stop; arrow keys move between its buttons.
    toolbar = page.get_by_role("toolbar", name="Formatting")
    await toolbar.get_by_role("button", name="Heading", exact=True).focus()
    await page.keyboard.press("ArrowRight")
    await expect(toolbar.get_by_role("button", name="Subheading")).to_be_focused()


async def _ready_image(admin: AdminApp, editor: Writer, content: bytes) -> tuple[str, str]:
    """An image uploaded by ``editor`` over the API (alt text in French), its renditions made:
    its id, and the token that uploaded it."""
    issued = await accounts.issue_token(editor.account, "upload", TokenScope.FULL)
    files = multipart(UPLOAD, {"0": ("salle.png", content, "image/png")}, {"0": "variables.file"})
    async with httpx.AsyncClient(base_url=admin.url) as http:
        response = await http.post(
            "/graphql",
            files=files,
            headers={"authorization": f"Bearer {issued.secret}", **PREFLIGHT},
        )
    media_id: str = response.json()["data"]["uploadMedia"]["media"]["id"]
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()
    return media_id, issued.secret


async def test_a_cover_is_picked_from_the_uploaded_images(admin: AdminApp) -> None:
    editor = await admin.writer()
    media_id, _ = await _ready_image(admin, editor, png(320, 200))
    post = await make_post(locales=("fr-CA",), status=PostStatus.DRAFT)

    page = await admin.page(editor, f"/admin/posts/{post.id}")
    await page.get_by_role("button", name="Choose a cover…").click()
    dialog = page.get_by_role("dialog", name="Choose a cover…")
    choice = dialog.get_by_role("button", name="Une salle pleine de monde")
    await expect(choice.locator("img")).to_have_attribute("src", re.compile(r"/media/"))
    await choice.click()
    await expect(dialog).to_have_count(0)
    cover = page.get_by_role("group", name="Cover")
    await expect(cover.get_by_text("Une salle pleine de monde")).to_be_visible()
    await page.get_by_label("Title", exact=True).fill("Une salle comble")
    await page.get_by_role("button", name="Save", exact=True).click()
    await announced(page, "Saved.")
    assert str((await Post.get(id=post.id)).cover_id) == media_id
    saved = await admin.stored(post.id, "fr-CA")
    assert (saved["title"], saved["version"]) == ("Une salle comble", 2)  # one save, one version


async def test_publishing_some_locales_unpublishing_scheduling_and_a_preview_link(
    admin: AdminApp,
) -> None:
    post = await make_post(status=PostStatus.DRAFT)
    await PostTranslation.filter(post_id=post.id).update(status="draft")
    page = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")

    await page.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_role("dialog", name="Publish")
    await dialog.get_by_role("checkbox", name=re.compile("English")).uncheck()
    await dialog.get_by_label("Publication date (optional)").fill("2025-11-04T18:30")
    await dialog.get_by_role("button", name="Publish now").click()
    await announced(page, "Published.")
    assert (await admin.stored(post.id, "fr-CA"))["translation_status"] == "PUBLISHED"
    assert (await admin.stored(post.id, "en-CA"))["translation_status"] == "DRAFT"
    published_at = (await Post.get(id=post.id)).published_at
    assert published_at == datetime.fromisoformat("2025-11-04T18:30:00-05:00")

    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("button", name="Unpublish…").click()
    dialog = page.get_by_role("dialog", name="Unpublish")
    await dialog.get_by_role("button", name="Unpublish").click()
    await announced(page, "Taken down: back to draft.")
    assert (await admin.stored(post.id, "fr-CA"))["status"] == "DRAFT"

    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("button", name="Schedule…").click()
    dialog = page.get_by_role("dialog", name="Schedule")
    await dialog.get_by_label("Publish at").fill("2031-06-05T17:00")
    await dialog.get_by_label("Take down at").fill("2031-06-01T17:00")
    await dialog.get_by_role("button", name="Schedule").click()
    assert await dialog.get_by_label("Take down at").evaluate("(el) => !el.validity.valid")
    await dialog.get_by_label("Take down at").fill("")
    await dialog.get_by_role("button", name="Schedule").click()
    await announced(page, "Schedule saved.")
    saved = await Post.get(id=post.id)
    assert saved.publish_at == datetime.fromisoformat("2031-06-05T17:00:00-04:00")
    await expect(page.locator(".page-meta")).to_contain_text("Goes live")

    await page.get_by_role("button", name="More", exact=True).click()
    await page.get_by_role("button", name="Preview link").click()
    dialog = page.get_by_role("dialog", name="Preview link")
    link = dialog.get_by_label("Preview URL")
    await expect(link).to_have_value(re.compile(r"^https://blog\.example/api/preview\?token="))
    await expect(link).to_have_attribute("readonly", "")
    await dialog.get_by_role("button", name="Copy").click()
    await announced(page, "Link copied.")


BODY_HTML = """query($id: ID!) {
  post(id: $id, locale: "fr-CA", preview: true) { body { markdown html } }
}"""


async def test_an_image_put_in_the_body_reaches_readers_as_a_picture(admin: AdminApp) -> None:
    editor = await admin.writer()
    media_id, token = await _ready_image(admin, editor, png(640, 400))
    post = await make_post(locales=("fr-CA",), status=PostStatus.DRAFT)

    page = await admin.page(editor, f"/admin/posts/{post.id}")
    body = page.get_by_label("Body", exact=True)
    await body.fill("Avant l'image.\nAprès l'image.")
    await body.evaluate("(el) => { el.focus(); el.setSelectionRange(14, 14); }")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    await toolbar.get_by_role("button", name="Insert an image").click()
    dialog = page.get_by_role("dialog", name="Insert an image")
    await dialog.get_by_role("button", name="Une salle pleine de monde").click()
    await expect(dialog).to_have_count(0)
    await expect(body).to_have_value(
        f"Avant l'image.\n\n![Une salle pleine de monde](media:{media_id})\n\nAprès l'image."
    )
    # The preview is the server's rendering: the reader's <picture>, with its alt text.
    preview = page.locator("[data-preview]")
    await expect(preview.locator("picture img")).to_have_attribute(
        "alt", "Une salle pleine de monde"
    )
    await page.get_by_role("button", name="Save", exact=True).click()
    await announced(page, "Saved.")

    saved = (await admin.graphql(BODY_HTML, token=token, id=str(post.id)))["post"]
    assert f"(media:{media_id})" in saved["body"]["markdown"]
    assert "<picture>" in saved["body"]["html"]
    assert 'alt="Une salle pleine de monde"' in saved["body"]["html"]
