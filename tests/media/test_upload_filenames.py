"""A file's name comes from the client as bytes: whatever they are, the upload is stored with
a name every database can hold, never a 500."""

from __future__ import annotations

import json

import pytest

from cms.models import Role
from tests.auth import caller
from tests.media.test_uploads import PREFLIGHT, UPLOAD, png

BOUNDARY = b"cinq-boundary"


def raw_multipart(filename: bytes, content: bytes) -> bytes:
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}}).encode()
    mapping = json.dumps({"0": ["variables.file"]}).encode()
    parts = [
        b'Content-Disposition: form-data; name="operations"\r\n\r\n' + operations,
        b'Content-Disposition: form-data; name="map"\r\n\r\n' + mapping,
        b'Content-Disposition: form-data; name="0"; filename="'
        + filename
        + b'"\r\nContent-Type: image/png\r\n\r\n'
        + content,
    ]
    body = b"".join(b"--" + BOUNDARY + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY + b"--\r\n"


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        (b"caf\xc3\xa9\x00.png", "café.png"),  # NUL: PostgreSQL cannot store it
        (b"\xff\xfe.png", "\ufffd\ufffd.png"),  # not UTF-8
        (b"\x01\x02", "upload"),  # nothing printable left
        ("Cafe\u0301.png".encode(), "Café.png"),  # decomposed: stored composed (NFC)
    ],
)
async def test_any_filename_bytes_are_stored_cleanly(client, filename, stored) -> None:
    author = await caller(client, Role.AUTHOR)
    response = await client.post(
        "/graphql",
        content=raw_multipart(filename, png()),
        headers={
            **author.headers,
            **PREFLIGHT,
            "content-type": f"multipart/form-data; boundary={BOUNDARY.decode()}",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]["uploadMedia"]["media"]["filename"] == stored
