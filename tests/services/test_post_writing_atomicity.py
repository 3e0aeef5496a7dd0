"""No lost updates and no partial writes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest

from cms.models import Post, PostTranslation, Revision, Role, Tag
from cms.services import post_writing
from tests.auth import caller
from tests.factories import make_tag

UPDATE = """
mutation($id: ID!, $v: Int!, $title: String!) {
  upsertTranslation(postId: $id, expectedVersion: $v, input: {locale: "fr-CA", title: $title}) {
    post { version title }
    errors { code currentVersion }
  }
}
"""
CREATE = """
mutation($tags: [ID!]!, $body: String!) {
  createPost(input: {tagIds: $tags, translations: [
    {locale: "fr-CA", title: "Premier", body: "## Un"},
    {locale: "en-CA", title: "Second", body: $body}
  ]}) { post { id } errors { field code message } }
}
"""


async def _counts() -> tuple[int, int, int, int]:
    links = sum([await tag.posts.all().count() for tag in await Tag.all()])
    return (
        await Post.all().count(),
        await PostTranslation.all().count(),
        await Revision.all().count(),
        links,
    )


async def test_of_concurrent_updates_with_one_version_exactly_one_wins(client) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        'mutation { createPost(input: {translations: [{locale: "fr-CA", title: "Départ"}]}) '
        "{ post { id version } } }"
    )
    post = created["createPost"]["post"]

    results = await asyncio.gather(
        *(
            editor.data(UPDATE, id=post["id"], v=post["version"], title=f"Titre {n}")
            for n in range(8)
        )
    )

    payloads = [r["upsertTranslation"] for r in results]
    winners = [p for p in payloads if not p["errors"]]
    losers = [p for p in payloads if p["errors"]]
    assert len(winners) == 1
    assert winners[0]["post"]["version"] == 2
    assert {(e["code"], e["currentVersion"]) for p in losers for e in p["errors"]} == {
        ("VERSION_CONFLICT", 2)
    }
    stored = await PostTranslation.get(post_id=int(post["id"]), locale="fr-CA")
    assert stored.title == winners[0]["post"]["title"]
    assert await Revision.filter(post_id=int(post["id"])).count() == 2


async def test_a_post_failing_on_its_second_translation_leaves_nothing(client) -> None:
    editor = await caller(client, Role.EDITOR)
    tag = await make_tag()
    before = await _counts()

    body = await editor(CREATE, tags=[str(tag.id)], body="x" * (post_writing.MAX_BODY + 1))

    assert body["data"]["createPost"]["post"] is None
    assert body["data"]["createPost"]["errors"][0]["field"] == "body"
    assert await _counts() == before


async def test_a_crash_part_way_through_a_write_leaves_nothing(client, monkeypatch) -> None:
    editor = await caller(client, Role.EDITOR)
    tag = await make_tag()
    before = await _counts()
    calls = 0
    real = post_writing.derived_fields

    def failing_on_second(source: str) -> dict:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return real(source)

    monkeypatch.setattr(post_writing, "derived_fields", failing_on_second)

    body = await editor(CREATE, tags=[str(tag.id)], body="## Deux")

    assert body["errors"][0]["message"] == "Unexpected error."
    assert calls == 2
    assert await _counts() == before


@pytest.mark.parametrize("stale", [0, 2])
async def test_a_stale_version_writes_nothing(client, stale: int) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        'mutation { createPost(input: {translations: [{locale: "fr-CA", title: "Gardé"}]}) '
        "{ post { id } } }"
    )
    post_id = created["createPost"]["post"]["id"]

    result = await editor.data(UPDATE, id=post_id, v=stale, title="Perdu")

    assert result["upsertTranslation"]["errors"] == [
        {"code": "VERSION_CONFLICT", "currentVersion": 1}
    ]
    assert (await PostTranslation.get(post_id=int(post_id))).title == "Gardé"
    assert await Revision.filter(post_id=int(post_id)).count() == 1
