"""A live preview of Markdown is exactly the body readers get once it is saved."""

from __future__ import annotations

import pytest

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Post, Role, TokenScope
from cms.services.post_writing import MAX_BODY
from tests.auth import Caller, caller
from tests.graphql.test_authoring import CREATE, PUBLISH, fr, ok
from tests.media.test_uploads import PREFLIGHT, multipart, png

PREVIEW = """
query($markdown: String!, $locale: String) {
  previewBody(markdown: $markdown, locale: $locale) {
    markdown html text wordCount readingTime headings { level text anchor }
  }
}
"""
BODY = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale) {
    body { markdown html text wordCount readingTime headings { level text anchor } }
  }
}
"""
UPLOAD = """
mutation($file: Upload!) {
  uploadMedia(file: $file, alt: [{locale: "fr-CA", text: "Un carré rouge"},
                                 {locale: "en-CA", text: "A red square"}]) { media { id } }
}
"""
MARKDOWN = """## Pourquoi réseauter ?

Un **5 à 7** chaque mercredi, [gratuit](https://example.com/5-a-7) et sans façon.

<script>alert("non")</script>

| Ville | Jour |
| --- | --- |
| Montréal | mercredi |

## Pourquoi réseauter ?
"""


@pytest.fixture
async def editor(client) -> Caller:
    return await caller(client, Role.EDITOR)


async def saved_body(editor: Caller, gql, markdown: str, locale: str = "fr-CA") -> dict:
    """The body readers get once ``markdown`` is saved and published."""
    post = await ok(editor, CREATE, input={"translations": [fr(body=markdown)]})
    await ok(editor, PUBLISH, id=post["id"], v=post["version"])
    return (await gql.data(BODY, id=post["id"], locale=locale))["post"]["body"]


async def test_the_preview_is_what_readers_get(editor, gql) -> None:
    preview = (await editor.data(PREVIEW, markdown=MARKDOWN))["previewBody"]

    assert preview == await saved_body(editor, gql, MARKDOWN)
    assert "<script" not in preview["html"]
    assert [h["anchor"] for h in preview["headings"]] == [
        "pourquoi-reseauter",
        "pourquoi-reseauter-2",
    ]


async def test_a_previewed_embed_is_the_picture_readers_get(client, editor, gql, settings) -> None:
    files = multipart(UPLOAD, {"0": ("r.png", png(500, 300), "image/png")}, {"0": "variables.file"})
    response = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = response.json()["data"]["uploadMedia"]["media"]["id"]
    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    markdown = f"Avant ![texte du Markdown](media:{media_id}) après."

    preview = (await editor.data(PREVIEW, markdown=markdown, locale="en-CA"))["previewBody"]

    assert preview["html"].count("<picture>") == 1
    assert 'alt="A red square"' in preview["html"]
    assert preview == await saved_body(editor, gql, markdown, locale="en-CA")


async def test_previewing_writes_nothing(editor) -> None:
    await editor.data(PREVIEW, markdown=MARKDOWN)

    assert await Post.all().count() == 0


@pytest.mark.parametrize("who", ["anonymous", "preview-scoped token"])
async def test_the_preview_is_for_writers(client, gql, who) -> None:
    viewer = (
        gql if who == "anonymous" else await caller(client, Role.EDITOR, scope=TokenScope.PREVIEW)
    )

    body = await viewer(PREVIEW, markdown="Bonjour")

    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_an_author_previews_too(client) -> None:
    author = await caller(client, Role.AUTHOR)

    preview = (await author.data(PREVIEW, markdown="Bonjour *tout le monde*"))["previewBody"]

    assert preview["html"] == "<p>Bonjour <em>tout le monde</em></p>\n"
    assert (preview["wordCount"], preview["readingTime"]) == (4, 1)


async def test_markdown_over_the_body_limit_is_bad_input(editor) -> None:
    body = await editor(PREVIEW, markdown="a" * (MAX_BODY + 1))

    (error,) = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["field"]) == (
        "BAD_USER_INPUT",
        "markdown",
    )


async def test_an_unknown_locale_is_bad_input(editor) -> None:
    body = await editor(PREVIEW, markdown="Bonjour", locale="de-DE")

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
