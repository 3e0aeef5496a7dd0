"""No lost work: concurrent edits merge, unsaved text survives a reload, and a writer hears
of another's save while editing."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from cms.models import Post, PostTranslation
from tests.admin.conftest import AdminApp, announced
from tests.factories import make_post

pytestmark = pytest.mark.server

PARAGRAPHS = [
    "Le Mundo Lingo de Montréal se tient le mercredi.",
    "On y pratique l'anglais, l'espagnol et le portugais.",
    "L'entrée est gratuite et personne ne vérifie votre niveau.",
]


async def post_with_paragraphs() -> Post:
    return await make_post(
        translations={
            "fr-CA": {
                "title": "Les langues, autrement",
                "slug": "les-langues-autrement",
                "body": "\n\n".join(PARAGRAPHS),
            }
        },
        locales=("fr-CA",),
    )


async def replace_in_body(page: Page, old: str, new: str) -> None:
    body = page.get_by_label("Body", exact=True)
    text = await body.input_value()
    assert old in text
    await body.fill(text.replace(old, new))


async def test_a_second_save_meets_the_conflict_screen_and_merge_keeps_both_writers_words(
    admin: AdminApp,
) -> None:
    post = await post_with_paragraphs()
    first = await admin.page(await admin.writer(name="Élise"), f"/admin/posts/{post.id}")
    second = await admin.page(await admin.writer(name="Karim"), f"/admin/posts/{post.id}")

    await replace_in_body(first, "le mercredi", "le mercredi soir, dès 19 h")
    await replace_in_body(first, "le portugais", "le portugais (et parfois le mandarin)")
    await first.get_by_role("button", name="Save", exact=True).click()
    await announced(first, "Saved.")

    # The second writer hears of it while typing, then saves over the same paragraphs.
    banner = second.get_by_role("alert").filter(has_text="Someone else saved changes")
    await expect(banner).to_be_visible()
    await replace_in_body(second, "le mercredi", "le mercredi, rue Saint-Denis")
    await replace_in_body(second, "votre niveau", "votre niveau de langue")
    await second.get_by_role("button", name="Save", exact=True).click()

    dialog = second.get_by_role("dialog", name="Someone else saved this post")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator("ins").first).to_be_visible()
    await expect(dialog).to_contain_text("dès 19 h")
    await dialog.get_by_role("button", name="Merge").click()
    await announced(second, "Merged. Some paragraphs hold both versions between markers")

    # Both writers' words are in the form; nothing with markers has reached the readers.
    merged = await second.get_by_label("Body", exact=True).input_value()
    for words in (
        "le mercredi soir, dès 19 h",  # first, in the paragraph both changed
        "le mercredi, rue Saint-Denis",  # second, the same paragraph, kept too
        "le portugais (et parfois le mandarin)",  # only the first changed this one
        "votre niveau de langue",  # only the second changed this one
    ):
        assert words in merged, merged
    assert "▼▼▼ Your version ▼▼▼" in merged
    assert "▼▼▼" not in (await admin.stored(post.id, "fr-CA"))["body"]
    await second.get_by_role("button", name="Save", exact=True).click()
    await expect(second.get_by_text("remove the markers before saving").first).to_be_visible()

    # The writer settles the paragraph both changed, and saves.
    settled = re.sub(
        r"▼▼▼ Your version ▼▼▼.*?▲▲▲ End of the two versions ▲▲▲",
        "Le Mundo Lingo de Montréal se tient le mercredi soir, dès 19 h, rue Saint-Denis.",
        merged,
        flags=re.DOTALL,
    )
    await second.get_by_label("Body", exact=True).fill(settled)
    await second.get_by_role("button", name="Save", exact=True).click()
    await announced(second, "Saved.")

    body = (await admin.stored(post.id, "fr-CA"))["body"]
    assert body == settled
    assert "dès 19 h, rue Saint-Denis" in body
    assert "le portugais (et parfois le mandarin)" in body
    assert "votre niveau de langue" in body


async def test_overwrite_saves_mine_and_theirs_stays_in_the_history(admin: AdminApp) -> None:
    post = await post_with_paragraphs()
    page = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")
    await PostTranslation.filter(post_id=post.id).update(title="Leur titre")
    await Post.filter(id=post.id).update(version=2)
    await page.get_by_label("Title", exact=True).fill("Mon titre")
    await page.get_by_role("button", name="Save", exact=True).click()
    dialog = page.get_by_role("dialog", name="Someone else saved this post")
    await dialog.get_by_role("button", name="Overwrite").click()
    await announced(page, "Your version was saved.")
    saved = await admin.stored(post.id, "fr-CA")
    assert (saved["title"], saved["version"]) == ("Mon titre", 3)


async def test_unsaved_text_survives_a_reload_and_can_be_discarded(admin: AdminApp) -> None:
    post = await post_with_paragraphs()
    page = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")
    await replace_in_body(page, "gratuite", "gratuite, comme toujours")
    await expect(page.locator("#save-state")).to_contain_text("Unsaved changes")

    await page.reload()
    await expect(page.get_by_role("status").filter(has_text="were restored")).to_be_visible()
    body = page.get_by_label("Body", exact=True)
    await expect(body).to_have_value(
        "\n\n".join(PARAGRAPHS).replace("gratuite", "gratuite, comme toujours")
    )
    await page.get_by_role("button", name="Discard").click()
    await expect(body).to_have_value("\n\n".join(PARAGRAPHS))
    await page.reload()
    await expect(body).to_have_value("\n\n".join(PARAGRAPHS))
    await expect(page.get_by_text("were restored")).to_have_count(0)


async def test_a_restored_draft_older_than_the_saved_post_goes_through_the_conflict_screen(
    admin: AdminApp,
) -> None:
    post = await post_with_paragraphs()
    page = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")
    await replace_in_body(page, "gratuite", "gratuite, comme toujours")
    context = page.context
    await page.close()

    # Meanwhile someone else saves the first paragraph.
    other = await admin.page(await admin.writer(), f"/admin/posts/{post.id}")
    await replace_in_body(other, "le mercredi", "le jeudi")
    await other.get_by_role("button", name="Save", exact=True).click()
    await announced(other, "Saved.")

    page = await context.new_page()
    await page.goto(f"/admin/posts/{post.id}")
    await expect(page.get_by_text("the post has been saved since")).to_be_visible()
    await page.get_by_role("button", name="Save", exact=True).click()
    await page.get_by_role("dialog").get_by_role("button", name="Merge").click()
    await announced(page, "Merged and saved.")
    body = (await admin.stored(post.id, "fr-CA"))["body"]
    assert "le jeudi" in body
    assert "gratuite, comme toujours" in body
