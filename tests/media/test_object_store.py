"""Media in an S3-compatible object store (a real SeaweedFS server): the same promises as on
a local disk. Uploads are stored once under their hash, renditions are made from the store,
answers proxied by Cinq keep their ETags, 304s, ranges and immutable caching, originals stay
private, and the bytes go with the last file using them."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json

import httpx
import obstore
import pytest
from PIL import Image

from cms.app import build_worker, create_app
from cms.files.storage import from_settings
from cms.models import Role
from tests.auth import caller
from tests.media.test_renditions import jpeg_with_gps
from tests.media.test_uploads import PREFLIGHT, leftovers

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id sha256 } } }"
DETAILS = """query($id: ID!) {
  media(id: $id) { status url width height srcset rendition(width: 320) { url } }
}"""
DELETE = "mutation($id: ID!) { deleteMedia(id: $id) { deletedId errors { code } } }"


@pytest.fixture
async def in_bucket(settings, object_store):
    """The settings with media in a prefix of the test bucket of their own."""
    location = object_store.new_location()
    return dataclasses.replace(
        settings,
        media_storage=f"s3://{location.bucket}/{location.prefix}",
        s3_endpoint=object_store.endpoint,
        s3_access_key_id=object_store.access_key,
        s3_secret_access_key=object_store.secret_key,
    )


@pytest.fixture
async def http(in_bucket):
    app = create_app(in_bucket, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cinq.test"
    ) as client:
        yield client


async def _stored(object_store, settings) -> list[str]:
    """The keys under the settings' prefix, as the bucket lists them."""
    prefix = settings.media_storage.split("/", 3)[3]
    listed = await obstore.list(object_store.client(), prefix=f"{prefix}/").collect_async()
    return sorted(meta["path"].removeprefix(f"{prefix}/") for meta in listed)


async def _upload(editor, content: bytes, name: str, kind: str) -> dict:
    files = {
        "operations": (None, json.dumps({"query": UPLOAD, "variables": {"file": None}})),
        "map": (None, json.dumps({"0": ["variables.file"]})),
        "0": (name, content, kind),
    }
    response = await editor.http.post(
        "/graphql", files=files, headers={**editor.headers, **PREFLIGHT}
    )
    return response.json()["data"]["uploadMedia"]["media"]


async def test_an_image_is_stored_rendered_and_served_from_the_bucket(
    http, in_bucket, object_store
) -> None:
    editor = await caller(http, Role.EDITOR)
    original = jpeg_with_gps()
    media = await _upload(editor, original, "holiday.jpg", "image/jpeg")
    digest = hashlib.sha256(original).hexdigest()
    assert media["sha256"] == digest
    assert await _stored(object_store, in_bucket) == [f"blobs/{digest[:2]}/{digest}"]
    # Nothing of it stays on the local disk: the media root only lends scratch files.
    assert leftovers(in_bucket.media_root) == []

    worker = build_worker(in_bucket, from_settings(in_bucket))
    assert await worker.run_until_idle() == 1
    details = (await editor.data(DETAILS, id=media["id"]))["media"]
    assert details["status"] == "READY"
    assert (details["width"], details["height"]) == (400, 700)
    stored = await _stored(object_store, in_bucket)
    renditions = [key for key in stored if key.startswith(f"renditions/{digest[:2]}/{digest}/")]
    assert len(renditions) >= 4 and len(stored) == len(renditions) + 1
    # Served by the store itself (a CDN in front of the bucket, CMS_MEDIA_URL), a rendition
    # says what it is and that it never changes; the private original says neither.
    prefix = in_bucket.media_storage.split("/", 3)[3]
    webp = next(key for key in renditions if key.endswith(".webp"))
    attributes = (await obstore.get_async(object_store.client(), f"{prefix}/{webp}")).attributes
    assert attributes["Content-Type"] == "image/webp"
    assert attributes["Cache-Control"] == "public, max-age=31536000, immutable"
    blob = f"{prefix}/blobs/{digest[:2]}/{digest}"
    assert "Cache-Control" not in (await obstore.get_async(object_store.client(), blob)).attributes

    served = await http.get(details["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (400, 700)
        assert dict(image.getexif()) == {}  # no GPS left, in the store either
    etag = served.headers["etag"]
    assert (await http.get(details["url"], headers={"if-none-match": etag})).status_code == 304
    part = await http.get(details["url"], headers={"range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == served.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(served.content)}"

    # The original stays private: through Cinq, with a token that may read it.
    assert (await http.get(f"/media/original/{media['id']}")).status_code == 401
    mine = await http.get(f"/media/original/{media['id']}", headers=editor.headers)
    assert mine.status_code == 200 and mine.content == original
    assert (await http.get(f"/media/blobs/{digest[:2]}/{digest}")).status_code == 404


async def test_bytes_go_with_the_last_file_using_them(http, in_bucket, object_store) -> None:
    editor = await caller(http, Role.EDITOR)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    first = await _upload(editor, pdf, "programme.pdf", "application/pdf")
    second = await _upload(editor, pdf, "programme-copy.pdf", "application/pdf")
    digest = hashlib.sha256(pdf).hexdigest()
    assert await _stored(object_store, in_bucket) == [f"blobs/{digest[:2]}/{digest}"]
    served = await http.get((await editor.data(DETAILS, id=first["id"]))["media"]["url"])
    assert served.content == pdf
    assert served.headers["content-disposition"] == "attachment"

    assert (await editor.data(DELETE, id=first["id"]))["deleteMedia"]["errors"] == []
    assert await _stored(object_store, in_bucket) == [f"blobs/{digest[:2]}/{digest}"]
    assert (await editor.data(DELETE, id=second["id"]))["deleteMedia"]["errors"] == []
    assert await _stored(object_store, in_bucket) == []
