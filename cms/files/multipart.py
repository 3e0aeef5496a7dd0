"""Streaming the GraphQL multipart request (github.com/jaydenseric/graphql-multipart-request-spec).

Bytes go from the socket, chunk by chunk, through python-multipart's push parser to where the
storage receives them (:meth:`~cms.files.storage.Storage.receive`: a scratch file inside the
media root, or a multipart upload into an object store), while their size and SHA-256 are
computed: no spooling to the system temp folder, no second read, and a body over the cap is
refused as soon as it passes it. The spec's order is enforced (``operations``, then ``map``,
then the files), so every file part is known to be expected before a byte of it is written.

Whatever goes wrong (a malformed body, the cap, a client that hangs up), every scratch file
and staging object of the request is deleted before the error propagates.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header

from cms.files.sniff import HEAD_SIZE
from cms.files.storage import Incoming, Storage

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FIELD_BYTES = 1_000_000
MAX_FILES = 20


class MultipartError(ValueError):
    """A multipart request Cinq refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class StoredUpload:
    """One uploaded file, complete where its storage received it (a local scratch file, or a
    staging object in an object store), not yet kept.

    A resolver that keeps it commits it to storage; anything left over when the request ends
    is deleted.
    """

    filename: str
    declared_type: str
    temp_path: Path
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    #: The key of the staging object the bytes were streamed to, in an object store.
    staged: str | None = None
    #: The first bytes of a staged upload (where an image's size is read), kept in memory.
    probe: bytes = b""


@dataclass
class ParsedUpload:
    operations: Any
    files_map: dict[str, list[str]]
    storage: Storage
    files: dict[str, StoredUpload] = field(default_factory=dict)

    async def discard(self) -> None:
        """Delete what the uploads left on their way in (scratch files, staging objects)."""
        for upload in self.files.values():
            await self.storage.discard(upload)


async def parse(
    content_type: str, body: AsyncIterator[bytes], storage: Storage, max_bytes: int
) -> ParsedUpload:
    media_type, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media_type != b"multipart/form-data" or not boundary:
        raise MultipartError("Expected multipart/form-data with a boundary.")
    reader = _Reader(storage)
    parser = MultipartParser(boundary, reader.callbacks())
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > max_bytes:
                raise MultipartError(f"Upload too large: the limit is {max_bytes} bytes.", 413)
            parser.write(chunk)
            await reader.drain()
        parser.finalize()
        await reader.drain()
        return reader.result()
    except MultipartParseError as exc:
        await reader.abort()
        raise MultipartError(f"The multipart body is malformed: {exc}.") from None
    except BaseException:
        await reader.abort()
        raise


class _Reader:
    """Turns the parser's synchronous callbacks into awaited writes, part by part."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.events: list[tuple[str, bytes]] = []
        self.fields: dict[str, bytearray] = {}
        self.operations: Any = None
        self.files_map: dict[str, list[str]] | None = None
        self.files: dict[str, StoredUpload] = {}
        self.ended = False
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}
        self._field: bytearray | None = None
        self._upload: StoredUpload | None = None
        self._incoming: Incoming | None = None
        self._hash: Any = None

    def callbacks(self) -> MultipartCallbacks:
        def data(kind: str) -> Callable[[bytes, int, int], None]:
            return lambda buffer, start, end: self.events.append((kind, bytes(buffer[start:end])))

        def mark(kind: str) -> Callable[[], None]:
            return lambda: self.events.append((kind, b""))

        return {
            "on_part_begin": mark("begin"),
            "on_header_field": data("header_field"),
            "on_header_value": data("header_value"),
            "on_header_end": mark("header_end"),
            "on_headers_finished": mark("headers_finished"),
            "on_part_data": data("data"),
            "on_part_end": mark("part_end"),
            "on_end": mark("end"),
        }

    async def drain(self) -> None:
        events, self.events = self.events, []
        for kind, payload in events:
            await self._on(kind, payload)

    async def _on(self, kind: str, payload: bytes) -> None:
        if kind == "begin":
            self._headers = {}
        elif kind == "header_field":
            self._header_field += payload
        elif kind == "header_value":
            self._header_value += payload
        elif kind == "header_end":
            # Kept as bytes: a header is bytes on the wire, and a filename in it may be any.
            self._headers[self._header_field.decode("latin-1").lower()] = bytes(self._header_value)
            self._header_field, self._header_value = bytearray(), bytearray()
        elif kind == "headers_finished":
            await self._start_part()
        elif kind == "data":
            await self._data(payload)
        elif kind == "part_end":
            await self._end_part()
        elif kind == "end":
            self.ended = True

    async def _start_part(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition", b""))
        if disposition != b"form-data" or b"name" not in options:
            raise MultipartError("Each part needs a form-data Content-Disposition with a name.")
        name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            if name not in {"operations", "map"} or name in self.fields:
                raise MultipartError(f"Unexpected field {name!r}: send operations, then map.")
            if name == "map" and "operations" not in self.fields:
                raise MultipartError("The operations field must come before map.")
            self._field = self.fields[name] = bytearray()
            return
        if self.files_map is None:
            raise MultipartError("Files must come after the operations and map fields.")
        if name not in self.files_map or name in self.files:
            raise MultipartError(f"File {name!r} is not in the map (or is sent twice).")
        if len(self.files) >= MAX_FILES:
            raise MultipartError(f"At most {MAX_FILES} files per request.")
        declared = self._headers.get("content-type", b"application/octet-stream")
        upload = StoredUpload(
            filename=_filename(options[b"filename"]),
            declared_type=_printable(declared.decode("latin-1"))[:100],
            temp_path=self.storage.temp_path(),
        )
        self.files[name] = upload
        self._upload, self._hash = upload, hashlib.sha256()
        self._incoming = await self.storage.receive(upload)

    async def _data(self, payload: bytes) -> None:
        if self._upload is not None:
            upload = self._upload
            if len(upload.head) < HEAD_SIZE:
                upload.head += payload[: HEAD_SIZE - len(upload.head)]
            upload.size += len(payload)
            self._hash.update(payload)
            assert self._incoming is not None
            await self._incoming.write(payload)
        elif self._field is not None:
            if len(self._field) + len(payload) > MAX_FIELD_BYTES:
                raise MultipartError(f"A form field is limited to {MAX_FIELD_BYTES} bytes.", 413)
            self._field += payload

    async def _end_part(self) -> None:
        if self._upload is not None:
            assert self._incoming is not None
            await self._incoming.close()
            self._upload.sha256 = self._hash.hexdigest()
            self._upload, self._incoming = None, None
        elif self._field is not None:
            if "map" in self.fields and self._field is self.fields["map"]:
                self.files_map = _map(self.fields["map"])
            elif self._field is self.fields.get("operations"):
                self.operations = _json(self.fields["operations"], "operations")
            self._field = None

    def result(self) -> ParsedUpload:
        if not self.ended or self._upload is not None:
            raise MultipartError("The multipart body ended early.")
        if self.operations is None or self.files_map is None:
            raise MultipartError("A multipart request needs the operations and map fields.")
        missing = set(self.files_map) - set(self.files)
        if missing:
            raise MultipartError(f"File(s) {sorted(missing)} are in the map but not sent.")
        return ParsedUpload(self.operations, self.files_map, self.storage, dict(self.files))

    async def abort(self) -> None:
        if self._incoming is not None:
            await self._incoming.abort()
        await ParsedUpload(None, {}, self.storage, self.files).discard()


def _filename(raw: bytes) -> str:
    """The client's name for a file, as metadata that every database can store: UTF-8
    (undecodable bytes replaced), NFC, without control characters (NUL among them), at most
    255 characters; "upload" when nothing is left."""
    name = _printable(unicodedata.normalize("NFC", raw.decode("utf-8", "replace")))
    return name.strip()[:255] or "upload"


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cs"})


def _json(raw: bytearray, name: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise MultipartError(f"The {name} field is not JSON.") from None


def _map(raw: bytearray) -> dict[str, list[str]]:
    value = _json(raw, "map")
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(p, str) for p in v)
        for k, v in value.items()
    ):
        raise MultipartError('The map field must look like {"0": ["variables.file"]}.')
    return value
