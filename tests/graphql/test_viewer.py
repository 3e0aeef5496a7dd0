"""Who is calling, and preview links: what the web app asks about its user and their drafts."""

from __future__ import annotations

from dataclasses import replace

import httpx

from cms.app import create_app
from cms.models import PostStatus, Role, TokenScope
from tests.auth import caller, make_account, token_for
from tests.factories import make_post

VIEWER = "{ viewer { id email displayName role authorId permissions signedIn } }"
PREVIEW_LINK = """mutation($id: ID!, $locale: String) {
  createPreviewToken(postId: $id, locale: $locale) { secret previewUrl errors { code } }
}"""


async def test_anonymous_callers_are_nobody(gql) -> None:
    assert await gql.data(VIEWER) == {"viewer": None}


async def test_a_token_s_viewer_has_the_role_s_rights_narrowed_by_the_scope(client) -> None:
    account = await make_account(Role.EDITOR)
    full = await token_for(client, account)
    preview = await token_for(client, account, scope=TokenScope.PREVIEW)

    everything = (await full.data(VIEWER))["viewer"]
    narrowed = (await preview.data(VIEWER))["viewer"]

    assert everything["email"] == account.email
    assert everything["role"] == "EDITOR"
    assert everything["signedIn"] is False
    assert {"PUBLISH", "EDIT_ANY_CONTENT", "CREATE_CONTENT"} <= set(everything["permissions"])
    assert "MANAGE_ACCOUNTS" not in everything["permissions"]
    assert narrowed["permissions"] == ["READ_DRAFTS"]


async def test_a_preview_link_opens_the_draft_on_the_site_in_the_asked_locale(client) -> None:
    author = await caller(client, Role.EDITOR)
    post = await make_post(
        status=PostStatus.DRAFT,
        translations={
            "fr-CA": {"title": "Brouillon", "slug": "brouillon"},
            "en-CA": {"title": "Draft", "slug": "draft"},
        },
    )

    answer = (await author.data(PREVIEW_LINK, id=str(post.id), locale="en-CA"))[
        "createPreviewToken"
    ]

    assert answer["errors"] == []
    assert answer["previewUrl"] == f"http://localhost:3000/en/blog/draft?preview={answer['secret']}"


async def test_the_preview_link_follows_the_configured_preview_route(settings) -> None:
    configured = replace(
        settings, preview_url="https://blog.example/api/preview?token={token}&id={id}&l={locale}"
    )
    app = create_app(configured, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cinq.test"
    ) as http:
        editor = await caller(http, Role.EDITOR)
        post = await make_post(status=PostStatus.DRAFT, locales=("fr-CA",))
        answer = (await editor.data(PREVIEW_LINK, id=str(post.id)))["createPreviewToken"]

    assert answer["previewUrl"] == (
        f"https://blog.example/api/preview?token={answer['secret']}&id={post.id}&l=fr-CA"
    )
