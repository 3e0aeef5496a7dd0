"""Replacing a file keeps its id and everything pointing at it: the posts using it show the
new picture once its renditions are made, and the former bytes go only then."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from PIL import Image

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Media, PostStatus, Role
from tests.auth import caller
from tests.factories import make_post
from tests.media.test_uploads import PREFLIGHT, leftovers, png

UPLOAD = """
mutation($file: Upload!) {
  uploadMedia(file: $file, alt: [{locale: "fr-CA", text: "La terrasse"}],
              focalPoint: {x: 0.2, y: 0.8}) { media { id } errors { code } }
}
"""
REPLACE = """
mutation($id: ID!, $file: Upload!) {
  replaceMedia(id: $id, file: $file) {
    media { id filename contentType size sha256 status width height }
    errors { field code message }
  }
}
"""
DETAILS = """
query($id: ID!) {
  media(id: $id) {
    filename status width height sha256 url altTexts { locale text } focalPoint { x y }
    usedBy { postId asCover }
  }
}
"""
BODY = 'query($id: ID!) { post(id: $id, locale: "fr-CA") { body { html } cover { url } } }'
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
async def editor(client):
    return await caller(client, Role.EDITOR)


async def _send(who, query: str, content: bytes, name: str, kind: str, **variables) -> dict:
    """A multipart request carrying one file as ``$file``, beside ``variables``."""
    files = {
        "operations": (
            None,
            json.dumps({"query": query, "variables": {"file": None, **variables}}),
        ),
        "map": (None, json.dumps({"0": ["variables.file"]})),
        "0": (name, content, kind),
    }
    response = await who.http.post("/graphql", files=files, headers={**who.headers, **PREFLIGHT})
    return response.json()


def _blob(digest: str) -> str:
    return f"blobs/{digest[:2]}/{digest}"


async def test_a_replaced_image_keeps_its_id_and_its_posts_show_the_new_one(
    editor, gql, client, settings
) -> None:
    worker = build_worker(settings, LocalStorage(settings.media_root))
    red, blue = png(64, 48, (200, 30, 30)), png(80, 120, (30, 30, 200))
    media_id = (await _send(editor, UPLOAD, red, "terrasse.png", "image/png"))["data"][
        "uploadMedia"
    ]["media"]["id"]
    await worker.run_until_idle()
    post = await make_post(
        status=PostStatus.PUBLISHED,
        translations={
            "fr-CA": {"title": "Terrasses", "slug": "terrasses", "body": f"![](media:{media_id})"}
        },
        locales=("fr-CA",),
    )
    before = (await editor.data(DETAILS, id=media_id))["media"]
    old_url = before["url"]
    assert (before["width"], before["height"]) == (64, 48)

    answer = await _send(editor, REPLACE, blue, "terrasse-v2.png", "image/png", id=media_id)
    replaced = answer["data"]["replaceMedia"]
    assert replaced["errors"] == []
    assert replaced["media"]["id"] == media_id
    assert replaced["media"]["filename"] == "terrasse-v2.png"
    assert replaced["media"]["sha256"] == hashlib.sha256(blue).hexdigest()
    assert replaced["media"]["status"] == "PROCESSING"
    # Until the new renditions are made, readers still get the former picture.
    assert (await client.get(old_url)).status_code == 200
    assert old_url in (await gql.data(BODY, id=str(post.id)))["post"]["body"]["html"]

    assert await worker.run_until_idle() == 1
    after = (await editor.data(DETAILS, id=media_id))["media"]
    assert after["status"] == "READY"
    assert (after["width"], after["height"]) == (80, 120)
    assert after["altTexts"] == [{"locale": "fr-CA", "text": "La terrasse"}]
    assert after["focalPoint"] == {"x": 0.2, "y": 0.8}
    assert after["usedBy"] == [{"postId": str(post.id), "asCover": False}]
    assert after["url"] != old_url
    html = (await gql.data(BODY, id=str(post.id)))["post"]["body"]["html"]
    assert after["url"] in html and old_url not in html
    served = await client.get(after["url"])
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (80, 120)
        assert image.convert("RGB").getpixel((40, 60))[2] > 150  # blue now
    # The former bytes and their renditions are gone; nothing else was left behind.
    assert (await client.get(old_url)).status_code == 404
    files = leftovers(settings.media_root)
    assert _blob(hashlib.sha256(red).hexdigest()) not in files
    assert _blob(after["sha256"]) in files
    assert not [f for f in files if hashlib.sha256(red).hexdigest() in f]


async def test_bytes_another_file_shares_are_kept(editor, settings) -> None:
    worker = build_worker(settings, LocalStorage(settings.media_root))
    red = png(64, 48, (200, 30, 30))
    first, second = [
        (await _send(editor, UPLOAD, red, name, "image/png"))["data"]["uploadMedia"]["media"]["id"]
        for name in ("a.png", "b.png")
    ]
    await worker.run_until_idle()
    answer = await _send(editor, REPLACE, png(10, 10, (0, 0, 0)), "c.png", "image/png", id=first)
    assert answer["data"]["replaceMedia"]["errors"] == []
    await worker.run_until_idle()
    assert _blob(hashlib.sha256(red).hexdigest()) in leftovers(settings.media_root)
    assert (await editor.data(DETAILS, id=second))["media"]["url"]


async def test_a_pdf_is_replaced_at_once_and_kinds_do_not_mix(editor, client, settings) -> None:
    pdf_id = (await _send(editor, UPLOAD, PDF, "programme.pdf", "application/pdf"))["data"][
        "uploadMedia"
    ]["media"]["id"]
    newer = PDF.replace(b"1.4", b"1.7")
    answer = await _send(editor, REPLACE, newer, "programme-2027.pdf", "application/pdf", id=pdf_id)
    assert answer["data"]["replaceMedia"]["media"]["status"] == "READY"
    served = await client.get((await editor.data(DETAILS, id=pdf_id))["media"]["url"])
    assert served.content == newer
    assert leftovers(settings.media_root) == [_blob(hashlib.sha256(newer).hexdigest())]

    # A PDF is not replaced by an image, nor the other way round; nothing is kept of the try.
    refused = await _send(editor, REPLACE, png(), "photo.png", "image/png", id=pdf_id)
    assert refused["data"]["replaceMedia"] == {
        "media": None,
        "errors": [
            {
                "field": "file",
                "code": "INVALID",
                "message": "Replace an image with an image, and a PDF with a PDF.",
            }
        ],
    }
    assert leftovers(settings.media_root) == [_blob(hashlib.sha256(newer).hexdigest())]
    assert (await Media.get(id=int(pdf_id))).content_type == "application/pdf"

    missing = await _send(editor, REPLACE, PDF, "x.pdf", "application/pdf", id="999999")
    assert missing["data"]["replaceMedia"]["errors"][0]["code"] == "NOT_FOUND"
    assert leftovers(settings.media_root) == [_blob(hashlib.sha256(newer).hexdigest())]


async def test_authors_cannot_replace_a_file(client, editor, settings) -> None:
    author = await caller(client, Role.AUTHOR)
    pdf_id = (await _send(editor, UPLOAD, PDF, "programme.pdf", "application/pdf"))["data"][
        "uploadMedia"
    ]["media"]["id"]
    answer = await _send(author, REPLACE, PDF, "x.pdf", "application/pdf", id=pdf_id)
    assert answer["data"]["replaceMedia"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await Media.get(id=int(pdf_id))).original_filename == "programme.pdf"
    assert leftovers(settings.media_root) == [_blob(hashlib.sha256(PDF).hexdigest())]
