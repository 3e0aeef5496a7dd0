"""Importing the bilingual WordPress sample, checked through the API as a frontend sees it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from tortoise import Tortoise, connections

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import ImportedObject, Media, Post, PostTranslation, Role
from cms.settings import Settings
from cms.transfer.wordpress import (
    ImportOptions,
    Report,
    WordPressImportError,
    WxrError,
    import_wordpress,
)
from tests.auth import caller
from tests.transfer.samples import IMPORTER, WORDPRESS

EXPORT = WORDPRESS / "export.xml"
UPLOADS = WORDPRESS / "uploads"

POST = """
query($slug: String!, $locale: String) {
  post(slug: $slug, locale: $locale) {
    id status seriesNumber publishedAt title slug resolvedLocale isFallback excerpt
    category { slug name }
    tags { slug name }
    author { name }
    body { markdown html }
    cover { id status width height alt(locale: $locale) srcset }
    alternates { locale slug }
  }
}
"""
REDIRECT = "query($path: String!) { redirect(path: $path) { target url status } }"


async def run_import(settings: Settings, **options: object) -> Report:
    report = await import_wordpress(
        settings, EXPORT, ImportOptions(**{"uploads": UPLOADS, **options})
    )
    storage = LocalStorage(settings.media_root)
    await storage.start()
    await build_worker(settings, storage).run_until_idle()
    return report


async def row_counts() -> dict[str, int]:
    conn = connections.get("default")
    counts = {}
    for app in Tortoise.apps.values():
        for model in app.values():
            table = model._meta.db_table
            if table and table not in {"content_change", "job"}:
                rows = await conn.execute_query_dict(f'SELECT count(*) AS n FROM "{table}"')
                counts[table] = rows[0]["n"]
    return counts


def media_files(settings: Settings) -> list[Path]:
    root = settings.media_root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_translation_group_becomes_one_bilingual_post(settings, gql) -> None:
    await run_import(settings)
    fr = (await gql.data(POST, slug="8-reseautage-lart-de-linattendu", locale="fr-CA"))["post"]
    en = (await gql.data(POST, slug="8-networking-the-art-of-the-unexpected", locale="en-CA"))[
        "post"
    ]
    assert fr["id"] == en["id"]
    assert await Post.all().count() == 3  # the group, the draft and the pending post
    assert fr["status"] == "PUBLISHED"
    # The date of the translation published first, in UTC.
    assert fr["publishedAt"] == en["publishedAt"] == "2019-05-14T18:02:11+00:00"
    assert fr["seriesNumber"] == 8
    assert fr["title"] == "8. réseautage : L’art de l’inattendu"
    assert en["title"] == "8. Networking: the art of the unexpected"
    assert not en["isFallback"]
    assert {(a["locale"], a["slug"]) for a in fr["alternates"]} == {
        ("fr-CA", "8-reseautage-lart-de-linattendu"),
        ("en-CA", "8-networking-the-art-of-the-unexpected"),
    }
    assert fr["excerpt"].startswith("Planifier ses rencontres, oui.")
    assert fr["author"]["name"] == "Claire Dubé"


async def test_categories_and_tags_are_grouped_by_translation(settings, gql) -> None:
    await run_import(settings)
    fr = (await gql.data(POST, slug="8-reseautage-lart-de-linattendu", locale="fr-CA"))["post"]
    en = (await gql.data(POST, slug="8-networking-the-art-of-the-unexpected", locale="en-CA"))[
        "post"
    ]
    assert fr["category"] == {"slug": "blogue", "name": "Blogue"}
    assert en["category"] == {"slug": "blog", "name": "Blog"}
    # réseautage/networking is one tag; "qu%c3%a9bec" decodes to québec, our slug "quebec".
    assert sorted(t["slug"] for t in fr["tags"]) == ["quebec", "reseautage"]
    assert {t["name"] for t in en["tags"]} == {"networking", "Québec"}
    categories = await gql.data('query { categories(locale: "fr-CA") { slug name } }')
    assert {"slug": "conseils", "name": "Conseils"} in categories["categories"]
    # A subcategory keeps its parent.
    conseils = await gql.data(
        'query { category(slug: "conseils") { parent { slug alternates { slug } } } }'
    )
    assert conseils["category"]["parent"]["slug"] == "blogue"
    assert {a["slug"] for a in conseils["category"]["parent"]["alternates"]} == {"blogue", "blog"}


async def test_bodies_become_markdown_with_media_references(settings, gql) -> None:
    await run_import(settings)
    fr = (await gql.data(POST, slug="8-reseautage-lart-de-linattendu", locale="fr-CA"))["post"]
    en = (await gql.data(POST, slug="8-networking-the-art-of-the-unexpected", locale="en-CA"))[
        "post"
    ]
    media_id = fr["cover"]["id"]
    markdown = fr["body"]["markdown"]
    assert "## Un autre tourisme d’affaires" in markdown
    assert f"(media:{media_id})" in markdown  # the -1024x683 size is the same image
    assert "<figcaption>Une soirée de réseautage dans le Vieux-Montréal</figcaption>" in markdown
    assert "[JAM Networking / Réseautage](https://www.facebook.com/groups/jamnetworking/)" in (
        markdown
    )
    assert "jetpack" not in markdown.lower() and "[caption" not in markdown
    assert "<picture>" in fr["body"]["html"]
    en_markdown = en["body"]["markdown"]
    assert "## Widen the circle" in en_markdown
    assert f"(media:{media_id})" in en_markdown
    assert "https://www.youtube.com/watch?v=aaaaaaaaaaa" in en_markdown
    assert "sharing" not in en_markdown and "related" not in en_markdown.lower()


async def test_the_featured_image_is_the_cover_without_its_exif(settings, gql) -> None:
    report = await run_import(settings)
    fr = (await gql.data(POST, slug="8-reseautage-lart-de-linattendu", locale="fr-CA"))["post"]
    en = (await gql.data(POST, slug="8-networking-the-art-of-the-unexpected", locale="en-CA"))[
        "post"
    ]
    cover = fr["cover"]
    assert cover["status"] == "READY"
    assert cover["alt"] == "Des participants discutent autour d’une table haute"
    assert en["cover"]["alt"] == "Guests talking around a high table"
    assert "webp" in cover["srcset"] or ".jpg" in cover["srcset"]
    assert await Media.all().count() == 1
    assert report.counts["media imported"] == 1
    media = await Media.get(id=int(cover["id"]))
    assert media.renditions
    with Image.open(UPLOADS / "2019/05/soiree-reseautage.jpg") as original:
        assert original.getexif(), "the sample carries EXIF (GPS) for this test to mean something"
    for rendition in media.renditions:
        with Image.open(settings.media_root / rendition["key"]) as public:
            assert not public.getexif(), rendition["key"]


async def test_drafts_and_pending_posts_are_drafts(settings, gql) -> None:
    await run_import(settings)
    editor = await caller(gql.http, Role.EDITOR)
    drafts = await PostTranslation.filter(post__status="draft").order_by("post_id")
    assert [(t.title, t.status.value) for t in drafts] == [
        ("9. Mundo Lingo : pratiquer les langues à Toronto", "draft"),
        ("10. Le 5 à 7, mode d’emploi", "draft"),
    ]
    # A draft with no slug gets one from its title; the pending post keeps WordPress's.
    assert [t.slug for t in drafts] == [
        "9-mundo-lingo-pratiquer-les-langues-a-toronto",
        "10-le-5-a-7-mode-demploi",
    ]
    assert (await gql.data(POST, slug="10-le-5-a-7-mode-demploi", locale="fr-CA"))["post"] is None
    preview = await editor.data(
        "query($slug: String!) { post(slug: $slug, preview: true) { status body { markdown } } }",
        slug="10-le-5-a-7-mode-demploi",
    )
    assert preview["post"]["status"] == "DRAFT"
    assert preview["post"]["body"]["markdown"] == (
        "Arrivez tôt, repartez avec trois noms.\n\nEt une carte d’affaires de moins.\n"
    )


async def test_old_addresses_lead_to_the_new_ones(settings, gql) -> None:
    await run_import(settings)
    fr_path = "/fr/blogue/8-reseautage-lart-de-linattendu"
    en_path = "/en/blog/8-networking-the-art-of-the-unexpected"
    cases = {
        "/2019/05/14/8-reseautage-lart-de-linattendu/": fr_path,
        "https://montreal5a7.example/2019/05/14/8-reseautage-lart-de-linattendu/": fr_path,
        "/?p=101": fr_path,
        # The permalink of its old slug (_wp_old_slug).
        "/2019/05/14/reseautage-lart-de-linattendu/": fr_path,
        # Polylang's language prefix.
        "/en/2019/05/16/8-networking-the-art-of-the-unexpected/": en_path,
        "/?p=102": en_path,
        "/category/blogue/": "/fr/blogue/categorie/blogue",
        "/category/blogue/conseils/": "/fr/blogue/categorie/conseils",
        "/en/category/blog/": "/en/blog/category/blog",
        "/tag/qu%c3%a9bec/": "/fr/blogue/etiquette/quebec",
    }
    for old, new in cases.items():
        answer = (await gql.data(REDIRECT, path=old))["redirect"]
        assert answer is not None, old
        assert (answer["target"], answer["status"]) == (new, 301), old
    # A draft's address leads nowhere for the public.
    assert (await gql.data(REDIRECT, path="/?p=103"))["redirect"] is None
    # The old slug itself still finds the post, whose slug is the canonical one.
    old = (await gql.data(POST, slug="reseautage-lart-de-linattendu", locale="fr-CA"))["post"]
    assert old["slug"] == "8-reseautage-lart-de-linattendu"


async def test_pages_and_comments_are_counted_not_imported(settings) -> None:
    report = await run_import(settings)
    assert report.counts["pages not imported"] == 1
    assert report.counts["comments not imported"] == 1
    text = report.render()
    assert "page 200 (À propos)" in text
    assert "Jetpack" in text  # what the bodies lost is listed, with the post it concerns
    assert "post 101, 102" in text


async def test_importing_twice_changes_nothing(settings) -> None:
    first = await run_import(settings)
    before = await row_counts()
    files = media_files(settings)
    second = await run_import(settings)
    assert await row_counts() == before
    assert media_files(settings) == files
    assert first.counts["posts created"] == 3
    assert second.counts["posts unchanged"] == 3
    assert "posts created" not in second.counts


async def test_a_changed_export_updates_what_changed(settings, tmp_path) -> None:
    await run_import(settings)
    changed = tmp_path / "export.xml"
    changed.write_text(
        EXPORT.read_text(encoding="utf-8").replace(
            "Arrivez tôt, repartez avec trois noms.", "Arrivez tôt, repartez avec cinq noms."
        ),
        encoding="utf-8",
    )
    report = await import_wordpress(settings, changed, ImportOptions(uploads=UPLOADS))
    assert report.counts["posts updated"] == 1
    assert report.counts["posts unchanged"] == 2
    translation = await PostTranslation.get(slug="10-le-5-a-7-mode-demploi")
    assert translation.body.startswith("Arrivez tôt, repartez avec cinq noms.")
    assert await Post.all().count() == 3


async def test_a_dry_run_reports_and_writes_nothing(settings) -> None:
    report = await import_wordpress(settings, EXPORT, ImportOptions(uploads=UPLOADS, dry_run=True))
    assert report.counts["posts created"] == 3
    assert report.render().startswith("Dry run: nothing was written.")
    assert all(n == 0 for n in (await row_counts()).values())
    assert not media_files(settings)


async def test_a_missing_upload_is_reported_and_the_post_still_imports(settings, tmp_path) -> None:
    empty = tmp_path / "uploads"
    empty.mkdir()
    report = await run_import(settings, uploads=empty)
    assert await Post.all().count() == 3
    assert await Media.all().count() == 0
    assert any("2019/05/soiree-reseautage.jpg is missing" in m for _, m in report.warnings)
    body = (await PostTranslation.get(slug="8-reseautage-lart-de-linattendu")).body
    assert "https://montreal5a7.example/wp-content/uploads/2019/05/" in body


@pytest.mark.parametrize(
    "name",
    ["malformed.xml", "malformed-simple.xml", "missing-version-tag.xml", "invalid-version-tag.xml"],
)
async def test_a_broken_export_is_refused_with_nothing_written(settings, name) -> None:
    with pytest.raises(WxrError):
        await import_wordpress(settings, IMPORTER / name, ImportOptions())
    assert all(n == 0 for n in (await row_counts()).values())


async def test_an_unmapped_language_is_refused_before_writing(settings, tmp_path) -> None:
    german = tmp_path / "export.xml"
    german.write_text(
        EXPORT.read_text(encoding="utf-8")
        .replace('s:5:"en_CA"', 's:5:"de_DE"')
        .replace("<wp:term_slug><![CDATA[en]]>", "<wp:term_slug><![CDATA[de]]>"),
        encoding="utf-8",
    )
    with pytest.raises(WordPressImportError, match="--locale-map de="):
        await import_wordpress(settings, german, ImportOptions())
    assert await ImportedObject.all().count() == 0
