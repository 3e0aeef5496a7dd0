"""Per-locale translation states: missing, draft, published, and outdated exactly when the
text a translation follows has changed since the version it was written against."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest

from cms.app import create_app
from cms.models import Role
from tests.auth import Caller, caller
from tests.factories import make_post
from tests.graphql.test_authoring import (
    CREATE,
    DELETE_TRANSLATION,
    PUBLISH,
    RESTORE_REVISION,
    REVISIONS,
    UPSERT,
    en,
    fr,
    ok,
    payload_of,
    refused,
)
from tests.sql import recorded_statements

LOCALES = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale, preview: true) {
    version sourceLocale textVersion
    locales {
      locale state isSource isPublished title slug updatedAt
      textVersion sourceLocale sourceVersion
    }
  }
}
"""
FILTERED = """
query($t: TranslationFilter!, $first: Int! = 20, $after: String, $preview: Boolean! = true) {
  posts(filter: {translation: $t}, first: $first, after: $after, preview: $preview) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id }
  }
}
"""


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


async def locales_of(who, post_id: str) -> dict[str, dict]:
    post = (await who.data(LOCALES, id=post_id))["post"]
    return {entry["locale"]: entry for entry in post["locales"]}


async def states(who, post_id: str) -> dict[str, str]:
    return {locale: entry["state"] for locale, entry in (await locales_of(who, post_id)).items()}


async def save(who, post: dict, translation: dict) -> dict:
    """Save one translation of ``post`` at its current version; the post as it is after."""
    return await ok(who, UPSERT, id=post["id"], v=post["version"], input=translation)


async def listed(who, locale: str, state: str | None, **variables) -> list[str]:
    data = await who.data(FILTERED, t={"locale": locale, "state": state}, **variables)
    return [node["id"] for node in data["posts"]["nodes"]]


# --- what a new post records ---------------------------------------------------------------


async def test_a_new_post_is_written_in_the_default_locale_and_followed_by_the_others(
    editor,
) -> None:
    post = await ok(editor, CREATE, input={"translations": [en(), fr()]})

    data = (await editor.data(LOCALES, id=post["id"]))["post"]
    assert data["sourceLocale"] == "fr-CA"
    assert data["textVersion"] == 1
    french, english = data["locales"]
    assert french == {
        "locale": "fr-CA",
        "state": "DRAFT",
        "isSource": True,
        "isPublished": False,
        "title": "Réseautage : l’art du suivi",
        "slug": "reseautage-lart-du-suivi",
        "updatedAt": french["updatedAt"],
        "textVersion": 1,
        "sourceLocale": None,
        "sourceVersion": None,
    }
    assert (english["isSource"], english["sourceLocale"], english["sourceVersion"]) == (
        False,
        "fr-CA",
        1,
    )


async def test_without_the_default_locale_the_first_translation_is_the_source(editor) -> None:
    created = await payload_of(
        editor,
        'mutation($input: CreatePostInput!) { createPost(input: $input, locale: "en-CA") {'
        " post { id version sourceLocale } errors { code } } }",
        input={"translations": [en()]},
    )
    post = created["post"]
    assert post["sourceLocale"] == "en-CA"

    await save(editor, post, fr())

    entries = await locales_of(editor, post["id"])
    assert entries["en-CA"]["isSource"] is True
    assert (entries["fr-CA"]["sourceLocale"], entries["fr-CA"]["sourceVersion"]) == ("en-CA", 1)


async def test_a_locale_without_a_translation_is_missing(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr()]})

    entries = await locales_of(editor, post["id"])

    assert [entry["locale"] for entry in entries.values()] == ["fr-CA", "en-CA"]
    assert entries["en-CA"] == {
        "locale": "en-CA",
        "state": "MISSING",
        "isSource": False,
        "isPublished": False,
        "title": None,
        "slug": None,
        "updatedAt": None,
        "textVersion": None,
        "sourceLocale": None,
        "sourceVersion": None,
    }


async def test_publishing_makes_every_translation_published(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})

    await ok(editor, PUBLISH, id=post["id"], v=post["version"])

    entries = await locales_of(editor, post["id"])
    assert {e["state"] for e in entries.values()} == {"PUBLISHED"}
    assert all(e["isPublished"] for e in entries.values())
    assert {e["textVersion"] for e in entries.values()} == {1}


async def test_a_draft_translation_of_a_published_post_is_a_draft(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr()]})
    post = await ok(editor, PUBLISH, id=post["id"], v=post["version"])

    post = await save(editor, post, en())

    assert await states(editor, post["id"]) == {"fr-CA": "PUBLISHED", "en-CA": "DRAFT"}


# --- outdated ------------------------------------------------------------------------------


@pytest.fixture
async def translated(editor) -> dict:
    """A published French post with its English translation, both at text version 1."""
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})
    return await ok(editor, PUBLISH, id=post["id"], v=post["version"])


async def test_changing_the_source_text_makes_the_translation_outdated(editor, translated) -> None:
    await save(editor, translated, fr(body="## Un nouveau paragraphe"))

    entries = await locales_of(editor, translated["id"])
    assert entries["fr-CA"]["state"] == "PUBLISHED"
    assert entries["fr-CA"]["textVersion"] == 2
    english = entries["en-CA"]
    assert (english["state"], english["isPublished"]) == ("OUTDATED", True)
    assert (english["sourceVersion"], english["textVersion"]) == (1, 1)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Un autre titre"},
        {"excerpt": "En bref."},
        {"seoTitle": "Pour les moteurs"},
        {"seoDescription": "Une description."},
    ],
    ids=["title", "excerpt", "seo-title", "seo-description"],
)
async def test_each_text_field_counts(editor, translated, change) -> None:
    await save(editor, translated, {**fr(), **change})

    assert (await states(editor, translated["id"]))["en-CA"] == "OUTDATED"


async def test_saving_the_translation_against_the_new_source_version_brings_it_up_to_date(
    editor, translated
) -> None:
    post = await save(editor, translated, fr(body="## Un nouveau paragraphe"))

    post = await save(editor, post, en(body="## A new paragraph", sourceVersion=2))

    entries = await locales_of(editor, post["id"])
    assert entries["en-CA"]["state"] == "PUBLISHED"
    assert (entries["en-CA"]["sourceVersion"], entries["en-CA"]["textVersion"]) == (2, 2)


async def test_a_translation_saved_against_an_older_source_version_stays_outdated(
    editor, translated
) -> None:
    post = await save(editor, translated, fr(body="## Deuxième version"))
    post = await save(editor, post, fr(body="## Troisième version"))

    # The translator worked from the second version while the third was being written.
    post = await save(editor, post, en(body="## Second version", sourceVersion=2))

    english = (await locales_of(editor, post["id"]))["en-CA"]
    assert (english["state"], english["sourceVersion"]) == ("OUTDATED", 2)


async def test_saving_a_translation_without_a_source_version_keeps_the_one_it_had(
    editor, translated
) -> None:
    post = await save(editor, translated, fr(body="## Un nouveau paragraphe"))

    post = await save(editor, post, en(body="## A typo fixed"))

    english = (await locales_of(editor, post["id"]))["en-CA"]
    assert (english["state"], english["sourceVersion"], english["textVersion"]) == (
        "OUTDATED",
        1,
        2,
    )


async def test_a_new_translation_follows_the_source_as_it_is_now(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr()]})
    post = await save(editor, post, fr(body="## Revu"))

    post = await save(editor, post, en())

    english = (await locales_of(editor, post["id"]))["en-CA"]
    assert (english["state"], english["sourceLocale"], english["sourceVersion"]) == (
        "DRAFT",
        "fr-CA",
        2,
    )


async def test_slug_and_status_changes_leave_translations_up_to_date(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})

    post = await save(editor, post, fr(slug="un-autre-slug"))
    post = await ok(editor, PUBLISH, id=post["id"], v=post["version"])

    entries = await locales_of(editor, post["id"])
    assert entries["fr-CA"]["slug"] == "un-autre-slug"
    assert entries["fr-CA"]["textVersion"] == 1
    assert entries["en-CA"]["state"] == "PUBLISHED"


async def test_resaving_the_same_text_changes_no_version(editor, translated) -> None:
    post = await save(editor, translated, fr())

    entries = await locales_of(editor, post["id"])
    assert entries["fr-CA"]["textVersion"] == 1
    assert entries["en-CA"]["state"] == "PUBLISHED"


async def test_the_source_is_never_outdated(editor, translated) -> None:
    post = await save(editor, translated, en(body="## Only the English changes"))

    entries = await locales_of(editor, post["id"])
    assert entries["fr-CA"]["state"] == "PUBLISHED"
    assert entries["en-CA"]["textVersion"] == 2


# --- choosing what a translation follows ---------------------------------------------------


@pytest.mark.parametrize(
    ("translation", "field"),
    [
        pytest.param(en(sourceVersion=2), "sourceVersion", id="version-ahead-of-the-source"),
        pytest.param(en(sourceVersion=0), "sourceVersion", id="version-zero"),
        pytest.param(en(sourceLocale="en-CA"), "sourceLocale", id="follows-itself"),
        pytest.param(fr(sourceVersion=1), "sourceVersion", id="source-given-a-version"),
        pytest.param(fr(sourceLocale="en-CA"), "sourceLocale", id="source-given-a-source"),
    ],
)
async def test_an_impossible_source_is_refused_and_nothing_is_written(
    editor, translated, translation, field
) -> None:
    before = await locales_of(editor, translated["id"])

    errors = await refused(
        editor,
        UPSERT,
        id=translated["id"],
        v=translated["version"],
        input={**translation, "title": "Jamais écrit"},
    )

    assert errors == [(field, "INVALID")]
    after = (await editor.data(LOCALES, id=translated["id"]))["post"]
    assert after["version"] == translated["version"]
    assert {entry["locale"]: entry for entry in after["locales"]} == before


async def test_following_a_translation_the_post_lacks_is_refused(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr()]})

    errors = await refused(editor, UPSERT, id=post["id"], v=1, input=en(sourceLocale="es-MX"))

    assert errors == [("sourceLocale", "INVALID")]


async def test_a_new_post_checks_the_sources_it_is_given(editor) -> None:
    errors = await refused(editor, CREATE, input={"translations": [fr(), en(sourceVersion=2)]})

    assert errors == [("sourceVersion", "INVALID")]
    assert (await editor.data("{ posts(preview: true) { totalCount } }"))["posts"] == {
        "totalCount": 0
    }


@pytest.fixture
async def trilingual(settings) -> AsyncIterator[Caller]:
    """An editor of a site written in French, English and Spanish."""
    site = dataclasses.replace(
        settings,
        locales=("fr-CA", "en-CA", "es-MX"),
        fallbacks={"fr-CA": (), "en-CA": ("fr-CA",), "es-MX": ("en-CA", "fr-CA")},
    )
    transport = httpx.ASGITransport(app=create_app(site, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield await caller(http, Role.EDITOR)


def es(title: str = "Networking: el arte del seguimiento", **fields: object) -> dict:
    return {"locale": "es-MX", "title": title, **fields}


async def test_a_translation_may_follow_another_than_the_source(trilingual) -> None:
    editor = trilingual
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})
    post = await save(editor, post, es(sourceLocale="en-CA"))
    assert list(await states(editor, post["id"])) == ["fr-CA", "en-CA", "es-MX"]

    # The French text changes: the English is behind; the Spanish, made from the English, is not.
    post = await save(editor, post, fr(body="## Revu"))
    assert await states(editor, post["id"]) == {
        "fr-CA": "DRAFT",
        "en-CA": "OUTDATED",
        "es-MX": "DRAFT",
    }

    # The English catches up: now the Spanish is behind, and stays made from the English.
    post = await save(editor, post, en(body="## Reviewed", sourceVersion=2))
    post = await save(editor, post, es(body="## Un detalle"))
    entries = await locales_of(editor, post["id"])
    assert (entries["en-CA"]["state"], entries["es-MX"]["state"]) == ("DRAFT", "OUTDATED")
    assert (entries["es-MX"]["sourceLocale"], entries["es-MX"]["sourceVersion"]) == ("en-CA", 1)
    assert await listed(editor, "es-MX", "OUTDATED") == [post["id"]]


async def test_what_followed_a_deleted_translation_follows_the_source(trilingual) -> None:
    editor = trilingual
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})
    post = await save(editor, post, es(sourceLocale="en-CA"))
    post = await save(editor, post, fr(body="## Revu"))

    post = await ok(editor, DELETE_TRANSLATION, id=post["id"], v=post["version"], locale="en-CA")

    spanish = (await locales_of(editor, post["id"]))["es-MX"]
    assert (spanish["sourceLocale"], spanish["sourceVersion"], spanish["state"]) == (
        "fr-CA",
        2,
        "DRAFT",
    )


# --- revisions and deleted translations -----------------------------------------------------


async def test_revisions_record_versions_and_sources(editor, translated) -> None:
    await save(editor, translated, fr(body="## Revu"))

    revisions = (await editor.data(REVISIONS, id=translated["id"], preview=True))["post"]
    latest = (
        await editor.data(
            "query($id: ID!) { post(id: $id, preview: true) { revisions(first: 1) { snapshot } } }",
            id=translated["id"],
        )
    )["post"]["revisions"][0]["snapshot"]
    assert revisions["revisions"][0]["action"] == "translate"
    assert latest["source_locale"] == "fr-CA"
    by_locale = {t["locale"]: t for t in latest["translations"]}
    assert (by_locale["fr-CA"]["text_version"], by_locale["fr-CA"]["source_locale"]) == (2, None)
    assert (by_locale["en-CA"]["source_locale"], by_locale["en-CA"]["source_version"]) == (
        "fr-CA",
        1,
    )


async def revision_at(who, post_id: str, version: int) -> str:
    revisions = (await who.data(REVISIONS, id=post_id, preview=True))["post"]["revisions"]
    return next(r["id"] for r in revisions if r["version"] == version)


async def test_restoring_a_revision_restores_how_up_to_date_each_translation_was(
    editor, translated
) -> None:
    up_to_date = translated["version"]
    post = await save(editor, translated, fr(body="## Revu"))
    assert (await states(editor, post["id"]))["en-CA"] == "OUTDATED"

    post = await ok(
        editor,
        RESTORE_REVISION,
        id=post["id"],
        revision=await revision_at(editor, post["id"], up_to_date),
        v=post["version"],
    )

    entries = await locales_of(editor, post["id"])
    # The French text is back to what the English was written from: a new text version,
    # which the restored English follows.
    assert entries["fr-CA"]["textVersion"] == 3
    assert (entries["en-CA"]["state"], entries["en-CA"]["sourceVersion"]) == ("PUBLISHED", 3)


async def test_restoring_a_revision_where_a_translation_lagged_keeps_it_outdated(
    editor, translated
) -> None:
    post = await save(editor, translated, fr(body="## Revu"))
    lagging = post["version"]
    post = await save(editor, post, en(body="## Reviewed", sourceVersion=2))
    assert (await states(editor, post["id"]))["en-CA"] == "PUBLISHED"

    post = await ok(
        editor,
        RESTORE_REVISION,
        id=post["id"],
        revision=await revision_at(editor, post["id"], lagging),
        v=post["version"],
    )

    entries = await locales_of(editor, post["id"])
    assert entries["en-CA"]["state"] == "OUTDATED"
    assert entries["en-CA"]["textVersion"] == 3  # its text went back: a change


async def test_deleting_the_source_makes_another_translation_the_source(editor) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})
    post = await save(editor, post, fr(body="## Revu"))

    deleted = await payload_of(
        editor, DELETE_TRANSLATION, id=post["id"], v=post["version"], locale="fr-CA"
    )
    assert deleted["errors"] == []

    data = (await editor.data(LOCALES, id=post["id"], locale="en-CA"))["post"]
    assert data["sourceLocale"] == "en-CA"
    english = {e["locale"]: e for e in data["locales"]}["en-CA"]
    assert (english["isSource"], english["state"], english["sourceLocale"]) == (
        True,
        "DRAFT",
        None,
    )
    post = await save(editor, {"id": post["id"], "version": data["version"]}, fr())
    french = (await locales_of(editor, post["id"]))["fr-CA"]
    assert (french["sourceLocale"], french["sourceVersion"]) == ("en-CA", 1)


# --- reading the states ---------------------------------------------------------------------


async def test_anonymous_readers_cannot_see_the_states(editor, gql, translated) -> None:
    body = await gql(
        "query($id: ID!) { post(id: $id) { title locales { state } } }", id=translated["id"]
    )

    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["post", "locales"]


async def test_readers_are_told_the_source_even_when_they_cannot_read_it(editor, gql) -> None:
    post = await ok(editor, CREATE, input={"translations": [fr(), en()]})
    await ok(editor, PUBLISH, id=post["id"], v=post["version"], locales=["en-CA"])

    data = await gql.data(
        'query($id: ID!) { post(id: $id, locale: "en-CA") { sourceLocale resolvedLocale } }',
        id=post["id"],
    )

    assert data["post"] == {"sourceLocale": "fr-CA", "resolvedLocale": "en-CA"}


async def test_posts_written_without_the_service_report_a_source_too(editor) -> None:
    post = await make_post(locales=("en-CA", "fr-CA"))

    data = (await editor.data(LOCALES, id=str(post.id)))["post"]

    assert data["sourceLocale"] == "fr-CA"
    assert {e["state"] for e in data["locales"]} == {"PUBLISHED"}


async def test_the_states_of_a_page_cost_one_statement_whatever_its_size(
    editor, translated
) -> None:
    query = "{ posts(first: 50) { nodes { id locales { state } } } }"
    with recorded_statements() as small:
        await editor.data(query)
    for _ in range(6):
        await make_post()
    with recorded_statements() as large:
        data = await editor.data(query)
    preview = query.replace("first: 50", "first: 50, preview: true")
    with recorded_statements() as previewed:
        await editor.data(preview)
    without = preview.replace(" locales { state }", "")
    with recorded_statements() as plain:
        await editor.data(without)

    assert len(data["posts"]["nodes"]) == 7
    assert len(large) == len(small), "\n".join(large)
    # A preview already read every translation: the states cost nothing more.
    assert len(previewed) == len(plain), "\n".join(previewed)


# --- the outdated filter ---------------------------------------------------------------------


async def test_the_translation_filter_lists_posts_by_state_page_by_page(editor) -> None:
    outdated = []
    for n in range(3):
        post = await ok(
            editor, CREATE, input={"translations": [fr(f"Billet {n}"), en(f"Post {n}")]}
        )
        post = await ok(editor, PUBLISH, id=post["id"], v=post["version"])
        await save(editor, post, fr(f"Billet {n}", body="## Revu"))
        outdated.append(post["id"])
    current = await ok(editor, CREATE, input={"translations": [fr("À jour"), en("Current")]})
    french_only = await ok(editor, CREATE, input={"translations": [fr("Seul")]})

    first = await editor.data(FILTERED, t={"locale": "en-CA", "state": "OUTDATED"}, first=2)
    page = first["posts"]
    rest = await editor.data(
        FILTERED,
        t={"locale": "en-CA", "state": "OUTDATED"},
        first=2,
        after=page["pageInfo"]["endCursor"],
    )

    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    found = [n["id"] for n in page["nodes"]] + [n["id"] for n in rest["posts"]["nodes"]]
    assert found == outdated[::-1]
    assert rest["posts"]["pageInfo"]["hasNextPage"] is False
    assert await listed(editor, "en-CA", "MISSING") == [french_only["id"]]
    assert await listed(editor, "en-CA", "DRAFT") == [current["id"]]
    assert await listed(editor, "en-CA", "PUBLISHED") == []
    assert await listed(editor, "fr-CA", "OUTDATED") == []
    assert sorted(await listed(editor, "en-CA", None)) == sorted([*outdated, current["id"]])
    assert sorted(await listed(editor, "fr-CA", "PUBLISHED")) == sorted(outdated)


async def test_in_public_lists_the_filter_only_narrows_what_readers_see(
    editor, gql, translated
) -> None:
    await save(editor, translated, fr(body="## Revu"))
    draft_only = await ok(editor, CREATE, input={"translations": [fr("Brouillon"), en("Draft")]})
    english_draft = await ok(editor, CREATE, input={"translations": [fr("Publié seul")]})
    english_draft = await ok(editor, PUBLISH, id=english_draft["id"], v=english_draft["version"])
    await save(editor, english_draft, en("Not yet"))

    public = {"preview": False}
    assert await listed(gql, "en-CA", "OUTDATED", **public) == [translated["id"]]
    assert await listed(gql, "en-CA", "DRAFT", **public) == []
    # A translation readers cannot see is missing to them.
    assert await listed(gql, "en-CA", "MISSING", **public) == [english_draft["id"]]
    assert draft_only["id"] not in await listed(gql, "fr-CA", None, **public)


async def test_an_unknown_locale_is_bad_input(editor) -> None:
    body = await editor(FILTERED, t={"locale": "de-DE", "state": "MISSING"})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "translation"


async def test_a_payload_reports_the_new_text_version(editor, translated) -> None:
    payload = await payload_of(
        editor,
        "mutation($id: ID!, $v: Int!, $input: TranslationInput!) {"
        " upsertTranslation(postId: $id, expectedVersion: $v, input: $input) {"
        " post { textVersion locales { locale state } } errors { code } } }",
        id=translated["id"],
        v=translated["version"],
        input=fr(body="## Revu"),
    )

    assert payload["post"]["textVersion"] == 2
    assert {e["locale"]: e["state"] for e in payload["post"]["locales"]} == {
        "fr-CA": "PUBLISHED",
        "en-CA": "OUTDATED",
    }
