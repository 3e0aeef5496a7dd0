"""Old addresses of the site: how they are kept, and where they lead now."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from cms.models import (
    CategoryTranslation,
    PostStatus,
    PostTranslation,
    Redirect,
    TagTranslation,
    TranslationStatus,
)
from cms.services import redirects
from cms.services.redirects import InvalidRedirect, Resolved, normalise_path
from tests.factories import make_category, make_post, make_tag

# --- normalise_path --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/2019/05/14/reseautage/", "/2019/05/14/reseautage"),
        ("/en/2019/05/16/networking/", "/en/2019/05/16/networking"),
        ("/category/blogue/", "/category/blogue"),
        ("/", "/"),
        ("", None),
        # Whole addresses keep their path and query only.
        ("https://Old.Example/2019/05/14/reseautage/#commentaires", "/2019/05/14/reseautage"),
        ("http://old.example", "/"),
        ("http://old.example/?p=123", "/?p=123"),
        # Only the parameters that name content stay, sorted.
        ("/?p=123", "/?p=123"),
        ("/?utm_source=infolettre&p=123&fbclid=x", "/?p=123"),
        ("/?page_id=7&lang=en", "/?lang=en&page_id=7"),
        ("/?cat=4&paged=2", "/?cat=4"),
        ("/2019/05/14/reseautage/?utm_medium=social", "/2019/05/14/reseautage"),
        ("/?tag=%C3%A9t%C3%A9", "/?tag=été"),
        ("/?tag=a%26b", "/?tag=a%26b"),
        # Decoded, in NFC; nothing lowercased.
        ("/2019/05/14/%C3%A9t%C3%A9-%C3%A0-montr%C3%A9al/", "/2019/05/14/été-à-montréal"),
        ("/2019/05/14/%c3%a9t%c3%a9/", "/2019/05/14/été"),
        ("/e\u0301te\u0301", "/été"),
        ("/Blogue/Mon-Billet", "/Blogue/Mon-Billet"),
        ("/mon%20billet/", "/mon billet"),
        # Slashes collapse, dot segments resolve, a leading slash is added.
        ("//2019//05///14/x//", "/2019/05/14/x"),
        ("/blogue/./a/../b", "/blogue/b"),
        ("2019/05/14/x", "/2019/05/14/x"),
        # What would change the path's meaning once decoded stays escaped.
        ("/a%2Fb", "/a%2Fb"),
        ("/pourquoi%3F", "/pourquoi%3F"),
        ("/100%25", "/100%25"),
        ("/100%-garanti", "/100%25-garanti"),
    ],
)
def test_paths_are_normalised(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(InvalidRedirect):
            normalise_path(raw)
    else:
        assert normalise_path(raw) == expected
        assert normalise_path(expected) == expected  # normalising twice changes nothing


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("   ", "Give an address"),
        ("/a\x00b", "control characters"),
        ("/a%00b", "control characters"),
        ("/a%0Ab", "control characters"),
        ("/a\tb", "control characters"),
        ("/" + "a" * 1000, "at most 1000 characters"),
        ("/" + "%C3%A9" * 1000, "at most 1000 characters"),
        ("/%FF", "not percent-encoded UTF-8"),
        ("/?tag=%FF", "not percent-encoded UTF-8"),
        ("ftp://old.example/file", "not pages of a site"),
    ],
)
def test_bad_paths_are_refused_with_a_reason(raw: str, message: str) -> None:
    with pytest.raises(InvalidRedirect, match=message) as error:
        normalise_path(raw)
    assert error.value.field == "path"
    assert isinstance(error.value, ValueError)


def test_the_longest_path_is_kept() -> None:
    longest = "/" + "é" * 999
    assert normalise_path(longest) == longest


# --- add_redirect ----------------------------------------------------------------------------


async def test_a_path_is_kept_once_whatever_its_spelling(settings) -> None:
    post = await make_post()
    other = await make_post()

    first = await redirects.add_redirect("/2019/05/14/billet/", post_id=post.id, origin="wordpress")
    second = await redirects.add_redirect(
        "https://old.example//2019/05/14/billet?utm_source=x", post_id=other.id, locale="en-CA"
    )

    assert second.id == first.id
    row = await Redirect.get()
    assert (row.path, row.post_id, row.locale, row.status, row.origin) == (
        "/2019/05/14/billet",
        other.id,
        "en-CA",
        301,
        "",
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "target"),
        ({"target": "/a", "tag_id": "TAG"}, "target"),
        ({"target": "/a", "status": 200}, "status"),
        ({"target": "/a", "status": 410}, "target"),
        ({"post_id": 999_999}, "postId"),
        ({"category_id": 999_999}, "categoryId"),
        ({"tag_id": 999_999}, "tagId"),
        ({"target": "javascript:alert(1)"}, "target"),
        ({"target": "//evil.example/"}, "target"),
        ({"target": "/a\nb"}, "target"),
        ({"target": " "}, "target"),
        ({"target": "/a", "origin": "x" * 51}, "origin"),
        ({"target": "/a", "locale": ""}, "locale"),
    ],
)
async def test_a_redirect_that_cannot_lead_anywhere_is_refused(settings, kwargs, field) -> None:
    tag = await make_tag()
    kwargs = {k: tag.id if v == "TAG" else v for k, v in kwargs.items()}

    with pytest.raises(InvalidRedirect) as error:
        await redirects.add_redirect("/ancien", **kwargs)

    assert error.value.field == field
    assert await Redirect.all().count() == 0


async def test_a_bad_path_is_refused(settings) -> None:
    with pytest.raises(InvalidRedirect) as error:
        await redirects.add_redirect("/a\x00", target="/b")
    assert error.value.field == "path"


# --- resolve ---------------------------------------------------------------------------------


def post_with(fr: str | None = "billet", en: str | None = "post", **kwargs):
    translations = {}
    if fr:
        translations["fr-CA"] = {"title": fr, "slug": fr}
    if en:
        translations["en-CA"] = {"title": en, "slug": en}
    return make_post(translations=translations, **kwargs)


async def test_a_post_redirect_leads_to_its_current_slug_in_its_locale(settings) -> None:
    post = await post_with("reseautage", "networking")
    await redirects.add_redirect("/2019/05/14/reseautage/", post_id=post.id, locale="fr-CA")
    await redirects.add_redirect("/en/2019/05/16/networking/", post_id=post.id, locale="en-CA")

    french = await redirects.resolve("/2019/05/14/reseautage/", settings)
    assert french == Resolved(
        path="/2019/05/14/reseautage",
        target="/fr/blogue/reseautage",
        url="http://localhost:3000/fr/blogue/reseautage",
        status=301,
    )
    await PostTranslation.filter(post_id=post.id, locale="en-CA").update(slug="networking-101")
    english = await redirects.resolve("http://old.example/en/2019/05/16/networking", settings)
    assert english is not None
    assert (english.target, english.url) == (
        "/en/blog/networking-101",
        "http://localhost:3000/en/blog/networking-101",
    )


async def test_a_missing_translation_falls_back_along_the_locale_chain(settings) -> None:
    post = await post_with("seulement-en-francais", None)
    await redirects.add_redirect("/en/only-french", post_id=post.id, locale="en-CA")
    await redirects.add_redirect("/sans-langue", post_id=post.id)

    resolved = await redirects.resolve("/en/only-french", settings)
    assert resolved is not None and resolved.target == "/fr/blogue/seulement-en-francais"
    unnamed = await redirects.resolve("/sans-langue", settings)
    assert unnamed is not None and unnamed.target == "/fr/blogue/seulement-en-francais"

    english_only = await post_with(None, "english-only")
    await redirects.add_redirect("/fr/anglais", post_id=english_only.id, locale="fr-CA")
    await redirects.add_redirect("/anglais", post_id=english_only.id)
    # fr-CA falls back on nothing; a redirect naming no locale takes any.
    assert await redirects.resolve("/fr/anglais", settings) is None
    unnamed = await redirects.resolve("/anglais", settings)
    assert unnamed is not None and unnamed.target == "/en/blog/english-only"


@pytest.mark.parametrize("state", ["draft", "scheduled", "trashed", "draft translation"])
async def test_a_redirect_to_what_the_public_cannot_see_leads_nowhere(settings, state) -> None:
    status = {"draft": PostStatus.DRAFT, "scheduled": PostStatus.SCHEDULED}.get(
        state, PostStatus.PUBLISHED
    )
    post = await post_with("cache", None, status=status)
    if state == "trashed":
        post.deleted_at = datetime.now(UTC)
        await post.save()
    if state == "draft translation":
        await PostTranslation.filter(post_id=post.id).update(status=TranslationStatus.DRAFT)
    await redirects.add_redirect("/?p=12", post_id=post.id, locale="fr-CA")

    assert await redirects.resolve("/?p=12", settings) is None


async def test_terms_lead_to_their_archives(settings) -> None:
    category = await make_category({"fr-CA": "Blogue", "en-CA": "Blog"})
    tag = await make_tag({"fr-CA": "Emploi"})
    await redirects.add_redirect("/category/blogue/", category_id=category.id, locale="fr-CA")
    await redirects.add_redirect("/en/category/blog/", category_id=category.id, locale="en-CA")
    await redirects.add_redirect("/tag/emploi/", tag_id=tag.id, locale="en-CA")

    fr_slug = (await CategoryTranslation.get(category_id=category.id, locale="fr-CA")).slug
    en_slug = (await CategoryTranslation.get(category_id=category.id, locale="en-CA")).slug
    french = await redirects.resolve("/category/blogue", settings)
    assert french is not None and french.target == f"/fr/blogue/categorie/{fr_slug}"
    english = await redirects.resolve("/en/category/blog", settings)
    assert english is not None and english.target == f"/en/blog/category/{en_slug}"
    tag_slug = (await TagTranslation.get(tag_id=tag.id)).slug
    tagged = await redirects.resolve("/tag/emploi", settings)
    assert tagged is not None  # no English name: the French archive
    assert tagged.url == f"http://localhost:3000/fr/blogue/etiquette/{tag_slug}"


async def test_fixed_targets_and_gone_paths(settings) -> None:
    await redirects.add_redirect("/a-propos/", target="/fr/qui-sommes-nous", status=308)
    await redirects.add_redirect("/boutique", target="https://shop.example/fr?x=1", status=302)
    await redirects.add_redirect('/l\'été "chaud"/', target="/fr/été chaud")
    await redirects.add_redirect("/vieux-concours/", status=410)

    assert await redirects.resolve("/a-propos", settings) == Resolved(
        "/a-propos", "/fr/qui-sommes-nous", "http://localhost:3000/fr/qui-sommes-nous", 308
    )
    assert await redirects.resolve("/boutique/", settings) == Resolved(
        "/boutique", "https://shop.example/fr?x=1", "https://shop.example/fr?x=1", 302
    )
    quoted = await redirects.resolve("/l'%C3%A9t%C3%A9%20%22chaud%22", settings)
    assert quoted is not None
    assert quoted.target == "/fr/été chaud"
    assert quoted.url == "http://localhost:3000/fr/%C3%A9t%C3%A9%20chaud"
    assert await redirects.resolve("/vieux-concours", settings) == Resolved(
        "/vieux-concours", "", "", 410
    )


async def test_a_query_that_names_no_kept_path_falls_back_on_the_bare_path(settings) -> None:
    await redirects.add_redirect("/category/blogue/", target="/fr/blogue")
    await redirects.add_redirect("/category/blogue/?lang=en", target="/en/blog")

    english = await redirects.resolve("/category/blogue/?lang=en&utm_source=x", settings)
    assert english is not None and english.target == "/en/blog"
    other = await redirects.resolve("/category/blogue/?lang=es", settings)
    assert other is not None and other.target == "/fr/blogue"
    assert await redirects.resolve("/?p=1", settings) is None
    assert await redirects.resolve("/nulle-part", settings) is None


async def test_site_url_and_paths_come_from_the_settings(settings) -> None:
    post = await post_with("reseautage", None)
    await redirects.add_redirect("/?p=5", post_id=post.id, locale="fr-CA")
    custom = replace(
        settings, site_url="https://reseau.example", post_paths={"fr-CA": "/articles/{slug}"}
    )

    resolved = await redirects.resolve("/?p=5", custom)

    assert resolved is not None
    assert resolved.url == "https://reseau.example/articles/reseautage"


# --- all_redirects ---------------------------------------------------------------------------


async def test_all_redirects_lists_what_leads_somewhere_page_by_page(settings, monkeypatch) -> None:
    monkeypatch.setattr(redirects, "PAGE", 2)
    visible = await post_with("visible", None)
    hidden = await post_with("cache", None, status=PostStatus.DRAFT)
    await redirects.add_redirect("/?p=1", post_id=visible.id)
    await redirects.add_redirect("/?p=2", post_id=hidden.id)
    await redirects.add_redirect("/a", target="/b")
    await redirects.add_redirect("/c", status=410)
    await redirects.add_redirect("/d", target="https://x.example/")

    rows = [row async for row in redirects.all_redirects(settings)]

    assert [(r.path, r.target, r.status) for r in rows] == [
        ("/?p=1", "/fr/blogue/visible", 301),
        ("/a", "/b", 301),
        ("/c", "", 410),
        ("/d", "https://x.example/", 301),
    ]
