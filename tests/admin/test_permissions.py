"""The app shows each writer what the server lets them do, and the server still decides."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from cms.models import Post, PostStatus, Role
from tests.admin.conftest import AdminApp, announced
from tests.factories import make_post

pytestmark = pytest.mark.server

FORCED_PUBLISH = """async ({ id, version }) => {
  const config = JSON.parse(document.getElementById("cinq-config").textContent);
  const response = await fetch(config.graphqlPath, {
    method: "POST",
    headers: { "content-type": "application/json", [config.csrfHeader]: "1" },
    body: JSON.stringify({
      query: `mutation { publishPost(id: "${id}", expectedVersion: ${version}) {
        post { status } errors { code message } } }`,
    }),
  });
  return { status: response.status, body: await response.json() };
}"""


async def test_an_author_edits_their_own_draft_but_cannot_publish_it(admin: AdminApp) -> None:
    author = await admin.writer(Role.AUTHOR, name="Marc Tremblay")
    post = await make_post(
        translations={"fr-CA": {"title": "Mon premier billet", "slug": "mon-premier-billet"}},
        locales=("fr-CA",),
        status=PostStatus.DRAFT,
    )
    await Post.filter(id=post.id).update(created_by_id=author.account.id)
    page = await admin.page(author, f"/admin/posts/{post.id}")

    await expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    await page.get_by_role("button", name="More", exact=True).click()
    await expect(page.get_by_role("button", name="Unpublish…")).to_have_count(0)
    await expect(page.get_by_role("button", name="Schedule…")).to_have_count(0)
    await expect(page.get_by_label("Author (byline)")).to_be_disabled()

    await page.get_by_label("Title", exact=True).fill("Mon tout premier billet")
    await page.get_by_role("button", name="Save", exact=True).click()
    await announced(page, "Saved.")
    assert (await admin.stored(post.id, "fr-CA"))["title"] == "Mon tout premier billet"

    forced = await page.evaluate(FORCED_PUBLISH, {"id": str(post.id), "version": 2})
    assert forced["status"] == 200
    assert forced["body"]["data"]["publishPost"]["post"] is None
    assert [e["code"] for e in forced["body"]["data"]["publishPost"]["errors"]] == ["FORBIDDEN"]
    assert (await admin.stored(post.id, "fr-CA"))["status"] == "DRAFT"


async def test_an_author_reads_someone_elses_post_without_changing_it(admin: AdminApp) -> None:
    post = await make_post(
        translations={"fr-CA": {"title": "Le billet d'Élise", "slug": "le-billet-delise"}},
        locales=("fr-CA",),
        status=PostStatus.DRAFT,
    )
    author = await admin.writer(Role.AUTHOR)
    page = await admin.page(author, f"/admin/posts/{post.id}")
    await expect(page.get_by_text("You can read this post but not change it")).to_be_visible()
    await expect(page.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    await expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    await expect(page.get_by_label("Title", exact=True)).to_have_attribute("readonly", "")
    await expect(page.get_by_role("toolbar", name="Formatting")).to_be_hidden()

    forced = await page.evaluate(FORCED_PUBLISH, {"id": str(post.id), "version": 1})
    assert [e["code"] for e in forced["body"]["data"]["publishPost"]["errors"]] == ["FORBIDDEN"]
    assert (await admin.stored(post.id, "fr-CA"))["status"] == "DRAFT"
