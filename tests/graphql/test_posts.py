"""One post through the API: lookups, localization, body, alternates and series navigation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cms.models import PostStatus
from cms.services.markdown import WORDS_PER_MINUTE
from tests.factories import make_category, make_post

POST = """
query Post($id: ID, $slug: String, $locale: String) {
  post(id: $id, slug: $slug, locale: $locale) {
    id locale resolvedLocale isFallback title slug seriesNumber
  }
}
"""


def bilingual(n: int | str = "x") -> dict[str, dict[str, str]]:
    """Fresh translations (the factory consumes the dicts it is given)."""
    return {
        "fr-CA": {"title": f"Billet {n}", "slug": f"billet-{n}"},
        "en-CA": {"title": f"Post {n}", "slug": f"post-{n}"},
    }


def error_code(body: dict) -> str | None:
    assert body.get("errors"), body
    return body["errors"][0].get("extensions", {}).get("code")


# --- Lookups and localization ------------------------------------------------------------------


async def test_post_by_id_is_shown_in_the_default_locale(gql) -> None:
    post = await make_post(translations=bilingual(), series_number=4)

    data = await gql.data(POST, id=str(post.id))

    assert data["post"] == {
        "id": str(post.id),
        "locale": "fr-CA",
        "resolvedLocale": "fr-CA",
        "isFallback": False,
        "title": "Billet x",
        "slug": "billet-x",
        "seriesNumber": 4,
    }


async def test_post_by_id_in_english(gql) -> None:
    post = await make_post(translations=bilingual())

    data = await gql.data(POST, id=str(post.id), locale="en-CA")

    assert data["post"]["title"] == "Post x"
    assert data["post"]["slug"] == "post-x"
    assert (data["post"]["resolvedLocale"], data["post"]["isFallback"]) == ("en-CA", False)


@pytest.mark.parametrize(
    ("asked", "locale", "title", "slug"),
    [
        ("billet-x", "fr-CA", "Billet x", "billet-x"),
        ("post-x", "fr-CA", "Billet x", "billet-x"),
        ("billet-x", "en-CA", "Post x", "post-x"),
        ("post-x", "en-CA", "Post x", "post-x"),
    ],
)
async def test_post_by_a_slug_of_either_locale_returns_the_canonical_slug(
    gql, asked: str, locale: str, title: str, slug: str
) -> None:
    post = await make_post(translations=bilingual())
    await make_post()  # another post, so that any post would not do

    data = await gql.data(POST, slug=asked, locale=locale)

    assert data["post"]["id"] == str(post.id)
    assert (data["post"]["title"], data["post"]["slug"]) == (title, slug)
    assert data["post"]["resolvedLocale"] == locale


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_slug_shared_by_two_posts_resolves_in_the_requested_locale(gql, locale: str) -> None:
    # "chat" is the French slug of one post (about cats) and the English slug of another.
    chat = await make_post(
        translations={
            "fr-CA": {"title": "Clavardage", "slug": "clavardage"},
            "en-CA": {"title": "Chat", "slug": "chat"},
        }
    )
    cat = await make_post(
        translations={
            "fr-CA": {"title": "Le chat", "slug": "chat"},
            "en-CA": {"title": "The cat", "slug": "cat"},
        }
    )
    expected = cat if locale == "fr-CA" else chat

    data = await gql.data(POST, slug="chat", locale=locale)

    assert data["post"]["id"] == str(expected.id)
    assert data["post"]["slug"] == "chat"


async def test_unknown_slug_gives_null(gql) -> None:
    await make_post(translations=bilingual())

    assert (await gql.data(POST, slug="nowhere"))["post"] is None


async def test_unknown_id_gives_null(gql) -> None:
    post = await make_post()

    assert (await gql.data(POST, id=str(post.id + 1000)))["post"] is None


async def test_french_only_post_falls_back_to_french_in_english(gql) -> None:
    post = await make_post(translations={"fr-CA": {"title": "Seulement", "slug": "seulement"}})
    expected = {
        "id": str(post.id),
        "locale": "en-CA",
        "resolvedLocale": "fr-CA",
        "isFallback": True,
        "title": "Seulement",
        "slug": "seulement",
        "seriesNumber": None,
    }

    by_id = await gql.data(POST, id=str(post.id), locale="en-CA")
    by_slug = await gql.data(POST, slug="seulement", locale="en-CA")
    listed = await gql.data(
        """{ posts(locale: "en-CA") { totalCount nodes { id resolvedLocale isFallback } } }"""
    )

    assert by_id["post"] == expected
    assert by_slug["post"] == expected
    assert listed["posts"]["totalCount"] == 1
    assert listed["posts"]["nodes"] == [
        {"id": str(post.id), "resolvedLocale": "fr-CA", "isFallback": True}
    ]


async def test_english_only_post_is_not_shown_in_french(gql) -> None:
    french = await make_post(locales=("fr-CA",))
    english = await make_post(translations={"en-CA": {"title": "Only", "slug": "only-english"}})
    list_ids = "query($locale: String) { posts(locale: $locale) { totalCount nodes { id } } }"

    in_english = await gql.data(list_ids, locale="en-CA")
    assert {node["id"] for node in in_english["posts"]["nodes"]} == {
        str(french.id),
        str(english.id),
    }

    for locale in (None, "fr-CA"):  # fr-CA is the default and has no fallback
        listed = await gql.data(list_ids, locale=locale)
        assert listed["posts"]["nodes"] == [{"id": str(french.id)}]
        assert listed["posts"]["totalCount"] == 1
        assert (await gql.data(POST, id=str(english.id), locale=locale))["post"] is None
        assert (await gql.data(POST, slug="only-english", locale=locale))["post"] is None


# --- Alternates ---------------------------------------------------------------------------------

ALTERNATES = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) { alternates { locale slug title } }
}
"""


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_alternates_list_every_translation(gql, locale: str) -> None:
    post = await make_post(translations=bilingual())

    data = await gql.data(ALTERNATES, id=str(post.id), locale=locale)

    assert sorted(data["post"]["alternates"], key=lambda a: a["locale"]) == [
        {"locale": "en-CA", "slug": "post-x", "title": "Post x"},
        {"locale": "fr-CA", "slug": "billet-x", "title": "Billet x"},
    ]


async def test_alternates_of_an_untranslated_post_list_only_its_language(gql) -> None:
    post = await make_post(translations={"fr-CA": {"title": "Seul", "slug": "seul"}})

    data = await gql.data(ALTERNATES, id=str(post.id), locale="en-CA")

    assert data["post"]["alternates"] == [{"locale": "fr-CA", "slug": "seul", "title": "Seul"}]


# --- Body ---------------------------------------------------------------------------------------

BODY = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) {
    body { markdown html text wordCount readingTime headings { level text anchor } }
  }
}
"""


class _Html(HTMLParser):
    """Every start tag with its attributes, and the text of each heading."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[dict] = []
        self._heading: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = {"level": int(tag[1]), "text": "", "anchor": dict(attrs).get("id")}

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._heading['level']}":
            self.headings.append(self._heading)
            self._heading = None


async def body_of(gql, source: str, locale: str = "fr-CA") -> dict:
    post = await make_post(translations={locale: {"title": "T", "slug": "t", "body": source}})
    return (await gql.data(BODY, id=str(post.id), locale=locale))["post"]["body"]


async def test_body_in_the_resolved_locale(gql) -> None:
    post = await make_post(
        translations={
            "fr-CA": {"title": "B", "slug": "b", "body": "Bonjour le monde."},
            "en-CA": {"title": "P", "slug": "p", "body": "Hello world, again."},
        }
    )

    french = await gql.data(BODY, id=str(post.id), locale="fr-CA")
    english = await gql.data(BODY, id=str(post.id), locale="en-CA")

    assert french["post"]["body"]["markdown"] == "Bonjour le monde."
    assert french["post"]["body"]["text"] == "Bonjour le monde."
    assert english["post"]["body"]["markdown"] == "Hello world, again."
    assert english["post"]["body"]["wordCount"] == 3


async def test_body_fields_describe_the_markdown(gql) -> None:
    words = ["mot"] * 40
    source = (
        "# Guide **complet**\n\n"
        f"{' '.join(words)}\n\n"
        "## Été à Montréal\n\n"
        "Un *petit* [lien](https://example.com).\n"
    )

    body = await body_of(gql, source)

    expected_words = ["Guide", "complet", *words, "Été", "à", "Montréal", "Un", "petit", "lien."]
    assert body["markdown"] == source
    assert body["text"].split() == expected_words
    assert not re.search(r"[#*\[\]()]", body["text"]), "Markdown syntax left in the text"
    assert body["wordCount"] == len(expected_words)
    assert body["readingTime"] == 1
    assert [(h["level"], h["text"]) for h in body["headings"]] == [
        (1, "Guide complet"),
        (2, "Été à Montréal"),
    ]
    assert '<a href="https://example.com"' in body["html"]
    assert "<em>petit</em>" in body["html"]


@pytest.mark.parametrize(
    ("words", "minutes"),
    [
        (1, 1),
        (WORDS_PER_MINUTE, 1),
        (WORDS_PER_MINUTE + 1, 2),
        (3 * WORDS_PER_MINUTE + 1, 4),
    ],
)
async def test_reading_time_rounds_up_to_whole_minutes(gql, words: int, minutes: int) -> None:
    body = await body_of(gql, " ".join(["mot"] * words))

    assert body["wordCount"] == words
    assert body["readingTime"] == minutes


async def test_body_html_is_sanitized(gql) -> None:
    source = (
        "Avant.\n\n"
        "<script>alert(1)</script>\n\n"
        '<p onclick="steal()">Cliquez ici</p>\n\n'
        "Un [x](javascript:alert(1)) et [un vrai lien](https://example.com/ok).\n"
    )

    html = (await body_of(gql, source))["html"]
    parsed = _Html(html)

    assert "script" not in {tag for tag, _ in parsed.tags}
    assert not [name for _, attrs in parsed.tags for name in attrs if name.startswith("on")]
    assert "steal()" not in html
    hrefs = [attrs.get("href") or "" for tag, attrs in parsed.tags if tag == "a"]
    assert not [href for href in hrefs if href.strip().lower().startswith("javascript:")]
    # What is harmless survives: the text and the safe link.
    assert "Cliquez ici" in html
    assert "https://example.com/ok" in hrefs


async def test_headings_carry_anchors_matching_the_outline(gql) -> None:
    source = (
        "# Le guide\n\n"
        "## Réseautage : l'art\n\nTexte.\n\n"
        "### Détails\n\nTexte.\n\n"
        "## Réseautage : l'art\n\nEncore.\n"
    )

    body = await body_of(gql, source)

    headings = body["headings"]
    assert [(h["level"], h["text"]) for h in headings] == [
        (1, "Le guide"),
        (2, "Réseautage : l'art"),
        (3, "Détails"),
        (2, "Réseautage : l'art"),
    ]
    anchors = [h["anchor"] for h in headings]
    assert len(set(anchors)) == len(anchors), "two headings share an anchor"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor) for anchor in anchors), anchors
    assert _Html(body["html"]).headings == headings


# --- Series -------------------------------------------------------------------------------------

SERIES = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) {
    seriesNumber
    previous { id seriesNumber title }
    next { id seriesNumber title }
  }
}
"""


async def test_previous_and_next_follow_the_category_series(gql) -> None:
    blog, other = await make_category(), await make_category()
    # Created out of order, with gaps, so that neither ids nor dates give the sequence.
    third = await make_post(category=blog, series_number=3)
    first = await make_post(category=blog, series_number=1)
    sixth = await make_post(category=blog, series_number=6)
    await make_post(category=blog, series_number=2, status=PostStatus.DRAFT)
    await make_post(category=other, series_number=2)
    await make_post(category=other, series_number=4)
    unnumbered = await make_post(category=blog)

    async def neighbours(post) -> tuple:
        data = (await gql.data(SERIES, id=str(post.id)))["post"]
        return (
            data["seriesNumber"],
            data["previous"] and data["previous"]["id"],
            data["next"] and data["next"]["id"],
        )

    assert await neighbours(first) == (1, None, str(third.id))
    assert await neighbours(third) == (3, str(first.id), str(sixth.id))
    assert await neighbours(sixth) == (6, str(third.id), None)
    assert await neighbours(unnumbered) == (None, None, None)


async def test_a_numbered_post_without_category_has_no_neighbours(gql) -> None:
    lone = await make_post(series_number=2)
    await make_post(series_number=1)
    await make_post(series_number=3)

    data = await gql.data(SERIES, id=str(lone.id))

    assert data["post"] == {"seriesNumber": 2, "previous": None, "next": None}


async def test_neighbours_are_shown_in_the_requested_locale(gql) -> None:
    blog = await make_category()
    first = await make_post(category=blog, series_number=1, translations=bilingual(1))
    second = await make_post(category=blog, series_number=2, translations=bilingual(2))
    third = await make_post(
        category=blog, series_number=3, translations={"fr-CA": {"title": "Trois", "slug": "trois"}}
    )

    data = await gql.data(SERIES, id=str(second.id), locale="en-CA")

    assert data["post"]["previous"] == {"id": str(first.id), "seriesNumber": 1, "title": "Post 1"}
    assert data["post"]["next"] == {"id": str(third.id), "seriesNumber": 3, "title": "Trois"}


async def test_neighbours_skip_posts_missing_in_the_requested_locale(gql) -> None:
    blog = await make_category()
    first = await make_post(category=blog, series_number=1, locales=("fr-CA",))
    await make_post(category=blog, series_number=2, locales=("en-CA",))
    third = await make_post(category=blog, series_number=3, locales=("fr-CA",))

    from_third = await gql.data(SERIES, id=str(third.id), locale="fr-CA")
    from_first = await gql.data(SERIES, id=str(first.id), locale="fr-CA")

    assert from_third["post"]["previous"]["id"] == str(first.id)
    assert from_first["post"]["next"]["id"] == str(third.id)


# --- Errors and locales -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        pytest.param({"locale": "de-DE"}, id="unknown-locale"),
        pytest.param({"locale": "fr"}, id="bare-language"),
        pytest.param({"slug": "billet-x"}, id="both-id-and-slug"),
        pytest.param({"id": None}, id="neither-id-nor-slug"),
        pytest.param({"id": "abc"}, id="id-not-a-number"),
        pytest.param({"id": "-1"}, id="negative-id"),
    ],
)
async def test_bad_post_arguments_are_user_errors(gql, variables: dict) -> None:
    post = await make_post(translations=bilingual())

    body = await gql(POST, **{"id": str(post.id), **variables})

    assert error_code(body) == "BAD_USER_INPUT"
    assert (body.get("data") or {}).get("post") is None


async def test_unknown_locale_message_names_the_known_ones(gql) -> None:
    post = await make_post()

    body = await gql(POST, id=str(post.id), locale="es-MX")

    message = body["errors"][0]["message"]
    assert "es-MX" in message
    assert "fr-CA" in message
    assert "en-CA" in message


async def test_locales_lists_the_default_first_with_fallbacks(gql) -> None:
    data = await gql.data("{ locales { code name isDefault fallback } }")

    assert data["locales"] == [
        {"code": "fr-CA", "name": "Français (Canada)", "isDefault": True, "fallback": []},
        {"code": "en-CA", "name": "English (Canada)", "isDefault": False, "fallback": ["fr-CA"]},
    ]
