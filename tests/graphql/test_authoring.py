"""Writing posts through the API, as editors, authors and readers see it over HTTP.

Every post here is written with the mutations themselves, by callers holding real tokens
(see tests.auth); what a mutation did is checked the way a client would check it: through its
payload, a preview query, or what an anonymous reader (``gql``) is shown.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import graphql
import pytest
from tortoise import connections

from cms.graphql.schema import sdl
from cms.models import PostStatus, Revision, Role, TokenScope
from cms.services import scheduling
from tests.auth import Caller, caller
from tests.factories import make_author, make_category, make_post, make_tag

ERRORS = "errors { field code currentVersion }"
PAYLOAD = f"""
  post {{
    id status version title slug resolvedLocale translationStatus publishAt author {{ id }}
  }}
  {ERRORS}
"""
CREATE = f"""
mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ {PAYLOAD} }} }}
"""
UPDATE = f"""
mutation($id: ID!, $v: Int!, $input: UpdatePostInput!) {{
  updatePost(id: $id, expectedVersion: $v, input: $input) {{ {PAYLOAD} }}
}}
"""
UPSERT = f"""
mutation($id: ID!, $v: Int!, $input: TranslationInput!) {{
  upsertTranslation(postId: $id, expectedVersion: $v, input: $input) {{ {PAYLOAD} }}
}}
"""
DELETE_TRANSLATION = f"""
mutation($id: ID!, $v: Int!, $locale: String!) {{
  deleteTranslation(postId: $id, expectedVersion: $v, locale: $locale) {{ {PAYLOAD} }}
}}
"""
PUBLISH = f"""
mutation($id: ID!, $v: Int!, $locales: [String!]) {{
  publishPost(id: $id, expectedVersion: $v, locales: $locales) {{ {PAYLOAD} }}
}}
"""
UNPUBLISH = f"""
mutation($id: ID!, $v: Int!, $locales: [String!]) {{
  unpublishPost(id: $id, expectedVersion: $v, locales: $locales) {{ {PAYLOAD} }}
}}
"""
SCHEDULE = f"""
mutation($id: ID!, $v: Int!, $publishAt: DateTime, $unpublishAt: DateTime) {{
  schedulePost(id: $id, expectedVersion: $v, publishAt: $publishAt, unpublishAt: $unpublishAt) {{
    {PAYLOAD}
  }}
}}
"""
ARCHIVE = f"""
mutation($id: ID!, $v: Int!) {{ archivePost(id: $id, expectedVersion: $v) {{ {PAYLOAD} }} }}
"""
TRASH = f"""
mutation($id: ID!, $v: Int!) {{ deletePost(id: $id, expectedVersion: $v) {{ {PAYLOAD} }} }}
"""
RESTORE = f"mutation($id: ID!) {{ restorePost(id: $id) {{ {PAYLOAD} }} }}"
PURGE = f"mutation($id: ID!) {{ purgePost(id: $id) {{ {PAYLOAD} }} }}"
RESTORE_REVISION = f"""
mutation($id: ID!, $revision: ID!, $v: Int!) {{
  restoreRevision(postId: $id, revisionId: $revision, expectedVersion: $v) {{ {PAYLOAD} }}
}}
"""

READ = """
query($id: ID!, $locale: String, $preview: Boolean! = false) {
  post(id: $id, locale: $locale, preview: $preview) {
    id status version title slug resolvedLocale isFallback translationStatus
    body { markdown html }
  }
}
"""
LIST = """
query($locale: String, $preview: Boolean! = false) {
  posts(locale: $locale, preview: $preview) { totalCount nodes { id } }
}
"""
REVISIONS = """
query($id: ID!, $preview: Boolean! = false) {
  post(id: $id, preview: $preview) { revisions { id version action accountId } }
}
"""

TITLE = "Réseautage : l’art du suivi"
SLUG = "reseautage-lart-du-suivi"


def fr(title: str = TITLE, **fields: object) -> dict:
    return {"locale": "fr-CA", "title": title, **fields}


def en(title: str = "Networking: the art of following up", **fields: object) -> dict:
    return {"locale": "en-CA", "title": title, **fields}


def later(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


async def payload_of(who, mutation: str, **variables: object) -> dict:
    """The payload of a mutation (the one field of its ``data``)."""
    data = await who.data(mutation, **variables)
    (payload,) = data.values()
    return payload


async def ok(who, mutation: str, **variables: object) -> dict:
    """The post a mutation returns, which must have succeeded."""
    payload = await payload_of(who, mutation, **variables)
    assert payload["errors"] == [], payload["errors"]
    return payload["post"]


async def refused(who, mutation: str, **variables: object) -> list[tuple[str | None, str]]:
    """The ``(field, code)`` of each error of a mutation that must have failed."""
    payload = await payload_of(who, mutation, **variables)
    assert payload["post"] is None
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def draft(who: Caller, *translations: dict, **fields: object) -> dict:
    return await ok(who, CREATE, input={"translations": list(translations or [fr()]), **fields})


async def seen(who, post_id: str, locale: str | None = None, *, preview: bool = False):
    """The post as ``who`` is shown it, or None."""
    return (await who.data(READ, id=post_id, locale=locale, preview=preview))["post"]


async def listed(who, locale: str | None = None, *, preview: bool = False) -> list[str]:
    data = await who.data(LIST, locale=locale, preview=preview)
    assert data["posts"]["totalCount"] == len(data["posts"]["nodes"])
    return [node["id"] for node in data["posts"]["nodes"]]


async def history(who, post_id: str) -> list[tuple[int, str]]:
    data = await who.data(REVISIONS, id=post_id, preview=True)
    return [(r["version"], r["action"]) for r in data["post"]["revisions"]]


async def row_counts() -> dict[str, int]:
    conn = connections.get("default")
    tables = ("post", "post_translation", "post_tag", "revision")
    return {
        table: (await conn.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table}"'))[0]["n"]
        for table in tables
    }


def forbidden(body: dict) -> bool:
    """Whether a query was refused with a FORBIDDEN GraphQL error (not a payload error)."""
    return [e["extensions"]["code"] for e in body.get("errors", [])] == ["FORBIDDEN"]


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


@pytest.fixture
async def author(client) -> Caller:
    return await caller(client, Role.AUTHOR, author=await make_author())


# --- createPost ----------------------------------------------------------------------------


async def test_create_post_makes_a_draft_at_version_1(editor) -> None:
    post = await draft(editor, fr(), en())

    assert (post["status"], post["version"], post["translationStatus"]) == ("DRAFT", 1, "DRAFT")
    assert post["title"] == TITLE
    assert post["slug"] == SLUG
    english = await seen(editor, post["id"], "en-CA", preview=True)
    assert english["resolvedLocale"] == "en-CA"
    assert english["translationStatus"] == "DRAFT"
    assert english["slug"] == "networking-the-art-of-following-up"


async def test_a_generated_slug_that_is_taken_gets_a_number(editor) -> None:
    slugs = [(await draft(editor, fr()))["slug"] for _ in range(3)]

    assert slugs == [SLUG, f"{SLUG}-2", f"{SLUG}-3"]


async def test_anonymous_readers_do_not_see_a_new_draft(editor, gql) -> None:
    post = await draft(editor, fr(), en())

    assert await listed(editor, preview=True) == [post["id"]]
    for locale in ("fr-CA", "en-CA"):
        assert await listed(gql, locale) == []
        assert await seen(gql, post["id"], locale) is None


@dataclass
class Existing:
    """What the refused creations collide with."""

    category: str
    tag: str


@pytest.fixture
async def existing(editor) -> Existing:
    category, tag = await make_category(), await make_tag()
    await make_post(
        translations={"fr-CA": {"title": "Pris", "slug": "deja-pris"}},
        category=category,
        series_number=1,
    )
    trashed = await draft(editor, fr("Jeté", slug="a-la-corbeille"))
    await ok(editor, TRASH, id=trashed["id"], v=trashed["version"])
    return Existing(category=str(category.id), tag=str(tag.id))


@pytest.mark.parametrize(
    ("make_input", "error"),
    [
        pytest.param(
            lambda e: {"translations": [fr(slug="deja-pris")]},
            ("slug", "SLUG_TAKEN"),
            id="explicit-slug-taken",
        ),
        pytest.param(
            lambda e: {"translations": [fr(slug="a-la-corbeille")]},
            ("slug", "SLUG_TAKEN"),
            id="explicit-slug-of-a-trashed-post",
        ),
        pytest.param(
            lambda e: {"translations": [fr(slug="Pas un slug!")]},
            ("slug", "INVALID"),
            id="invalid-explicit-slug",
        ),
        pytest.param(
            lambda e: {"translations": [fr(), {"locale": "de-DE", "title": "Vernetzung"}]},
            ("locale", "INVALID"),
            id="unknown-locale",
        ),
        pytest.param(
            lambda e: {"translations": [fr(), fr("Encore")]},
            ("translations", "INVALID"),
            id="duplicate-locale",
        ),
        pytest.param(
            lambda e: {"translations": [fr()], "categoryId": e.category, "seriesNumber": 1},
            ("seriesNumber", "CONFLICT"),
            id="series-number-taken-in-the-category",
        ),
        pytest.param(
            lambda e: {"translations": [fr()], "categoryId": "999999"},
            ("categoryId", "NOT_FOUND"),
            id="unknown-category",
        ),
        pytest.param(
            lambda e: {"translations": [fr()], "tagIds": [e.tag, "999999"]},
            ("tagIds", "NOT_FOUND"),
            id="unknown-tag",
        ),
    ],
)
async def test_a_refused_creation_writes_nothing(editor, existing, make_input, error) -> None:
    before = await row_counts()

    assert await refused(editor, CREATE, input=make_input(existing)) == [error]

    assert await row_counts() == before


async def race(who: Caller, inputs: list[dict]) -> list[dict]:
    """Send createPost with each input at once, over a pool warmed to as many connections."""
    await asyncio.gather(*(listed(who, preview=True) for _ in inputs))
    return await asyncio.gather(*(who(CREATE, input=i) for i in inputs))


async def test_concurrent_posts_with_the_same_title_get_distinct_slugs(editor) -> None:
    bodies = await race(editor, [{"translations": [fr()]}] * 4)

    payloads = [body["data"]["createPost"] for body in bodies]
    assert [p["errors"] for p in payloads] == [[]] * 4
    assert sorted(p["post"]["slug"] for p in payloads) == [
        SLUG,
        *(f"{SLUG}-{n}" for n in (2, 3, 4)),
    ]


async def test_concurrent_posts_with_the_same_series_number_conflict_cleanly(editor) -> None:
    category = str((await make_category()).id)
    inputs = [
        {"translations": [fr(f"Numéro un, essai {n}")], "categoryId": category, "seriesNumber": 1}
        for n in range(4)
    ]

    bodies = await race(editor, inputs)

    assert [body.get("errors") for body in bodies] == [None] * 4
    errors = sorted((body["data"]["createPost"]["errors"] for body in bodies), key=len)
    conflict = [{"field": "seriesNumber", "code": "CONFLICT", "currentVersion": None}]
    assert errors == [[], conflict, conflict, conflict]


# --- upsertTranslation ---------------------------------------------------------------------


async def test_upsert_translation_adds_a_draft_translation_and_bumps_the_version(
    editor, gql
) -> None:
    post = await draft(editor, fr())
    await ok(editor, PUBLISH, id=post["id"], v=1)

    english = await ok(editor, UPSERT, id=post["id"], v=2, input=en())

    assert english["version"] == 3
    assert (english["resolvedLocale"], english["translationStatus"]) == ("en-CA", "DRAFT")
    assert english["status"] == "PUBLISHED"
    shown = await seen(gql, post["id"], "en-CA")
    assert (shown["resolvedLocale"], shown["isFallback"]) == ("fr-CA", True)


async def test_upsert_translation_changes_a_translation_keeping_its_state(editor, gql) -> None:
    post = await draft(editor, fr())
    await ok(editor, PUBLISH, id=post["id"], v=1)

    changed = await ok(editor, UPSERT, id=post["id"], v=2, input=fr("Nouveau titre"))

    assert (changed["version"], changed["translationStatus"]) == (3, "PUBLISHED")
    assert (await seen(gql, post["id"], "fr-CA"))["title"] == "Nouveau titre"


async def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(editor) -> None:
    post = await draft(editor, fr(body="Premier jet."))
    await ok(editor, UPSERT, id=post["id"], v=1, input=fr("Deuxième", body="Deuxième jet."))

    errors = (await payload_of(editor, UPSERT, id=post["id"], v=1, input=fr("Perdu", body="X")))[
        "errors"
    ]

    assert errors == [{"field": "expectedVersion", "code": "VERSION_CONFLICT", "currentVersion": 2}]
    shown = await seen(editor, post["id"], preview=True)
    assert (shown["version"], shown["title"]) == (2, "Deuxième")
    assert shown["body"]["markdown"] == "Deuxième jet."


BODY = """## Suivi du contact

Écrivez <script>alert("x")</script> le lendemain.

<p onclick="steal()">Cliquez</p>

Un <a href="javascript:alert(2)" onmouseover="steal()">lien piégé</a>
et <img src="x.png" onerror="steal()">.
"""


async def test_the_markdown_is_kept_as_written_and_the_html_is_sanitized(editor) -> None:
    post = await draft(editor, fr())

    await ok(editor, UPSERT, id=post["id"], v=1, input=fr(body=BODY))

    body = (await seen(editor, post["id"], preview=True))["body"]
    assert body["markdown"] == BODY
    html = body["html"]
    assert '<h2 id="suivi-du-contact">Suivi du contact</h2>' in html
    assert "Cliquez" in html and "lien piégé" in html and '<img src="x.png">' in html
    for unsafe in ("<script", "alert", "onclick", "onmouseover", "onerror", "javascript:"):
        assert unsafe not in html


# --- publishing ----------------------------------------------------------------------------


async def test_publish_post_publishes_every_translation(editor, gql) -> None:
    post = await draft(editor, fr(), en())

    published = await ok(editor, PUBLISH, id=post["id"], v=1)

    assert (published["status"], published["translationStatus"]) == ("PUBLISHED", "PUBLISHED")
    for locale in ("fr-CA", "en-CA"):
        shown = await seen(gql, post["id"], locale)
        assert (shown["resolvedLocale"], shown["isFallback"]) == (locale, False)
        assert await listed(gql, locale) == [post["id"]]


async def test_publishing_one_locale_leaves_the_others_drafts(editor, gql) -> None:
    post = await draft(editor, fr(), en())

    await ok(editor, PUBLISH, id=post["id"], v=1, locales=["fr-CA"])

    shown = await seen(gql, post["id"], "en-CA")
    assert (shown["resolvedLocale"], shown["isFallback"], shown["title"]) == ("fr-CA", True, TITLE)
    previewed = await seen(editor, post["id"], "en-CA", preview=True)
    assert (previewed["resolvedLocale"], previewed["translationStatus"]) == ("en-CA", "DRAFT")


async def test_unpublishing_one_locale_takes_only_that_translation_back(editor, gql) -> None:
    post = await draft(editor, fr(), en())
    await ok(editor, PUBLISH, id=post["id"], v=1)

    after = await ok(editor, UNPUBLISH, id=post["id"], v=2, locales=["en-CA"])

    assert after["status"] == "PUBLISHED"
    assert (await seen(gql, post["id"], "fr-CA"))["isFallback"] is False
    english = await seen(gql, post["id"], "en-CA")
    assert (english["resolvedLocale"], english["isFallback"]) == ("fr-CA", True)


async def test_unpublishing_the_post_makes_it_a_draft_again(editor, gql) -> None:
    post = await draft(editor, fr(), en())
    await ok(editor, PUBLISH, id=post["id"], v=1)

    after = await ok(editor, UNPUBLISH, id=post["id"], v=2)

    assert after["status"] == "DRAFT"
    assert await seen(gql, post["id"]) is None
    assert await listed(gql) == []


@pytest.mark.parametrize(
    ("times", "error"),
    [
        pytest.param({"publishAt": later(hours=-1)}, ("publishAt", "INVALID"), id="past"),
        pytest.param(
            {"publishAt": later(days=2), "unpublishAt": later(days=1)},
            ("unpublishAt", "INVALID"),
            id="down-before-up",
        ),
    ],
)
async def test_an_impossible_schedule_is_refused(editor, times, error) -> None:
    post = await draft(editor, fr())

    assert await refused(editor, SCHEDULE, id=post["id"], v=1, **times) == [error]

    shown = await seen(editor, post["id"], preview=True)
    assert (shown["status"], shown["version"]) == ("DRAFT", 1)


async def test_a_scheduled_post_waits_hidden(editor, gql) -> None:
    post = await draft(editor, fr())
    when = datetime.now(UTC) + timedelta(days=1)

    scheduled = await ok(editor, SCHEDULE, id=post["id"], v=1, publishAt=when.isoformat())

    assert scheduled["status"] == "SCHEDULED"
    assert datetime.fromisoformat(scheduled["publishAt"]) == when
    assert await seen(gql, post["id"]) is None
    assert await listed(gql) == []


async def test_a_schedule_given_in_another_time_zone_waits_for_its_instant(editor, gql) -> None:
    post = await draft(editor, fr())
    montreal = timezone(timedelta(hours=-5))
    when = (datetime.now(UTC) + timedelta(hours=1)).astimezone(montreal)
    await ok(editor, SCHEDULE, id=post["id"], v=1, publishAt=when.isoformat())

    assert await scheduling.publish_due() == []
    due = (when + timedelta(seconds=1)).astimezone(UTC)
    assert await scheduling.publish_due(due) == [int(post["id"])]
    assert await listed(gql) == [post["id"]]


# --- archive, trash, purge -----------------------------------------------------------------


async def _published(editor: Caller) -> dict:
    post = await draft(editor, fr(slug="publie"))
    return await ok(editor, PUBLISH, id=post["id"], v=1)


async def test_archiving_takes_a_post_down(editor, gql) -> None:
    post = await _published(editor)

    archived = await ok(editor, ARCHIVE, id=post["id"], v=post["version"])

    assert archived["status"] == "ARCHIVED"
    assert await seen(gql, post["id"]) is None
    assert await listed(gql) == []


async def test_the_trash_hides_a_post_keeps_its_slug_and_gives_it_back(editor, gql) -> None:
    post = await _published(editor)

    assert (await payload_of(editor, TRASH, id=post["id"], v=post["version"]))["errors"] == []

    assert await listed(editor, preview=True) == []
    # Those who may restore it still open it by id (see test_admin_post_list).
    assert (await seen(editor, post["id"], preview=True))["id"] == post["id"]
    assert await seen(gql, post["id"]) is None
    assert await refused(editor, CREATE, input={"translations": [fr(slug="publie")]}) == [
        ("slug", "SLUG_TAKEN")
    ]

    restored = await ok(editor, RESTORE, id=post["id"])

    assert (restored["status"], restored["slug"]) == ("PUBLISHED", "publie")
    assert await listed(gql) == [post["id"]]


async def test_only_a_trashed_post_can_be_purged(editor, gql) -> None:
    post = await _published(editor)

    assert await refused(editor, PURGE, id=post["id"]) == [("id", "NOT_FOUND")]

    assert await listed(gql) == [post["id"]]


async def test_purging_removes_the_post_for_good_and_frees_its_slug(editor) -> None:
    post = await _published(editor)
    await ok(editor, TRASH, id=post["id"], v=post["version"])

    assert (await payload_of(editor, PURGE, id=post["id"]))["errors"] == []

    assert await refused(editor, RESTORE, id=post["id"]) == [("id", "NOT_FOUND")]
    assert await Revision.filter(post_id=int(post["id"])).count() == 0
    again = await draft(editor, fr(slug="publie"))
    assert again["slug"] == "publie"


# --- revisions -----------------------------------------------------------------------------


async def test_each_save_adds_a_revision_newest_first(editor) -> None:
    post = await draft(editor, fr())
    await ok(editor, UPSERT, id=post["id"], v=1, input=en())
    await ok(editor, PUBLISH, id=post["id"], v=2)

    data = await editor.data(REVISIONS, id=post["id"])

    revisions = data["post"]["revisions"]
    assert [(r["version"], r["action"]) for r in revisions] == [
        (3, "publish"),
        (2, "translate"),
        (1, "create"),
    ]
    assert {r["accountId"] for r in revisions} == {str(editor.account.id)}


async def test_a_revision_names_who_made_it(editor) -> None:
    post = await draft(editor, fr())

    data = await editor.data(
        "query($id: ID!) { post(id: $id, preview: true) { revisions { accountName } } }",
        id=post["id"],
    )

    assert data["post"]["revisions"] == [{"accountName": editor.account.display_name}]


async def test_restoring_a_revision_brings_its_content_back_as_a_new_revision(editor) -> None:
    post = await draft(editor, fr("Premier titre"))
    await ok(editor, UPSERT, id=post["id"], v=1, input=fr("Second titre"))
    *_, first = (await editor.data(REVISIONS, id=post["id"], preview=True))["post"]["revisions"]
    assert first["version"] == 1

    restored = await ok(editor, RESTORE_REVISION, id=post["id"], revision=first["id"], v=2)

    assert (restored["title"], restored["version"]) == ("Premier titre", 3)
    assert await history(editor, post["id"]) == [
        (3, "restore_revision"),
        (2, "translate"),
        (1, "create"),
    ]


@pytest.mark.parametrize("who", ["author", "preview-scope editor", "anonymous"])
async def test_revisions_are_for_editors_only(client, editor, author, gql, who) -> None:
    post = await draft(author, fr())
    viewer = {
        "author": author,
        "preview-scope editor": await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW),
        "anonymous": gql,
    }[who]
    if who == "anonymous":
        await ok(editor, PUBLISH, id=post["id"], v=1)

    body = await viewer(REVISIONS, id=post["id"], preview=who != "anonymous")

    assert forbidden(body), body
    assert body["errors"][0]["path"] == ["post", "revisions"]


# --- authors -------------------------------------------------------------------------------


async def test_an_author_writes_and_edits_a_draft_signed_with_their_profile(author) -> None:
    post = await draft(author, fr())

    assert post["author"] == {"id": str(author.account.author_id)}
    changed = await ok(author, UPSERT, id=post["id"], v=1, input=fr("Mieux dit"))
    assert (changed["title"], changed["version"]) == ("Mieux dit", 2)


async def test_an_author_updates_their_draft_without_naming_the_byline(author) -> None:
    post = await draft(author, fr())

    changed = await ok(author, UPDATE, id=post["id"], v=1, input={"seriesNumber": 4})

    assert changed["version"] == 2
    assert changed["author"] == {"id": str(author.account.author_id)}


@pytest.mark.parametrize("change", [{"seriesNumber": 3}, {"categoryId": None}])
async def test_updating_a_missing_post_is_not_found(editor, change) -> None:
    assert await refused(editor, UPDATE, id="999999", v=1, input=change) == [("id", "NOT_FOUND")]


async def test_an_author_cannot_edit_someone_elses_draft(client, editor, author) -> None:
    colleague = await caller(client, Role.AUTHOR, author=await make_author())
    theirs = await draft(colleague, fr("Le leur"))
    editors = await draft(editor, fr("Celui de l’éditeur"))

    for post in (theirs, editors):
        assert await refused(author, UPSERT, id=post["id"], v=1, input=fr("Volé")) == [
            (None, "FORBIDDEN")
        ]
        assert await refused(author, TRASH, id=post["id"], v=1) == [(None, "FORBIDDEN")]
    assert (await seen(editor, theirs["id"], preview=True))["title"] == "Le leur"


async def test_an_author_cannot_edit_their_post_once_published(editor, author) -> None:
    post = await draft(author, fr())
    await ok(editor, PUBLISH, id=post["id"], v=1)

    assert await refused(author, UPSERT, id=post["id"], v=2, input=fr("Après coup")) == [
        (None, "FORBIDDEN")
    ]
    assert (await seen(editor, post["id"], preview=True))["title"] == TITLE


@pytest.mark.parametrize(
    ("mutation", "extra"),
    [
        pytest.param(PUBLISH, {}, id="publish"),
        pytest.param(SCHEDULE, {"publishAt": later(days=1)}, id="schedule"),
        pytest.param(ARCHIVE, {}, id="archive"),
    ],
)
async def test_an_author_cannot_publish(author, mutation, extra) -> None:
    post = await draft(author, fr())

    assert await refused(author, mutation, id=post["id"], v=1, **extra) == [(None, "FORBIDDEN")]

    assert (await seen(author, post["id"], preview=True))["status"] == "DRAFT"


async def test_an_author_cannot_sign_with_another_profile(author) -> None:
    other = await make_author()
    before = await row_counts()

    errors = await refused(author, CREATE, input={"translations": [fr()], "authorId": other.id})

    assert errors == [("authorId", "FORBIDDEN")]
    assert await row_counts() == before


# --- preview -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUTHOR, Role.EDITOR])
async def test_a_writer_previews_drafts(client, editor, role) -> None:
    post = await draft(editor, fr(), en())
    viewer = await caller(client, role)

    assert await listed(viewer, "en-CA", preview=True) == [post["id"]]
    shown = await seen(viewer, post["id"], "en-CA", preview=True)
    assert (shown["title"], shown["translationStatus"]) == (
        "Networking: the art of following up",
        "DRAFT",
    )


@pytest.mark.parametrize("who", ["anonymous", "read-scope editor"])
async def test_preview_is_refused_without_the_right(client, editor, gql, who) -> None:
    post = await draft(editor, fr())
    viewer = gql if who == "anonymous" else await caller(client, Role.EDITOR, scope=TokenScope.READ)

    one = await viewer(READ, id=post["id"], preview=True)
    every = await viewer(LIST, preview=True)

    assert forbidden(one), one
    assert one["data"] == {"post": None}
    assert forbidden(every), every
    assert every["data"] is None


async def test_a_preview_scope_token_previews(client, editor) -> None:
    post = await draft(editor, fr())
    previewer = await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW)

    assert await listed(previewer, preview=True) == [post["id"]]
    assert (await seen(previewer, post["id"], preview=True))["title"] == TITLE


POST_MUTATIONS = {
    "createPost": (CREATE, lambda p: {"input": {"translations": [fr("Autre")]}}),
    "updatePost": (UPDATE, lambda p: {**p.target, "input": {"seriesNumber": 4}}),
    "upsertTranslation": (UPSERT, lambda p: {**p.target, "input": en()}),
    "deleteTranslation": (DELETE_TRANSLATION, lambda p: {**p.target, "locale": "en-CA"}),
    "publishPost": (PUBLISH, lambda p: p.target),
    "unpublishPost": (UNPUBLISH, lambda p: p.target),
    "schedulePost": (SCHEDULE, lambda p: {**p.target, "publishAt": later(days=1)}),
    "archivePost": (ARCHIVE, lambda p: p.target),
    "deletePost": (TRASH, lambda p: p.target),
    "restorePost": (RESTORE, lambda p: {"id": p.trashed}),
    "purgePost": (PURGE, lambda p: {"id": p.trashed}),
    "restoreRevision": (RESTORE_REVISION, lambda p: {**p.target, "revision": p.revision}),
}


@dataclass
class Targets:
    target: dict  # a draft in both locales: {"id": …, "v": its version}
    trashed: str
    revision: str


def test_the_preview_scope_test_covers_every_post_mutation() -> None:
    mutation = graphql.build_schema(sdl()).mutation_type
    assert mutation is not None
    writing_posts = {name for name, f in mutation.fields.items() if str(f.type) == "PostPayload!"}
    assert writing_posts == set(POST_MUTATIONS)


@pytest.mark.parametrize("name", list(POST_MUTATIONS))
async def test_a_preview_scope_token_cannot_write(client, editor, name) -> None:
    post = await draft(editor, fr(), en())
    trashed = await draft(editor, fr("Jeté"))
    await ok(editor, TRASH, id=trashed["id"], v=1)
    revision = await Revision.get(post_id=int(post["id"]), version=1)
    targets = Targets({"id": post["id"], "v": 1}, trashed["id"], str(revision.id))
    previewer = await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW)
    mutation, variables = POST_MUTATIONS[name]
    before = await row_counts()

    assert await refused(previewer, mutation, **variables(targets)) == [(None, "FORBIDDEN")]

    assert await row_counts() == before
    assert (await seen(editor, post["id"], preview=True))["version"] == 1
    assert await listed(editor, preview=True) == [post["id"]]


# --- mass assignment -----------------------------------------------------------------------

ONE_TRANSLATION = '{locale: "fr-CA", title: "Titre"}'


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        (f"createPost(input: {{translations: [{ONE_TRANSLATION}], version: 5}})", "version"),
        (f"createPost(input: {{translations: [{ONE_TRANSLATION}], status: PUBLISHED}})", "status"),
        (f'createPost(input: {{translations: [{ONE_TRANSLATION}], createdBy: "1"}})', "createdBy"),
        (f'createPost(input: {{translations: [{ONE_TRANSLATION}], role: "admin"}})', "role"),
        (
            'createPost(input: {translations: [{locale: "fr-CA", title: "T", status: PUBLISHED}]})',
            "status",
        ),
        ('updatePost(id: "$ID", expectedVersion: 1, input: {version: 5})', "version"),
        ('updatePost(id: "$ID", expectedVersion: 1, input: {status: PUBLISHED})', "status"),
        ('updatePost(id: "$ID", expectedVersion: 1, input: {createdBy: "1"})', "createdBy"),
    ],
)
async def test_inputs_have_no_fields_for_what_the_server_owns(editor, operation, field) -> None:
    post = await draft(editor, fr("Existant"))
    operation = operation.replace("$ID", post["id"])
    before = await row_counts()

    body = await editor(f"mutation {{ {operation} {{ post {{ id }} {ERRORS} }} }}")

    assert body["data"] is None
    assert [f"unknown field '{field}'" in error["message"] for error in body["errors"]] == [True]
    assert await row_counts() == before
    shown = await seen(editor, post["id"], preview=True)
    assert (shown["status"], shown["version"]) == ("DRAFT", 1)


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST"])
async def test_preview_lists_page_through_drafts_and_published_posts(editor, order) -> None:
    published = [await make_post() for _ in range(3)]
    drafts = [await make_post(status=PostStatus.DRAFT) for _ in range(3)]
    query = """
    query($order: PostOrder!, $after: String) {
      posts(preview: true, first: 2, orderBy: $order, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id status }
      }
    }
    """
    seen, after = [], None
    while True:
        page = (await editor.data(query, order=order, after=after))["posts"]
        assert page["totalCount"] == 6
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert sorted(int(n["id"]) for n in seen) == sorted(p.id for p in published + drafts)
    assert {n["status"] for n in seen} == {"PUBLISHED", "DRAFT"}


async def test_one_save_changes_the_post_and_a_translation_together(editor) -> None:
    post = await draft(editor, fr())

    saved = await ok(
        editor,
        UPDATE,
        id=post["id"],
        v=1,
        input={"seriesNumber": 12, "translation": fr("Réseautage : le suivi, revu")},
    )

    assert saved["version"] == 2  # one save, one version
    assert saved["title"] == "Réseautage : le suivi, revu"
    actions = await Revision.filter(post_id=int(post["id"])).order_by("version")
    assert [r.action for r in actions] == ["create", "update"]
    assert actions[-1].snapshot["series_number"] == 12


async def test_a_save_whose_translation_is_refused_changes_nothing(editor) -> None:
    taken = await draft(editor, fr("Déjà pris", slug="deja-pris"))
    post = await draft(editor, fr())

    errors = await refused(
        editor,
        UPDATE,
        id=post["id"],
        v=1,
        input={"seriesNumber": 3, "translation": fr(slug="deja-pris")},
    )

    assert errors == [("slug", "SLUG_TAKEN")]
    unchanged = await seen(editor, post["id"], preview=True)
    assert unchanged["version"] == 1
    assert (await seen(editor, taken["id"], preview=True))["slug"] == "deja-pris"
    assert await Revision.filter(post_id=int(post["id"])).count() == 1
