"""A post's cover is an uploaded image; media in use cannot be deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from cms.models import Media, Post, PostStatus, PostTranslation, Role, TranslationStatus
from tests.auth import caller
from tests.factories import make_post
from tests.media.test_uploads import PREFLIGHT, multipart, png

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id } } }"


async def test_a_cover_is_set_shown_and_protects_its_media(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    files = multipart(UPLOAD, {"0": ("c.png", png(), "image/png")}, {"0": "variables.file"})
    uploaded = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = uploaded.json()["data"]["uploadMedia"]["media"]["id"]
    post = await make_post(status=PostStatus.PUBLISHED)

    updated = await editor.data(
        "mutation($id: ID!, $cover: ID!) { updatePost(id: $id, expectedVersion: 1, "
        "input: {coverId: $cover}) { post { cover { id width } } errors { code } } }",
        id=str(post.id),
        cover=media_id,
    )
    assert updated["updatePost"]["post"]["cover"] == {"id": media_id, "width": 64}
    public = await gql.data("query($id: ID!) { post(id: $id) { cover { id } } }", id=str(post.id))
    assert public["post"]["cover"] == {"id": media_id}

    refused = await editor.data(
        "mutation($id: ID!) { deleteMedia(id: $id) { deletedId errors { code message } } }",
        id=media_id,
    )
    assert refused["deleteMedia"]["deletedId"] is None
    assert refused["deleteMedia"]["errors"][0]["code"] == "CONFLICT"
    assert await Media.exists(id=int(media_id))

    missing = await editor.data(
        "mutation($id: ID!) { updatePost(id: $id, expectedVersion: 2, "
        'input: {coverId: "999999"}) { errors { field code } } }',
        id=str(post.id),
    )
    assert missing["updatePost"]["errors"] == [{"field": "coverId", "code": "NOT_FOUND"}]


USED_BY = """query($id: ID!) {
  media(id: $id) { usedBy(locale: "en-CA") { postId title asCover inTextOf } }
}"""
DELETE = "mutation($id: ID!) { deleteMedia(id: $id) { deletedId errors { code message } } }"


async def test_media_in_a_post_s_text_is_listed_with_its_post_and_cannot_be_deleted(
    client,
) -> None:
    editor = await caller(client, Role.EDITOR)
    files = multipart(UPLOAD, {"0": ("c.png", png(), "image/png")}, {"0": "variables.file"})
    uploaded = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = uploaded.json()["data"]["uploadMedia"]["media"]["id"]
    post = await make_post(
        status=PostStatus.DRAFT,
        translations={
            "fr-CA": {"title": "La salle", "slug": "la-salle", "body": f"![](media:{media_id})"},
            "en-CA": {"title": "The room", "slug": "the-room", "body": "No picture here."},
        },
    )
    # A body naming another file whose id starts the same is not a use of this one.
    await make_post(
        translations={
            "fr-CA": {"title": "Autre", "slug": "autre", "body": f"![](media:{media_id}0)"}
        }
    )

    used = (await editor.data(USED_BY, id=media_id))["media"]["usedBy"]
    refused = (await editor.data(DELETE, id=media_id))["deleteMedia"]

    assert used == [
        {"postId": str(post.id), "title": "The room", "asCover": False, "inTextOf": ["fr-CA"]}
    ]
    assert refused["deletedId"] is None
    assert refused["errors"] == [
        {
            "code": "CONFLICT",
            "message": "1 post(s), trashed ones included, use it: 0 as their cover, 1 in their "
            "text.",
        }
    ]
    assert await Media.filter(id=int(media_id)).exists()


async def test_what_uses_a_file_is_for_writers_only(client, gql) -> None:
    media = await Media.create(
        original_filename="a.png",
        content_type="image/png",
        size=1,
        sha256="2" * 64,
        storage_key="originals/a.png",
    )

    anonymous = await gql(USED_BY, id=str(media.id))

    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"


ALT_MISSING = "query($id: ID!) { media(id: $id) { altMissingIn } }"


async def test_locales_whose_readers_see_an_image_without_alt_text_are_flagged(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    files = multipart(UPLOAD, {"0": ("c.png", png(), "image/png")}, {"0": "variables.file"})
    uploaded = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = uploaded.json()["data"]["uploadMedia"]["media"]["id"]

    async def missing() -> list[str]:
        return (await editor.data(ALT_MISSING, id=media_id))["media"]["altMissingIn"]

    # Unused, or used by drafts only, no reader sees it: nothing to flag.
    await make_post(
        status=PostStatus.DRAFT,
        translations={
            "en-CA": {"title": "Draft", "slug": "draft", "body": f"![](media:{media_id})"}
        },
    )
    assert await missing() == []
    unpublished = await make_post(
        translations={"en-CA": {"title": "Soon", "slug": "soon", "body": f"![](media:{media_id})"}}
    )
    await PostTranslation.filter(post=unpublished).update(status=TranslationStatus.DRAFT)
    assert await missing() == []

    # Embedded in the English text of a published post: English readers see it.
    await make_post(
        translations={
            "fr-CA": {"title": "La salle", "slug": "la-salle", "body": "Pas d'image."},
            "en-CA": {"title": "The room", "slug": "the-room", "body": f"![](media:{media_id})"},
        }
    )
    assert await missing() == ["en-CA"]

    # As the cover of a published post, every published locale of it shows the image.
    cover = await make_post()
    await Post.filter(id=cover.id).update(cover_id=int(media_id))
    assert await missing() == ["fr-CA", "en-CA"]

    # Written in French, it is missing in English only; a trashed post shows nothing.
    await editor.data(
        'mutation($id: ID!) { updateMedia(id: $id, alt: [{locale: "fr-CA", text: "La salle"}])'
        " { errors { code } } }",
        id=media_id,
    )
    assert await missing() == ["en-CA"]
    await Post.filter(id=cover.id).update(deleted_at=datetime.now(UTC))
    assert await missing() == ["en-CA"]

    anonymous = await gql(ALT_MISSING, id=media_id)
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"
