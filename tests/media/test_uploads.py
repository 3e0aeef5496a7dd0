"""Uploads through HTTP multipart: kept whole and once, or refused with nothing left behind."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import httpx
import pytest
from PIL import Image

from cms.app import create_app
from cms.models import Media, Role, TokenScope
from tests.asgi import post_then_leave
from tests.auth import caller

UPLOAD = """
mutation($file: Upload!) {
  uploadMedia(file: $file, alt: [{locale: "fr-CA", text: "Carré rouge"}],
              focalPoint: {x: 0.25, y: 0.75}) {
    media {
      id filename contentType size sha256 width height alt(locale: "en-CA") focalPoint { x y }
    }
    errors { field code message }
  }
}
"""
PREFLIGHT = {"apollo-require-preflight": "true"}


def png(width: int = 64, height: int = 48, colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def forged_png(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height, without the pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def multipart(query: str, files: dict[str, tuple[str, bytes, str]], paths: dict[str, str]):
    variables = {}
    for path in paths.values():
        variables[path.split(".")[1]] = None
    operations = json.dumps({"query": query, "variables": variables})
    mapping = json.dumps({key: [path] for key, path in paths.items()})
    return {"operations": (None, operations), "map": (None, mapping), **files}


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
async def author(client):
    return await caller(client, Role.AUTHOR)


async def upload(author, content: bytes, filename="photo.png", kind="image/png", headers=PREFLIGHT):
    files = multipart(UPLOAD, {"0": (filename, content, kind)}, {"0": "variables.file"})
    return await author.http.post("/graphql", files=files, headers={**author.headers, **headers})


async def test_an_image_is_stored_once_under_its_hash(author, settings) -> None:
    content = png()
    response = await upload(author, content, filename="../../etc/passwd.png")
    media = response.json()["data"]["uploadMedia"]["media"]

    digest = hashlib.sha256(content).hexdigest()
    assert media == {
        "id": media["id"],
        "filename": "../../etc/passwd.png",  # kept as metadata, never used as a path
        "contentType": "image/png",
        "size": len(content),
        "sha256": digest,
        "width": 64,
        "height": 48,
        "alt": "Carré rouge",  # en-CA falls back to fr-CA
        "focalPoint": {"x": 0.25, "y": 0.75},
    }
    assert leftovers(settings.media_root) == [f"blobs/{digest[:2]}/{digest}"]
    assert (settings.media_root / "blobs" / digest[:2] / digest).read_bytes() == content

    again = (await upload(author, content)).json()["data"]["uploadMedia"]["media"]
    assert again["id"] != media["id"]
    assert leftovers(settings.media_root) == [f"blobs/{digest[:2]}/{digest}"]

    delete = "mutation($id: ID!) { deleteMedia(id: $id) { deletedId } }"
    editor = await caller(author.http, Role.EDITOR)
    await editor.data(delete, id=media["id"])
    assert leftovers(settings.media_root) == [f"blobs/{digest[:2]}/{digest}"]  # still used
    await editor.data(delete, id=again["id"])
    assert leftovers(settings.media_root) == []


@pytest.mark.parametrize(
    ("content", "filename", "kind", "message"),
    [
        (b"just some text, honest", "photo.png", "image/png", "is not a JPEG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "a.svg",
            "image/svg+xml",
            "is not a JPEG",
        ),
        (forged_png(20_000, 20_000), "bomb.png", "image/png", "too many pixels"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "image/png", "cannot be read"),
    ],
    ids=["wrong-magic", "svg", "bomb", "truncated-png"],
)
async def test_refused_files_leave_nothing(
    author, settings, content, filename, kind, message
) -> None:
    response = await upload(author, content, filename=filename, kind=kind)

    payload = response.json()["data"]["uploadMedia"]
    assert payload["media"] is None
    assert payload["errors"][0]["code"] == "INVALID"
    assert message in payload["errors"][0]["message"]
    assert leftovers(settings.media_root) == []
    assert await Media.all().count() == 0


async def test_uploads_need_a_preflight_header(author, settings) -> None:
    response = await upload(author, png(), headers={})
    assert response.status_code == 400
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert leftovers(settings.media_root) == []


async def test_anonymous_uploads_are_refused_unread(client, settings) -> None:
    files = multipart(UPLOAD, {"0": ("a.png", png(), "image/png")}, {"0": "variables.file"})
    response = await client.post("/graphql", files=files, headers=PREFLIGHT)
    assert response.status_code == 401
    assert leftovers(settings.media_root) == []


async def test_a_reader_token_cannot_upload(client, settings) -> None:
    reader = await caller(client, Role.EDITOR, scope=TokenScope.READ)
    response = await upload(reader, png())
    assert response.status_code == 403
    assert leftovers(settings.media_root) == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_an_upload_over_the_cap_is_refused(client, settings, chunked: bool) -> None:
    small = dataclasses.replace(settings, max_upload_bytes=20_000)
    app = create_app(small, manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        author = await caller(http, Role.AUTHOR)
        big = png(300, 300, (1, 2, 3)) + b"\x00" * 60_000
        files = multipart(UPLOAD, {"0": ("big.png", big, "image/png")}, {"0": "variables.file"})
        request = http.build_request(
            "POST", "/graphql", files=files, headers={**author.headers, **PREFLIGHT}
        )
        if chunked:
            body = request.read()

            async def chunks():
                for start in range(0, len(body), 8192):
                    yield body[start : start + 8192]

            request = http.build_request(
                "POST",
                "/graphql",
                content=chunks(),
                headers={
                    **author.headers,
                    **PREFLIGHT,
                    "content-type": request.headers["content-type"],
                },
            )
        response = await http.send(request)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert leftovers(settings.media_root) == []
    assert await Media.all().count() == 0


async def test_a_request_cut_off_mid_body_leaves_nothing(author, settings) -> None:
    app = create_app(settings, manage_database=False)
    files = multipart(
        UPLOAD, {"0": ("a.png", png(400, 400) * 4, "image/png")}, {"0": "variables.file"}
    )
    request = author.http.build_request(
        "POST", "http://t/graphql", files=files, headers={**author.headers, **PREFLIGHT}
    )
    body = request.read()
    messages = [
        {"type": "http.request", "body": body[: len(body) // 2], "more_body": True},
        {"type": "http.disconnect"},
    ]
    headers = [(k.lower().encode(), v.encode()) for k, v in request.headers.items()]
    await post_then_leave(app, headers, messages)

    assert leftovers(settings.media_root) == []
    assert await Media.all().count() == 0


async def test_several_files_are_kept_all_or_none(author, settings) -> None:
    query = (
        "mutation($a: Upload!, $b: Upload!) "
        "{ uploadMediaFiles(files: [$a, $b]) { media { id } errors { code } } }"
    )
    good = multipart(
        query,
        {"0": ("a.png", png(), "image/png"), "1": ("b.png", png(colour=(0, 0, 255)), "image/png")},
        {"0": "variables.a", "1": "variables.b"},
    )
    ok = await author.http.post("/graphql", files=good, headers={**author.headers, **PREFLIGHT})
    assert len(ok.json()["data"]["uploadMediaFiles"]["media"]) == 2

    bad = multipart(
        query,
        {
            "0": ("c.png", png(colour=(9, 9, 9)), "image/png"),
            "1": ("d.png", b"not an image", "image/png"),
        },
        {"0": "variables.a", "1": "variables.b"},
    )
    refused = await author.http.post("/graphql", files=bad, headers={**author.headers, **PREFLIGHT})
    assert refused.json()["data"]["uploadMediaFiles"] == {
        "media": [],
        "errors": [{"code": "INVALID"}],
    }
    assert await Media.all().count() == 2
    assert len(leftovers(settings.media_root)) == 2


async def test_files_before_the_map_are_refused(author, settings) -> None:
    body = {
        "operations": (None, json.dumps({"query": UPLOAD, "variables": {"file": None}})),
    }
    files = [
        ("operations", body["operations"]),
        ("0", ("a.png", png(), "image/png")),
        ("map", (None, '{"0": ["variables.file"]}')),
    ]
    response = await author.http.post(
        "/graphql", files=files, headers={**author.headers, **PREFLIGHT}
    )
    assert response.status_code == 400
    assert "after the operations and map" in response.json()["errors"][0]["message"]
    assert leftovers(settings.media_root) == []
