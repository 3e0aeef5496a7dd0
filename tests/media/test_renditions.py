"""Renditions appear in the background, without metadata, and are served as a CDN expects."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Job, JobStatus, Media, Role
from tests.auth import caller
from tests.media.test_uploads import PREFLIGHT, multipart, png

UPLOAD = """
mutation($file: Upload!) { uploadMedia(file: $file) { media { id status } errors { code } } }
"""
DETAILS = """
query($id: ID!) {
  media(id: $id) {
    status width height url placeholder contentType
    srcset(format: WEBP)
    rendition(width: 500, format: WEBP) { url width height format }
  }
}
"""


def jpeg_with_gps(width: int = 700, height: int = 400) -> bytes:
    image = Image.new("RGB", (width, height), (20, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; displayed rotated by 90°
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (45.0, 30.0, 0.0), 3: "W", 4: (73.0, 34.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
async def author(client):
    return await caller(client, Role.AUTHOR)


async def _upload(author, content: bytes, name: str, kind: str) -> dict:
    files = multipart(UPLOAD, {"0": (name, content, kind)}, {"0": "variables.file"})
    response = await author.http.post(
        "/graphql", files=files, headers={**author.headers, **PREFLIGHT}
    )
    return response.json()["data"]["uploadMedia"]["media"]


async def test_renditions_are_made_in_the_background_without_metadata(
    author, settings, client
) -> None:
    original = jpeg_with_gps()
    media = await _upload(author, original, "holiday.jpg", "image/jpeg")
    assert media["status"] == "PROCESSING"  # the upload did not wait for them
    assert await Job.filter(status=JobStatus.PENDING).count() == 1

    worker = build_worker(settings, LocalStorage(settings.media_root))
    assert await worker.run_until_idle() == 1

    details = (await author.data(DETAILS, id=media["id"]))["media"]
    assert details["status"] == "READY"
    assert (details["width"], details["height"]) == (400, 700)  # orientation applied
    red, green, blue = (int(details["placeholder"][i : i + 2], 16) for i in (1, 3, 5))
    assert blue > green > red  # the picture is mostly blue
    widths = [int(part.rsplit(" ", 1)[1][:-1]) for part in details["srcset"].split(", ")]
    assert widths == [320, 400]  # never upscaled: the full size is 400 wide
    assert details["rendition"]["width"] == 400

    served = await client.get(details["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (400, 700)
        assert dict(image.getexif()) == {}  # no GPS, no camera, no orientation left
        assert "exif" not in image.info

    etag = served.headers["etag"]
    assert (await client.get(details["url"], headers={"if-none-match": etag})).status_code == 304
    part = await client.get(details["url"], headers={"range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100

    row = await Media.get(id=int(media["id"]))
    assert (await client.get(f"/media/{row.storage_key}")).status_code == 404  # not public
    assert (await client.get(f"/media/original/{row.id}")).status_code == 401
    mine = await client.get(f"/media/original/{row.id}", headers=author.headers)
    assert mine.status_code == 200 and mine.content == original
    assert mine.headers["cache-control"] == "private, no-store"


async def test_a_pdf_is_public_at_once_as_an_attachment(author, client) -> None:
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    media = await _upload(author, pdf, "programme.pdf", "application/pdf")
    assert media["status"] == "READY"
    details = (await author.data(DETAILS, id=media["id"]))["media"]
    assert details["contentType"] == "application/pdf"
    served = await client.get(details["url"])
    assert served.status_code == 200
    assert served.content == pdf
    assert served.headers["content-disposition"] == "attachment"


async def test_paths_cannot_escape_the_media_root(client) -> None:
    for path in ("/media/renditions/../../etc/passwd", "/media/renditions/%2e%2e/%2e%2e/x.png"):
        assert (await client.get(path)).status_code == 404


async def test_crops_keep_the_focal_point_in_frame(author, settings, client) -> None:
    image = Image.new("RGB", (1000, 400), (0, 0, 255))
    image.paste((255, 0, 0), (700, 0, 1000, 400))  # the subject: a red band on the right
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    files = multipart(
        "mutation($file: Upload!) { uploadMedia(file: $file, focalPoint: {x: 0.85, y: 0.5}) "
        "{ media { id } } }",
        {"0": ("wide.png", buffer.getvalue(), "image/png")},
        {"0": "variables.file"},
    )
    response = await client.post("/graphql", files=files, headers={**author.headers, **PREFLIGHT})
    media_id = response.json()["data"]["uploadMedia"]["media"]["id"]
    worker = build_worker(settings, LocalStorage(settings.media_root))
    await worker.run_until_idle()

    crop_query = (
        "query($id: ID!) { media(id: $id) { rendition(width: 300, aspect: SQUARE) "
        "{ url width height } srcset(aspect: WIDE) } }"
    )
    square = (await author.data(crop_query, id=media_id))["media"]
    assert (square["rendition"]["width"], square["rendition"]["height"]) == (320, 320)
    assert [part.rsplit(" ", 1)[1] for part in square["srcset"].split(", ")] == ["320w", "640w"]
    served = await client.get(square["rendition"]["url"])
    with Image.open(io.BytesIO(served.content)) as crop:
        red, _, blue = crop.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert red > blue  # the 400-pixel square sits on the red subject, not the blue left

    moved = await author.data(
        "mutation($id: ID!) { updateMedia(id: $id, focalPoint: {x: 0.1, y: 0.5}) "
        "{ media { focalPoint { x } } } }",
        id=media_id,
    )
    assert moved["updateMedia"]["media"]["focalPoint"] == {"x": 0.1}
    assert await worker.run_until_idle() == 1
    again = (await author.data(crop_query, id=media_id))["media"]
    served = await client.get(again["rendition"]["url"])
    with Image.open(io.BytesIO(served.content)) as crop:
        red, _, blue = crop.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert blue > red


FAILURE = "query($id: ID!) { media(id: $id) { status failure url } }"
RETRY = "mutation($id: ID!) { retryMedia(id: $id) { media { status failure } errors { code } } }"


async def _exhaust(settings) -> None:
    """Run the renditions job through every attempt, without waiting for its backoff."""
    worker = build_worker(settings, LocalStorage(settings.media_root))
    for _ in range(10):
        await Job.filter(status=JobStatus.PENDING).update(run_at=datetime.now(UTC))
        if not await worker.run_until_idle():
            break


async def test_a_file_whose_renditions_fail_says_why_and_is_retried(author, settings) -> None:
    uploaded = await _upload(author, png(320, 200), "salle.png", "image/png")
    media = await Media.get(id=int(uploaded["id"]))
    original = settings.media_root / media.storage_key
    kept = original.read_bytes()
    original.write_bytes(b"no longer an image")  # the stored original is damaged

    await _exhaust(settings)
    failed = (await author.data(FAILURE, id=uploaded["id"]))["media"]
    assert failed["status"] == "FAILED" and failed["url"] is None
    assert failed["failure"]  # the worker's reason, for the people who can retry

    original.write_bytes(kept)  # repaired
    retried = (await author.data(RETRY, id=uploaded["id"]))["retryMedia"]
    assert retried == {"media": {"status": "PROCESSING", "failure": None}, "errors": []}
    await _exhaust(settings)
    ready = (await author.data(FAILURE, id=uploaded["id"]))["media"]
    assert ready["status"] == "READY" and ready["failure"] is None and ready["url"]

    again = (await author.data(RETRY, id=uploaded["id"]))["retryMedia"]
    assert again["errors"] == [{"code": "INVALID"}]


async def test_formats_and_aspects_are_enums_a_client_can_guess(author, settings) -> None:
    media = await _upload(author, jpeg_with_gps(), "holiday.jpg", "image/jpeg")
    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    found = await author.data(
        "query($id: ID!) { media(id: $id) { jpeg: rendition(width: 100, format: JPEG) { format } "
        "square: rendition(width: 100, aspect: SQUARE) { format width height } } }",
        id=media["id"],
    )
    assert found["media"]["jpeg"] == {"format": "JPEG"}
    assert found["media"]["square"] == {"format": "WEBP", "width": 320, "height": 320}
    # The string a client might try is refused before anything runs, with a code and the
    # values it may use.
    refused = await author('query($id: ID!) { media(id: $id) { srcset(format: "webp") } }', id="1")
    (error,) = refused["errors"]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "ImageFormat" in error["message"]
