"""Each translation has its own state: readers see a post's published translations only."""

from __future__ import annotations

from cms.models import TranslationStatus
from tests.factories import make_post

POST = """
query($slug: String, $id: ID, $locale: String) {
  post(slug: $slug, id: $id, locale: $locale) {
    title slug resolvedLocale isFallback alternates { locale slug }
  }
}
"""


async def _with_draft_english():
    post = await make_post(
        translations={
            "fr-CA": {"title": "Publié", "slug": "publie"},
            "en-CA": {"title": "Unfinished", "slug": "unfinished"},
        }
    )
    await post.translations.filter(locale="en-CA").update(status=TranslationStatus.DRAFT)
    return post


async def test_english_readers_get_the_fallback_while_english_is_a_draft(gql) -> None:
    post = await _with_draft_english()

    data = await gql.data(POST, id=str(post.id), locale="en-CA")

    assert data["post"]["title"] == "Publié"
    assert data["post"]["resolvedLocale"] == "fr-CA"
    assert data["post"]["isFallback"] is True
    assert data["post"]["alternates"] == [{"locale": "fr-CA", "slug": "publie"}]


async def test_a_draft_translation_slug_leads_nowhere(gql) -> None:
    await _with_draft_english()

    assert (await gql.data(POST, slug="unfinished", locale="en-CA"))["post"] is None
    assert (await gql.data(POST, slug="publie", locale="en-CA"))["post"]["slug"] == "publie"


async def test_lists_skip_posts_whose_only_translation_is_a_draft(gql) -> None:
    shown = await make_post(locales=("fr-CA",))
    hidden = await make_post(locales=("fr-CA",))
    await hidden.translations.all().update(status=TranslationStatus.DRAFT)

    data = await gql.data('{ posts(locale: "fr-CA") { totalCount nodes { id } } }')

    assert data["posts"] == {"totalCount": 1, "nodes": [{"id": str(shown.id)}]}
