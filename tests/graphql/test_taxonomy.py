"""Categories, tags and authors: translated names and slugs, lookups, and a post's terms."""

from __future__ import annotations

import pytest

from cms.models import Category, CategoryTranslation, Role, Tag, TagTranslation
from tests.auth import caller
from tests.factories import make_author, make_post

KINDS = {
    "category": (Category, CategoryTranslation),
    "tag": (Tag, TagTranslation),
}
PLURAL = {"category": "categories", "tag": "tags"}

VOYAGES = {"fr-CA": ("Voyages", "voyages"), "en-CA": ("Travel", "travel")}


async def make_term(kind: str, names: dict[str, tuple[str, str]]) -> Category | Tag:
    """A category or tag with the given ``(name, slug)`` per locale."""
    model, translation = KINDS[kind]
    term = await model.create()
    for locale, (name, slug) in names.items():
        await translation.create(**{kind: term}, locale=locale, name=name, slug=slug)
    return term


def error_code(body: dict) -> str | None:
    assert body.get("errors"), body
    return body["errors"][0].get("extensions", {}).get("code")


# --- Lists of terms -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["category", "tag"])
@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (None, [("bricolage", "bricolage"), ("Cuisine", "cuisine"), ("Voyages", "voyages")]),
        ("fr-CA", [("bricolage", "bricolage"), ("Cuisine", "cuisine"), ("Voyages", "voyages")]),
        ("en-CA", [("Adventure", "adventure"), ("crafts", "crafts"), ("Food", "food")]),
    ],
)
async def test_terms_are_named_and_sorted_in_the_locale(
    gql, kind: str, locale: str | None, expected: list[tuple[str, str]]
) -> None:
    await make_term(kind, {"fr-CA": ("Voyages", "voyages"), "en-CA": ("Adventure", "adventure")})
    await make_term(kind, {"fr-CA": ("Cuisine", "cuisine"), "en-CA": ("Food", "food")})
    await make_term(kind, {"fr-CA": ("bricolage", "bricolage"), "en-CA": ("crafts", "crafts")})

    data = await gql.data(
        f"query($locale: String) {{ {PLURAL[kind]}(locale: $locale) "
        "{ name slug resolvedLocale isFallback } }",
        locale=locale,
    )

    assert data[PLURAL[kind]] == [
        {"name": name, "slug": slug, "resolvedLocale": locale or "fr-CA", "isFallback": False}
        for name, slug in expected
    ]


@pytest.mark.parametrize("kind", ["category", "tag"])
@pytest.mark.parametrize(
    ("names", "locale", "expected"),
    [
        pytest.param(
            {"fr-CA": ("Patrimoine", "patrimoine")},
            "en-CA",
            ("Patrimoine", "patrimoine", "fr-CA"),
            id="french-only-in-english",
        ),
        pytest.param(
            {"en-CA": ("Heritage", "heritage")},
            "fr-CA",
            ("Heritage", "heritage", "en-CA"),
            id="english-only-in-french",
        ),
    ],
)
async def test_term_missing_in_the_locale_is_shown_as_a_fallback(
    gql, kind: str, names: dict, locale: str, expected: tuple[str, str, str]
) -> None:
    lacking = await make_term(kind, names)
    complete = await make_term(kind, VOYAGES)

    data = await gql.data(
        f"query($locale: String) {{ {PLURAL[kind]}(locale: $locale) "
        "{ id name slug resolvedLocale isFallback } }",
        locale=locale,
    )

    by_id = {term["id"]: term for term in data[PLURAL[kind]]}
    name, slug, resolved = expected
    assert by_id[str(lacking.id)] == {
        "id": str(lacking.id),
        "name": name,
        "slug": slug,
        "resolvedLocale": resolved,
        "isFallback": True,
    }
    assert by_id[str(complete.id)]["resolvedLocale"] == locale
    assert by_id[str(complete.id)]["isFallback"] is False


# --- One term -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["category", "tag"])
@pytest.mark.parametrize("asked", ["voyages", "travel"])
@pytest.mark.parametrize(
    ("locale", "expected"), [("fr-CA", ("Voyages", "voyages")), ("en-CA", ("Travel", "travel"))]
)
async def test_term_by_a_slug_of_either_locale(
    gql, kind: str, asked: str, locale: str, expected: tuple[str, str]
) -> None:
    await make_term(kind, {"fr-CA": ("Cuisine", "cuisine"), "en-CA": ("Food", "food")})
    term = await make_term(kind, VOYAGES)

    data = await gql.data(
        f"query($slug: String!, $locale: String) {{ {kind}(slug: $slug, locale: $locale) "
        "{ id name slug resolvedLocale isFallback } }",
        slug=asked,
        locale=locale,
    )

    assert data[kind] == {
        "id": str(term.id),
        "name": expected[0],
        "slug": expected[1],
        "resolvedLocale": locale,
        "isFallback": False,
    }


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_term_lacking_english_by_slug_falls_back(gql, kind: str) -> None:
    term = await make_term(kind, {"fr-CA": ("Patrimoine", "patrimoine")})

    data = await gql.data(
        f'{{ {kind}(slug: "patrimoine", locale: "en-CA") {{ id name resolvedLocale isFallback }} }}'
    )

    assert data[kind] == {
        "id": str(term.id),
        "name": "Patrimoine",
        "resolvedLocale": "fr-CA",
        "isFallback": True,
    }


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_names_sort_ignoring_accents_and_case(gql, kind: str) -> None:
    for name in ("Zoo", "Écologie", "eau", "Fête"):
        await make_term(kind, {"fr-CA": (name, name.lower().replace("é", "e").replace("ê", "e"))})

    data = await gql.data(f'{{ {PLURAL[kind]}(locale: "fr-CA") {{ name }} }}')

    assert [term["name"] for term in data[PLURAL[kind]]] == ["eau", "Écologie", "Fête", "Zoo"]


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_slug_of_two_terms_resolves_in_the_requested_locale(gql, kind: str) -> None:
    cat = await make_term(kind, {"fr-CA": ("Chat", "chat"), "en-CA": ("Cat", "cat")})
    messaging = await make_term(
        kind, {"fr-CA": ("Clavardage", "clavardage"), "en-CA": ("Chat", "chat")}
    )
    query = f'query($locale: String) {{ {kind}(slug: "chat", locale: $locale) {{ id name }} }}'

    french = await gql.data(query, locale="fr-CA")
    english = await gql.data(query, locale="en-CA")

    assert french[kind] == {"id": str(cat.id), "name": "Chat"}
    assert english[kind] == {"id": str(messaging.id), "name": "Chat"}


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_unknown_term_slug_gives_null(gql, kind: str) -> None:
    await make_term(kind, VOYAGES)

    data = await gql.data(f'{{ {kind}(slug: "nowhere") {{ id }} }}')

    assert data[kind] is None


@pytest.mark.parametrize("kind", ["category", "tag"])
@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_term_alternates_list_every_translation(gql, kind: str, locale: str) -> None:
    await make_term(kind, VOYAGES)
    await make_term(kind, {"fr-CA": ("Cuisine", "cuisine"), "en-CA": ("Food", "food")})

    data = await gql.data(
        f'query($locale: String) {{ {kind}(slug: "voyages", locale: $locale) '
        "{ alternates { locale slug name } } }",
        locale=locale,
    )

    assert sorted(data[kind]["alternates"], key=lambda a: a["locale"]) == [
        {"locale": "en-CA", "slug": "travel", "name": "Travel"},
        {"locale": "fr-CA", "slug": "voyages", "name": "Voyages"},
    ]


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_term_posts_are_those_filed_under_it(gql, kind: str) -> None:
    term = await make_term(kind, VOYAGES)
    other = await make_term(kind, {"fr-CA": ("Cuisine", "cuisine")})
    link = (lambda t: {"category": t}) if kind == "category" else (lambda t: {"tags": [t]})
    mine = [await make_post(**link(term)) for _ in range(2)]
    await make_post(**link(other))
    await make_post()

    data = await gql.data(
        f'{{ {kind}(slug: "travel") {{ posts {{ totalCount nodes {{ id }} }} }} }}'
    )

    posts = data[kind]["posts"]
    assert posts["totalCount"] == len(mine)
    assert {node["id"] for node in posts["nodes"]} == {str(post.id) for post in mine}


# --- Authors ------------------------------------------------------------------------------------

BIOS = {
    "Alice": {"fr-CA": "Elle écrit.", "en-CA": "She writes."},
    "Bob": {"fr-CA": "Il dessine."},
    "Charlie": {},
}


@pytest.mark.parametrize(
    ("locale", "bios"),
    [
        ("fr-CA", ["Elle écrit.", "Il dessine.", None]),
        ("en-CA", ["She writes.", "Il dessine.", None]),
    ],
)
async def test_authors_are_listed_by_name_with_the_bio_in_the_locale(
    gql, locale: str, bios: list[str | None]
) -> None:
    authors = {name: await make_author(name, BIOS[name]) for name in ("Charlie", "Alice", "Bob")}

    data = await gql.data(
        "query($locale: String) { authors(locale: $locale) { id name slug bio } }", locale=locale
    )

    assert data["authors"] == [
        {"id": str(authors[name].id), "name": name, "slug": authors[name].slug, "bio": bio}
        for name, bio in zip(("Alice", "Bob", "Charlie"), bios, strict=True)
    ]


AUTHOR = """
query($slug: String!, $locale: String) {
  author(slug: $slug, locale: $locale) { id name bio posts { totalCount nodes { id } } }
}
"""


@pytest.mark.parametrize(
    ("locale", "bio", "visible"),
    [
        ("fr-CA", "Elle écrit.", ["bilingual", "french"]),
        ("en-CA", "She writes.", ["bilingual", "french", "english"]),
    ],
)
async def test_author_by_slug_with_bio_and_posts_in_the_locale(
    gql, locale: str, bio: str, visible: list[str]
) -> None:
    alice = await make_author("Alice", BIOS["Alice"])
    posts = {
        "bilingual": await make_post(author=alice),
        "french": await make_post(author=alice, locales=("fr-CA",)),
        "english": await make_post(author=alice, locales=("en-CA",)),
    }
    await make_post(author=await make_author("Bob"))

    data = await gql.data(AUTHOR, slug=alice.slug, locale=locale)

    author = data["author"]
    assert (author["id"], author["name"], author["bio"]) == (str(alice.id), "Alice", bio)
    assert author["posts"]["totalCount"] == len(visible)
    assert {node["id"] for node in author["posts"]["nodes"]} == {
        str(posts[name].id) for name in visible
    }


async def test_author_bio_falls_back_to_french_in_english(gql) -> None:
    bob = await make_author("Bob", BIOS["Bob"])

    data = await gql.data(AUTHOR, slug=bob.slug, locale="en-CA")

    assert data["author"]["bio"] == "Il dessine."


async def test_author_without_bio_has_a_null_bio(gql) -> None:
    charlie = await make_author("Charlie")

    data = await gql.data(AUTHOR, slug=charlie.slug, locale="en-CA")

    assert data["author"]["bio"] is None
    assert data["author"]["posts"]["totalCount"] == 0


async def test_author_bio_outside_the_locale_chain_is_null(gql) -> None:
    dana = await make_author("Dana", {"en-CA": "She writes in English only."})

    french = await gql.data(AUTHOR, slug=dana.slug, locale="fr-CA")
    english = await gql.data(AUTHOR, slug=dana.slug, locale="en-CA")

    assert french["author"]["bio"] is None  # fr-CA, the default, falls back to nothing
    assert english["author"]["bio"] == "She writes in English only."


async def test_unknown_author_slug_gives_null(gql) -> None:
    await make_author("Alice")

    assert (await gql.data(AUTHOR, slug="nobody"))["author"] is None


# --- A post's terms -----------------------------------------------------------------------------

POST_TERMS = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) {
    category { id name slug }
    tags { id name slug }
    author { id name slug }
  }
}
"""


@pytest.mark.parametrize(
    ("locale", "category", "tags"),
    [
        ("fr-CA", "Voyages", ["Abricot", "banane", "Cerise"]),
        ("en-CA", "Travel", ["apple", "Mango", "Zucchini"]),
    ],
)
async def test_post_terms_in_the_locale_with_tags_sorted_by_name(
    gql, locale: str, category: str, tags: list[str]
) -> None:
    travel = await make_term("category", VOYAGES)
    # Neither creation order nor case-sensitive order gives the expected order, in any locale.
    fruits = [
        await make_term("tag", {"fr-CA": ("banane", "banane"), "en-CA": ("Zucchini", "zucchini")}),
        await make_term("tag", {"fr-CA": ("Abricot", "abricot"), "en-CA": ("apple", "apple")}),
        await make_term("tag", {"fr-CA": ("Cerise", "cerise"), "en-CA": ("Mango", "mango")}),
    ]
    await make_term("tag", {"fr-CA": ("Ail", "ail"), "en-CA": ("Garlic", "garlic")})  # not on it
    alice = await make_author("Alice")
    post = await make_post(category=travel, tags=fruits, author=alice)

    data = await gql.data(POST_TERMS, id=str(post.id), locale=locale)

    assert data["post"]["category"] == {
        "id": str(travel.id),
        "name": category,
        "slug": category.lower(),
    }
    assert [tag["name"] for tag in data["post"]["tags"]] == tags
    assert all(tag["slug"] == tag["name"].lower() for tag in data["post"]["tags"])
    assert data["post"]["author"] == {"id": str(alice.id), "name": "Alice", "slug": alice.slug}


async def test_post_terms_fall_back_like_the_post(gql) -> None:
    heritage = await make_term("category", {"fr-CA": ("Patrimoine", "patrimoine")})
    tag = await make_term("tag", {"fr-CA": ("Musée", "musee")})
    post = await make_post(category=heritage, tags=[tag])

    data = await gql.data(
        'query($id: ID!) { post(id: $id, locale: "en-CA") { '
        "category { name resolvedLocale isFallback } tags { name resolvedLocale isFallback } } }",
        id=str(post.id),
    )

    fallback = {"resolvedLocale": "fr-CA", "isFallback": True}
    assert data["post"]["category"] == {"name": "Patrimoine", **fallback}
    assert data["post"]["tags"] == [{"name": "Musée", **fallback}]


async def test_post_without_terms(gql) -> None:
    await make_author("Alice")
    await make_term("category", VOYAGES)
    post = await make_post()

    data = await gql.data(POST_TERMS, id=str(post.id))

    assert data["post"] == {"category": None, "tags": [], "author": None}


# --- Errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '{ categories(locale: "de-DE") { id } }',
        '{ tags(locale: "de-DE") { id } }',
        '{ authors(locale: "de-DE") { id } }',
        '{ category(slug: "voyages", locale: "de-DE") { id } }',
        '{ tag(slug: "voyages", locale: "de-DE") { id } }',
        '{ author(slug: "AUTHOR", locale: "de-DE") { id } }',
    ],
)
async def test_unknown_locale_is_a_user_error(gql, query: str) -> None:
    await make_term("category", VOYAGES)
    await make_term("tag", VOYAGES)
    author = await make_author("Alice")

    body = await gql(query.replace("AUTHOR", author.slug))

    assert error_code(body) == "BAD_USER_INPUT"


async def test_an_author_s_bios_are_as_written_while_bio_falls_back(client) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        'mutation { createAuthor(name: "Léa Gagnon", bios: [{locale: "fr-CA", bio: "Elle écrit."}])'
        " { author { id } errors { code } } }"
    )
    author_id = created["createAuthor"]["author"]["id"]

    read = await editor.data('{ authors(locale: "en-CA") { id bio bios { locale bio } } }')

    (author,) = [a for a in read["authors"] if a["id"] == author_id]
    assert author["bio"] == "Elle écrit."  # readers get the French one
    assert author["bios"] == [{"locale": "fr-CA", "bio": "Elle écrit."}]
