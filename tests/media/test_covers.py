"""A post's cover is an uploaded image; media in use cannot be deleted."""

from __future__ import annotations

from cms.models import Media, PostStatus, Role
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
