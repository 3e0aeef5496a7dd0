"""Media embedded in Markdown bodies read as pictures with the reader's alternative text."""

from __future__ import annotations

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Role
from tests.auth import caller
from tests.factories import make_post
from tests.media.test_uploads import PREFLIGHT, multipart, png

UPLOAD = """
mutation($file: Upload!) {
  uploadMedia(file: $file, alt: [{locale: "fr-CA", text: "Un carré rouge"},
                                 {locale: "en-CA", text: "A red square"}]) { media { id } }
}
"""
BODY = "query($id: ID!, $locale: String) { post(id: $id, locale: $locale) { body { html } } }"


async def test_embedded_media_become_pictures_once_rendered(client, gql, settings) -> None:
    editor = await caller(client, Role.EDITOR)
    files = multipart(UPLOAD, {"0": ("r.png", png(500, 300), "image/png")}, {"0": "variables.file"})
    response = await client.post("/graphql", files=files, headers={**editor.headers, **PREFLIGHT})
    media_id = response.json()["data"]["uploadMedia"]["media"]["id"]
    body = f"Avant ![texte du Markdown](media:{media_id}) après ![perdu](media:999999)."
    post = await make_post(
        translations={
            "fr-CA": {"title": "Image", "slug": "image", "body": body},
            "en-CA": {"title": "Picture", "slug": "picture", "body": body},
        }
    )

    pending = (await gql.data(BODY, id=str(post.id), locale="en-CA"))["post"]["body"]["html"]
    assert pending == "<p>Avant  après .</p>\n"  # nothing public exists yet

    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    english = (await gql.data(BODY, id=str(post.id), locale="en-CA"))["post"]["body"]["html"]
    french = (await gql.data(BODY, id=str(post.id), locale="fr-CA"))["post"]["body"]["html"]

    assert english.count("<picture>") == 1
    assert '<source type="image/webp" srcset="/media/renditions/' in english
    assert 'alt="A red square"' in english and 'width="500" height="300"' in english
    assert 'alt="Un carré rouge"' in french
    assert "cinq-media" not in english and "999999" not in english
    served = await client.get(english.split('<img src="')[1].split('"')[0])
    assert served.status_code == 200
