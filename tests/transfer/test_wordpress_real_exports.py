"""Importing export files written by WordPress itself (the WordPress importer's own test data):
every post arrives, readers see its text as WordPress showed it, and a second run changes
nothing."""

from __future__ import annotations

import pytest

from cms.models import Post, PostTranslation, Role
from cms.transfer.wordpress import ImportOptions, import_wordpress, wxr
from tests.auth import caller
from tests.transfer.samples import IMPORTER, READABLE_IMPORTER_SAMPLES
from tests.transfer.test_wordpress_import import row_counts

IMPORTED_STATUSES = {"publish", "future", "draft", "pending", "private", "trash"}

BODY = """
query($slug: String!) {
  post(slug: $slug, preview: true) { title body { text } }
}
"""


@pytest.mark.parametrize("name", READABLE_IMPORTER_SAMPLES)
async def test_every_post_of_a_real_export_is_imported_once(settings, name) -> None:
    export = wxr.read(IMPORTER / name)
    expected = sum(
        1 for item in export.items if item.post_type == "post" and item.status in IMPORTED_STATUSES
    )
    first = await import_wordpress(settings, IMPORTER / name, ImportOptions())
    assert first.counts["posts failed"] == 0, first.render()
    assert await PostTranslation.all().count() == expected
    assert first.counts["posts created"] == await Post.all().count()
    before = await row_counts()
    second = await import_wordpress(settings, IMPORTER / name, ImportOptions())
    assert await row_counts() == before
    assert second.counts["posts unchanged"] == first.counts["posts created"], second.render()


async def test_backslashes_arrive_as_wordpress_showed_them(settings, client) -> None:
    editor = await caller(client, Role.EDITOR)
    await import_wordpress(settings, IMPORTER / "slashes.xml", ImportOptions())
    post = (await editor.data(BODY, slug="hello-world"))["post"]
    assert post["body"]["text"].strip() == 'Slashes aren\\\'t \\"cool\\"'


async def test_unicode_titles_arrive_as_written(settings) -> None:
    await import_wordpress(settings, IMPORTER / "wxr-utf-8-challenges.xml", ImportOptions())
    translation = await PostTranslation.filter(title__contains="The Road").first()
    assert translation is not None
    # Bidirectional controls and emoji survive as written.
    assert translation.title == (
        '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
