"""``redirect(path:)``: what a frontend asks when a request matches no page of the new site."""

from __future__ import annotations

import json

import pytest

from cms.models import CategoryTranslation, PostStatus, Role
from cms.services import redirects
from tests.auth import caller
from tests.factories import make_category, make_post, make_tag
from tests.sql import recorded_statements

REDIRECT = "query($path: String!) { redirect(path: $path) { path target url status } }"
UPSERT = """
mutation($id: ID!, $v: Int!, $input: TranslationInput!) {
  upsertTranslation(postId: $id, expectedVersion: $v, input: $input) {
    post { slug } errors { code }
  }
}
"""


async def redirect_of(gql, path: str) -> dict | None:
    return (await gql.data(REDIRECT, path=path))["redirect"]


async def reseautage(**kwargs):
    return await make_post(
        translations={
            "fr-CA": {"title": "Réseautage", "slug": "reseautage"},
            "en-CA": {"title": "Networking", "slug": "networking"},
        },
        **kwargs,
    )


async def test_an_old_permalink_leads_to_the_post(gql) -> None:
    post = await reseautage()
    await redirects.add_redirect("/2019/05/14/reseautage/", post_id=post.id, locale="fr-CA")
    await redirects.add_redirect("/en/2019/05/16/networking/", post_id=post.id, locale="en-CA")
    await redirects.add_redirect("/?p=123", post_id=post.id, locale="fr-CA")

    assert await redirect_of(gql, "/2019/05/14/reseautage/") == {
        "path": "/2019/05/14/reseautage",
        "target": "/fr/blogue/reseautage",
        "url": "http://localhost:3000/fr/blogue/reseautage",
        "status": 301,
    }
    english = await redirect_of(gql, "https://old.example/en/2019/05/16/networking")
    assert english is not None and english["url"] == "http://localhost:3000/en/blog/networking"
    short = await redirect_of(gql, "/?p=123&utm_source=infolettre")
    assert short is not None
    assert (short["path"], short["target"]) == ("/?p=123", "/fr/blogue/reseautage")


async def test_categories_tags_and_fixed_targets(gql) -> None:
    category = await make_category({"fr-CA": "Blogue"})
    tag = await make_tag({"en-CA": "Jobs"})
    await redirects.add_redirect("/category/blogue/", category_id=category.id, locale="fr-CA")
    await redirects.add_redirect("/en/tag/jobs/", tag_id=tag.id, locale="en-CA")
    await redirects.add_redirect("/a-propos/", target="/fr/a-propos", status=302)
    await redirects.add_redirect("/boutique/", target="https://boutique.example/")
    await redirects.add_redirect("/concours-2019/", status=410)
    slug = (await CategoryTranslation.get(category_id=category.id)).slug

    category_answer = await redirect_of(gql, "/category/blogue")
    assert category_answer is not None
    assert category_answer["target"] == f"/fr/blogue/categorie/{slug}"
    tag_answer = await redirect_of(gql, "/en/tag/jobs")
    assert tag_answer is not None and tag_answer["target"].startswith("/en/blog/tag/")
    assert await redirect_of(gql, "/a-propos") == {
        "path": "/a-propos",
        "target": "/fr/a-propos",
        "url": "http://localhost:3000/fr/a-propos",
        "status": 302,
    }
    shop = await redirect_of(gql, "/boutique")
    assert shop is not None and shop["url"] == "https://boutique.example/"
    assert await redirect_of(gql, "/concours-2019/") == {
        "path": "/concours-2019",
        "target": "",
        "url": "",
        "status": 410,
    }
    assert await redirect_of(gql, "/jamais-vu") is None


async def test_a_redirect_follows_the_posts_slug(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    post = await reseautage()
    await redirects.add_redirect("/2019/05/14/reseautage/", post_id=post.id, locale="fr-CA")
    before = await redirect_of(gql, "/2019/05/14/reseautage")
    assert before is not None and before["target"] == "/fr/blogue/reseautage"

    data = await editor.data(
        UPSERT,
        id=str(post.id),
        v=post.version,
        input={"locale": "fr-CA", "title": "Réseauter sans gêne"},
    )
    assert data["upsertTranslation"]["errors"] == []

    after = await redirect_of(gql, "/2019/05/14/reseautage")
    assert after is not None
    assert after["target"] == "/fr/blogue/reseauter-sans-gene"
    assert after["url"] == "http://localhost:3000/fr/blogue/reseauter-sans-gene"


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.ARCHIVED])
async def test_a_redirect_to_an_unpublished_post_leads_nowhere(gql, status) -> None:
    post = await reseautage(status=status)
    await redirects.add_redirect("/?p=9", post_id=post.id)

    assert await redirect_of(gql, "/?p=9") is None


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "Give an address"),
        ("/a%00b", "control characters"),
        ("/" + "x" * 1001, "at most 1000 characters"),
        ("/%E9t%E9", "not percent-encoded UTF-8"),
    ],
)
async def test_an_invalid_path_is_bad_user_input(gql, path, message) -> None:
    body = await gql(REDIRECT, path=path)

    assert body["data"] == {"redirect": None}
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "path"}
    assert message in error["message"]
    assert error["path"] == ["redirect"]


async def test_a_nul_in_the_path_is_refused_before_execution(gql) -> None:
    body = await gql(REDIRECT, path="/a\u0000b")
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "NUL" in error["message"]


async def test_the_response_cache_never_serves_a_stale_answer(client, gql) -> None:
    post = await reseautage()
    assert await redirect_of(gql, "/2019/05/14/reseautage") is None
    with recorded_statements() as statements:
        assert await redirect_of(gql, "/2019/05/14/reseautage") is None
    assert statements == []  # the answer was kept

    await redirects.add_redirect("/2019/05/14/reseautage/", post_id=post.id, locale="fr-CA")
    added = await redirect_of(gql, "/2019/05/14/reseautage")
    assert added is not None and added["target"] == "/fr/blogue/reseautage"

    await redirects.add_redirect("/2019/05/14/reseautage", target="/fr/ailleurs", status=302)
    changed = await redirect_of(gql, "/2019/05/14/reseautage")
    assert changed is not None and (changed["target"], changed["status"]) == ("/fr/ailleurs", 302)


async def test_a_frontend_may_ask_over_get_and_let_caches_keep_the_answer(client) -> None:
    await redirects.add_redirect("/a-propos", target="/fr/a-propos")

    response = await client.get(
        "/graphql", params={"query": REDIRECT, "variables": json.dumps({"path": "/a-propos/"})}
    )

    assert response.status_code == 200, response.text
    assert response.json()["data"]["redirect"]["target"] == "/fr/a-propos"
    assert response.headers["cache-control"].startswith("public, max-age=")
