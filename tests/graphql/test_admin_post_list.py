"""The writers' post list: search, status and trash filters, most recently changed first."""

from __future__ import annotations

import pytest

from cms.models import PostStatus, Role
from tests.auth import Caller, caller
from tests.factories import make_author, make_post
from tests.graphql.test_authoring import CREATE, TRASH, UPSERT, fr, ok

LIST = """
query(
  $filter: PostFilter, $orderBy: PostOrder! = NEWEST, $first: Int! = 20, $after: String,
  $preview: Boolean! = true
) {
  posts(filter: $filter, orderBy: $orderBy, first: $first, after: $after, preview: $preview) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id title trashedAt }
  }
}
"""
ONE = """
query($id: ID, $slug: String, $preview: Boolean! = true) {
  post(id: $id, slug: $slug, preview: $preview) {
    id trashedAt viewerCan { edit restore purge }
  }
}
"""


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


@pytest.fixture
async def author(client) -> Caller:
    return await caller(client, Role.AUTHOR, author=await make_author())


async def listed(who, **variables) -> list[str]:
    posts = (await who.data(LIST, **variables))["posts"]
    assert posts["totalCount"] == len(posts["nodes"]) or posts["pageInfo"]["hasNextPage"]
    return [node["title"] for node in posts["nodes"]]


def error_of(body: dict) -> tuple[str, str | None]:
    (error,) = body["errors"]
    return error["extensions"]["code"], error["extensions"].get("field")


# --- search --------------------------------------------------------------------------------


@pytest.fixture
async def catalogue() -> None:
    await make_post(
        translations={
            "fr-CA": {"title": "Réseautage : l’art du suivi", "slug": "reseautage-lart-du-suivi"},
            "en-CA": {"title": "Networking: following up", "slug": "networking-following-up"},
        }
    )
    await make_post(
        translations={"fr-CA": {"title": "ÉTÉ à Montréal", "slug": "ete-a-montreal"}},
        status=PostStatus.DRAFT,
    )
    await make_post(
        translations={"fr-CA": {"title": "Un 5 à 7 réussi", "slug": "cinq-a-sept-100-pour-cent"}}
    )
    await make_post(translations={"fr-CA": {"title": "100% local_news", "slug": "local"}})


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        pytest.param("suivi", ["Réseautage : l’art du suivi"], id="a-word-of-a-title"),
        pytest.param("SUIVI", ["Réseautage : l’art du suivi"], id="any-case"),
        pytest.param("reseautage", ["Réseautage : l’art du suivi"], id="without-accents"),
        pytest.param("Été", ["ÉTÉ à Montréal"], id="accents-and-case"),
        pytest.param("montreal ete", ["ÉTÉ à Montréal"], id="words-in-any-order"),
        pytest.param(
            "suivi following", ["Réseautage : l’art du suivi"], id="words-in-different-locales"
        ),
        pytest.param("suivi montréal", [], id="every-word-must-occur"),
        pytest.param("sept", ["Un 5 à 7 réussi"], id="a-word-of-the-slug-only"),
        pytest.param("%", ["100% local_news"], id="percent-is-a-character"),
        pytest.param("_", ["100% local_news"], id="underscore-is-a-character"),
        pytest.param("l_cal", [], id="no-wildcards"),
        pytest.param("   ", None, id="blank-searches-nothing-out"),
    ],
)
async def test_search_finds_words_in_titles_and_slugs(editor, catalogue, search, titles) -> None:
    found = await listed(editor, filter={"search": search})

    if titles is None:
        assert len(found) == 4
    else:
        assert sorted(found) == sorted(titles)


async def test_public_search_finds_published_posts_only(gql, catalogue) -> None:
    assert await listed(gql, filter={"search": "montreal"}, preview=False) == []
    assert await listed(gql, filter={"search": "suivi"}, preview=False) == [
        "Réseautage : l’art du suivi"
    ]


async def test_a_search_over_200_characters_is_bad_input(editor) -> None:
    body = await editor(LIST, filter={"search": "a" * 201})

    assert error_of(body) == ("BAD_USER_INPUT", "search")
    assert (await editor(LIST, filter={"search": "a" * 200}))["data"]["posts"]["totalCount"] == 0


# --- status ---------------------------------------------------------------------------------


async def test_the_status_filter_keeps_the_statuses_given(editor, gql) -> None:
    for status in PostStatus:
        await make_post(
            translations={"fr-CA": {"title": status.name, "slug": status.value}}, status=status
        )

    assert sorted(await listed(editor, filter={"status": ["DRAFT", "SCHEDULED"]})) == [
        "DRAFT",
        "SCHEDULED",
    ]
    assert await listed(editor, filter={"status": ["ARCHIVED"]}) == ["ARCHIVED"]
    assert await listed(editor, filter={"status": []}) == []
    assert len(await listed(editor, filter={"status": None})) == 4
    # The public sees published posts whatever it asks for.
    assert await listed(gql, filter={"status": ["DRAFT"]}, preview=False) == []
    assert await listed(gql, filter={"status": ["PUBLISHED"]}, preview=False) == ["PUBLISHED"]


# --- most recently changed first --------------------------------------------------------------


async def test_updated_lists_the_latest_change_first_page_by_page(editor, gql) -> None:
    ids = {}
    for title in ("Un", "Deux", "Trois"):
        ids[title] = (await ok(editor, CREATE, input={"translations": [fr(title)]}))["id"]
    await ok(editor, UPSERT, id=ids["Un"], v=1, input=fr("Un, revu"))

    first = (await editor.data(LIST, orderBy="UPDATED", first=2))["posts"]
    rest = (
        await editor.data(LIST, orderBy="UPDATED", first=2, after=first["pageInfo"]["endCursor"])
    )["posts"]

    assert [n["title"] for n in first["nodes"]] == ["Un, revu", "Trois"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [n["title"] for n in rest["nodes"]] == ["Deux"]
    assert rest["pageInfo"]["hasNextPage"] is False
    # A cursor belongs to its ordering.
    body = await editor(LIST, after=first["pageInfo"]["endCursor"])
    assert error_of(body) == ("BAD_USER_INPUT", "after")


async def test_updated_orders_public_lists_too(gql) -> None:
    older = await make_post(translations={"fr-CA": {"title": "Ancien", "slug": "ancien"}})
    await make_post(translations={"fr-CA": {"title": "Récent", "slug": "recent"}})
    older.series_number = 4
    await older.save()

    assert await listed(gql, orderBy="UPDATED", preview=False) == ["Ancien", "Récent"]


# --- the trash --------------------------------------------------------------------------------


@pytest.fixture
async def trashed(editor) -> dict:
    """A published post moved to the trash, next to one that stays."""
    await make_post(translations={"fr-CA": {"title": "Gardé", "slug": "garde"}})
    post = await ok(editor, CREATE, input={"translations": [fr("Jeté", slug="jete")]})
    await ok(editor, TRASH, id=post["id"], v=post["version"])
    return post


async def test_the_trash_lists_trashed_posts_only(editor, trashed) -> None:
    trash = (await editor.data(LIST, filter={"trashed": True}))["posts"]

    assert [node["title"] for node in trash["nodes"]] == ["Jeté"]
    assert trash["totalCount"] == 1
    assert trash["nodes"][0]["trashedAt"] is not None
    assert await listed(editor) == ["Gardé"]
    assert await listed(editor, filter={"trashed": False}) == ["Gardé"]


async def test_the_trash_is_not_public(gql, trashed) -> None:
    body = await gql(LIST, filter={"trashed": True}, preview=False)

    assert error_of(body) == ("BAD_USER_INPUT", "trashed")


async def test_the_trash_is_for_those_who_may_restore(author, trashed) -> None:
    body = await author(LIST, filter={"trashed": True})

    assert error_of(body)[0] == "FORBIDDEN"


async def test_an_editor_opens_a_trashed_post_by_id_to_restore_it(editor, trashed) -> None:
    post = (await editor.data(ONE, id=trashed["id"]))["post"]

    assert post["trashedAt"] is not None
    assert post["viewerCan"] == {"edit": False, "restore": True, "purge": True}


async def test_a_trashed_post_stays_hidden_everywhere_else(editor, author, gql, trashed) -> None:
    assert (await author.data(ONE, id=trashed["id"]))["post"] is None
    assert (await editor.data(ONE, slug="jete"))["post"] is None
    assert (await gql.data(ONE, id=trashed["id"], preview=False))["post"] is None
    assert (await gql.data(ONE, slug="jete", preview=False))["post"] is None
    assert await listed(gql, preview=False) == ["Gardé"]
    assert await listed(gql, filter={"search": "jete"}, preview=False) == []
    assert await listed(editor, filter={"search": "jete"}) == []


# --- every language ------------------------------------------------------------------------


async def test_a_preview_lists_posts_written_only_in_another_language_in_that_language(
    editor, gql
) -> None:
    await make_post(translations={"fr-CA": {"title": "Billet en français", "slug": "billet"}})
    await make_post(
        status=PostStatus.DRAFT,
        translations={"en-CA": {"title": "English-only draft", "slug": "english-only"}},
    )
    query = """query($preview: Boolean!) { posts(locale: "fr-CA", preview: $preview) {
      totalCount nodes { title resolvedLocale isFallback } } }"""

    preview = (await editor.data(query, preview=True))["posts"]
    public = (await gql.data(query, preview=False))["posts"]

    assert preview["totalCount"] == 2
    assert sorted(preview["nodes"], key=lambda node: node["title"]) == [
        {"title": "Billet en français", "resolvedLocale": "fr-CA", "isFallback": False},
        {"title": "English-only draft", "resolvedLocale": "en-CA", "isFallback": True},
    ]
    assert public == {
        "totalCount": 1,
        "nodes": [{"title": "Billet en français", "resolvedLocale": "fr-CA", "isFallback": False}],
    }
