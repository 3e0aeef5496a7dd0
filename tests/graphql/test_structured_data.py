"""Posts link to their page on the public site and describe themselves for search engines."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import httpx

from cms.app import create_app
from tests.factories import make_author, make_category, make_post, make_tag

QUERY = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) { url jsonLd resolvedLocale }
}
"""


async def test_a_post_has_its_public_url_and_blog_posting(settings) -> None:
    site = dataclasses.replace(
        settings,
        site_url="https://reseau.example",
        post_paths={"fr-CA": "/fr/blogue/{slug}", "en-CA": "/en/blog/{slug}"},
    )
    post = await make_post(
        translations={
            "fr-CA": {"title": "Réseauter", "slug": "reseauter", "excerpt": "Le bon réflexe."},
            "en-CA": {"title": "Networking", "slug": "networking", "excerpt": "The knack."},
        },
        published_at=datetime(2026, 5, 4, 14, 0, tzinfo=UTC),
        author=await make_author("Élise Gagnon"),
        category=await make_category({"fr-CA": "Blogue", "en-CA": "Blog"}),
        tags=[await make_tag({"fr-CA": "Montréal", "en-CA": "Montreal"})],
    )
    transport = httpx.ASGITransport(app=create_app(site, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post(
            "/graphql", json={"query": QUERY, "variables": {"id": str(post.id), "locale": "en-CA"}}
        )
    data = response.json()["data"]["post"]

    assert data["url"] == "https://reseau.example/en/blog/networking"
    ld = data["jsonLd"]
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "BlogPosting"
    assert ld["headline"] == "Networking"
    assert ld["description"] == "The knack."
    assert ld["inLanguage"] == "en-CA"
    assert ld["url"] == data["url"]
    assert ld["datePublished"] == "2026-05-04T14:00:00+00:00"
    assert ld["author"] == {"@type": "Person", "name": "Élise Gagnon"}
    assert ld["articleSection"] == "Blog"
    assert ld["keywords"] == ["Montreal"]
