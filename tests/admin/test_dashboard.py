"""The dashboard shows what needs attention, each item leading where it is dealt with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import expect

from cms.models import Media, MediaStatus, PostStatus, PostTranslation, Role, Venue
from tests.admin.conftest import AdminApp
from tests.admin.test_accessibility import check_screen
from tests.factories import make_event, make_post

pytestmark = pytest.mark.server


async def test_what_needs_attention_is_on_the_dashboard(admin: AdminApp) -> None:
    soon = datetime.now(UTC) + timedelta(days=3)
    await make_post(
        status=PostStatus.SCHEDULED,
        translations={"en-CA": {"title": "Coming Thursday", "slug": "coming"}},
        locales=("en-CA",),
    )
    await make_post(
        status=PostStatus.DRAFT,
        translations={"en-CA": {"title": "Half written", "slug": "half"}},
        locales=("en-CA",),
    )
    behind = await make_post(
        translations={
            "fr-CA": {"title": "Les mardis", "slug": "les-mardis"},
            "en-CA": {"title": "Tuesdays", "slug": "tuesdays"},
        }
    )
    # The English was made from the French's first version, which has changed since.
    await PostTranslation.filter(post_id=behind.id, locale="en-CA").update(
        source_locale="fr-CA", source_version=1
    )
    await PostTranslation.filter(post_id=behind.id, locale="fr-CA").update(text_version=2)
    await Media.create(
        original_filename="broken.png",
        content_type="image/png",
        size=5,
        sha256="5" * 64,
        storage_key="originals/broken.png",
        status=MediaStatus.FAILED,
    )
    venue = await Venue.create(name="Café Cinq", city="Montréal")
    local = soon.astimezone().strftime("%Y-%m-%dT18:00")
    await make_event(
        translations={"en-CA": {"title": "Cinq à sept", "slug": "cinq-a-sept"}},
        venue=venue,
        start_local=local,
        end_local=local.replace("18:00", "20:00"),
    )

    page = await admin.page(await admin.writer(Role.ADMIN, name="Aline Tremblay"), "/admin/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    await expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_focused()

    scheduled = page.get_by_role("region", name="Scheduled posts")
    await expect(scheduled.get_by_role("link", name="Coming Thursday")).to_be_visible()
    drafts = page.get_by_role("region", name="Drafts waiting")
    await expect(drafts.get_by_role("link", name="Half written")).to_be_visible()
    outdated = page.get_by_role("region", name="Translations behind their source")
    await expect(outdated.get_by_role("link", name="Tuesdays")).to_have_attribute(
        "href", f"/admin/posts/{behind.id}/translate/en-CA"
    )
    failed = page.get_by_role("region", name="Files that failed")
    await expect(failed).to_contain_text("broken.png")
    await expect(
        page.get_by_role("region", name="Webhook deliveries that gave up")
    ).to_contain_text("No delivery gave up.")
    events = page.get_by_role("region", name="Events in the next 30 days")
    await expect(events).to_contain_text("Cinq à sept")
    await expect(events).to_contain_text("Montréal")
    await check_screen(page)

    await drafts.get_by_role("link", name="Half written").click()
    await expect(page.get_by_label("Title", exact=True)).to_have_value("Half written")
