"""Range requests on stored files follow RFC 9110 §14, on public renditions and on originals.

A range in another unit, or a malformed byte range, is ignored (200 with the whole file); a set
no byte of the file satisfies is 416 with ``Content-Range: bytes */SIZE``; the satisfiable
ranges of a set are served. Validators and caching stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Role
from tests.auth import caller
from tests.media.test_renditions import jpeg_with_gps
from tests.media.test_uploads import PREFLIGHT, multipart

UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { media { id } errors { code } } }"
URL = "query($id: ID!) { media(id: $id) { url } }"


@dataclass
class Served:
    """One stored file as a client fetches it: where, with which headers, which bytes."""

    name: str
    url: str
    headers: dict[str, str]
    content: bytes


@pytest.fixture
async def files(client, settings) -> list[Served]:
    """A public rendition and the untouched original of one uploaded photo."""
    author = await caller(client, Role.AUTHOR)
    original = jpeg_with_gps()
    form = multipart(UPLOAD, {"0": ("photo.jpg", original, "image/jpeg")}, {"0": "variables.file"})
    response = await client.post("/graphql", files=form, headers={**author.headers, **PREFLIGHT})
    media_id = response.json()["data"]["uploadMedia"]["media"]["id"]
    await build_worker(settings, LocalStorage(settings.media_root)).run_until_idle()
    url = (await author.data(URL, id=media_id))["media"]["url"]
    rendition = await client.get(url)
    assert rendition.status_code == 200 and len(rendition.content) > 1000
    return [
        Served("rendition", url, {}, rendition.content),
        Served("original", f"/media/original/{media_id}", author.headers, original),
    ]


async def fetch(client, file: Served, headers: dict[str, str] | None = None, method="GET"):
    """``file`` fetched as its reader would, with ``headers`` added."""
    return await client.request(method, file.url, headers={**file.headers, **(headers or {})})


@pytest.mark.parametrize("header", ["items=0-1", "lines=1-2", "Bytes"])
async def test_a_range_in_another_unit_is_ignored(client, files, header) -> None:
    for file in files:
        response = await fetch(client, file, {"range": header})
        assert response.status_code == 200, (file.name, response.text)
        assert response.content == file.content
        assert "content-range" not in response.headers


@pytest.mark.parametrize(
    "header",
    ["bytes=abc", "bytes=5-2", "bytes=0-1-2", "bytes=", "bytes=--1", "bytes=+1-2", "bytes=1_0-20"],
)
async def test_a_malformed_byte_range_is_ignored(client, files, header) -> None:
    for file in files:
        response = await fetch(client, file, {"range": header})
        assert response.status_code == 200, (file.name, header, response.text)
        assert response.content == file.content


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=999999999-999999999", "bytes=-0"])
async def test_an_unsatisfiable_range_is_416_with_the_size(client, files, header) -> None:
    for file in files:
        response = await fetch(client, file, {"range": header})
        assert response.status_code == 416, (file.name, response.text)
        assert response.headers["content-range"] == f"bytes */{len(file.content)}"
        assert response.headers["content-type"] == "application/json"
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "RANGE_NOT_SATISFIABLE"
        assert response.headers["cache-control"] == "no-store"  # not kept for a year


async def test_satisfiable_ranges_are_served(client, files) -> None:
    for file in files:
        size = len(file.content)
        first = await fetch(client, file, {"range": "bytes=0-9"})
        assert first.status_code == 206
        assert first.content == file.content[:10]
        assert first.headers["content-range"] == f"bytes 0-9/{size}"

        tail = await fetch(client, file, {"range": "bytes=-10"})
        assert tail.status_code == 206 and tail.content == file.content[-10:]

        rest = await fetch(client, file, {"range": f"bytes={size - 5}-999999999"})
        assert rest.status_code == 206 and rest.content == file.content[-5:]
        assert rest.headers["content-range"] == f"bytes {size - 5}-{size - 1}/{size}"

        # The satisfiable part of a set is served; the range beyond the file is dropped.
        mixed = await fetch(client, file, {"range": "bytes=0-1, 999999999-"})
        assert mixed.status_code == 206 and mixed.content == file.content[:2]

        several = await fetch(client, file, {"range": "bytes=0-1,4-5"})
        assert several.status_code == 206
        assert several.headers["content-type"].startswith("multipart/byteranges; boundary=")
        assert file.content[4:6] in several.content


async def test_if_range_applies_a_range_only_to_the_same_file(client, files) -> None:
    for file in files:
        etag = (await fetch(client, file)).headers["etag"]
        same = await fetch(client, file, {"range": "bytes=0-9", "if-range": etag})
        assert same.status_code == 206 and same.content == file.content[:10]

        changed = {"range": "bytes=0-9", "if-range": '"another"'}
        whole = await fetch(client, file, changed)
        assert whole.status_code == 200 and whole.content == file.content

        beyond = {"range": "bytes=999999999-", "if-range": '"another"'}
        assert (await fetch(client, file, beyond)).status_code == 200


async def test_validators_and_caching_are_kept(client, files) -> None:
    rendition, original = files
    whole = await fetch(client, rendition)
    part = await fetch(client, rendition, {"range": "bytes=0-9"})
    for response in (whole, part):
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["etag"] == whole.headers["etag"]
        assert response.headers["accept-ranges"] == "bytes"
    again = await fetch(client, rendition, {"if-none-match": whole.headers["etag"]})
    assert again.status_code == 304

    head = await fetch(client, rendition, {"range": "items=0-1"}, method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(rendition.content))

    kept_private = await fetch(client, original, {"range": "bytes=0-9"})
    assert kept_private.status_code == 206
    assert kept_private.headers["cache-control"] == "private, no-store"
    anonymous = await client.get(original.url, headers={"range": "bytes=0-9"})
    assert anonymous.status_code == 401


async def test_overlapping_ranges_are_sent_once(client, files) -> None:
    for file in files:
        size = len(file.content)
        joined = await fetch(client, file, {"range": "bytes=0-4,3-9,10-11"})
        assert joined.status_code == 206, file.name
        assert joined.headers["content-range"] == f"bytes 0-11/{size}"
        assert joined.content == file.content[:12]

        kind = joined.headers["content-type"]
        apart = await fetch(client, file, {"range": "bytes=20-29,0-1"})
        boundary = apart.headers["content-type"].split("boundary=")[1]
        assert apart.content == (
            f"--{boundary}\r\nContent-Type: {kind}\r\n"
            f"Content-Range: bytes 0-1/{size}\r\n\r\n".encode()
            + file.content[:2]
            + f"\r\n--{boundary}\r\nContent-Type: {kind}\r\n"
            f"Content-Range: bytes 20-29/{size}\r\n\r\n".encode()
            + file.content[20:30]
            + f"\r\n--{boundary}--".encode()
        )
        assert apart.headers["content-length"] == str(len(apart.content))


async def test_a_range_asked_with_head_gets_its_headers_only(client, files) -> None:
    for file in files:
        response = await fetch(client, file, {"range": "bytes=0-9"}, method="HEAD")
        assert response.status_code == 206, file.name
        assert response.headers["content-range"] == f"bytes 0-9/{len(file.content)}"
        assert response.headers["content-length"] == "10"
        assert response.content == b""
