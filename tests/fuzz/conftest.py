"""Fuzzing fixtures: one app over one database full of content, for a whole test module.

Property-based tests send hundreds of requests. Building the app, loading the demo content and
uploading media once per module, not once per example, keeps the folder well under two minutes
per engine. Examples share that database, so an example may change what a later one finds (a
mutation creates a post), as on a real server. At the end the module empties the database and
the media root, as every other test expects to find them.

The Hypothesis profile :data:`FUZZ` bounds the run for CI: a fixed number of examples, the same
examples on every run (``derandomize``), no example database written into the repository, and
no deadline (an example is a real request through the app and the database, so its duration
says nothing about correctness). ``CMS_TEST_FUZZ_EXAMPLES=2000`` explores further on a workstation.

What every answer must be is written once, in :func:`check_answer`, which raises::

    AssertionError
    ├── ServerFailure        a 5xx (an exception escaping the app counts as uvicorn's 500)
    ├── MaskedFailure        "Unexpected error." in the body
    ├── LoggedFailure        the app logged an exception, whatever it answered
    └── UndocumentedAnswer   not the documented shape (JSON errors with a code, request id)

Each is raised from the exception the app logged while answering, when there was one:
Hypothesis tells failures apart by where they were raised, that cause included, so distinct
bugs are reported apart (and, where shrinking is on, each shrunk to its smallest request).
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from starlette.types import ASGIApp

from cms.app import build_worker, create_app
from cms.demo.load import load_demo
from cms.files.storage import LocalStorage
from cms.models import Account, Media, Role
from cms.services import accounts, sessions
from cms.services.webhooks import EVENT_TYPES
from cms.settings import Settings
from tests.auth import make_account
from tests.conftest import _empty_tables

T = TypeVar("T")

FUZZ = "cinq-fuzz"
hypothesis_settings.register_profile(
    FUZZ,
    max_examples=int(os.environ.get("CMS_TEST_FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    database=None,
)

#: What Cinq's error masking puts in place of a server failure's message.
UNEXPECTED = "Unexpected error."

#: Where the app is addressed; its own origin for the CSRF checks of cookie requests.
BASE_URL = "http://cinq.test"

_JSON_TYPES = ("application/json", "application/graphql-response+json")


def pick(values: Sequence[T]) -> st.SearchStrategy[T]:
    """``st.sampled_from(values)`` (shrinking towards the first), without every value in its
    repr: Hypothesis writes a strategy's repr into some messages and warns, an error here, past
    30 kB, which long hostile values reach."""
    return st.integers(0, len(values) - 1).map(lambda i: values[i])


class ServerFailure(AssertionError):
    """The answer is a 5xx."""


class MaskedFailure(AssertionError):
    """An error says "Unexpected error.": the server failed, and the client cannot tell why."""


class LoggedFailure(AssertionError):
    """The app logged an exception while answering: a server failure, even when the answer
    looks like a client's mistake (an exception's text passed off as a validation error)."""


class UndocumentedAnswer(AssertionError):
    """The answer is not in the documented shape (README, "What to expect from the API")."""


@dataclass
class Answer:
    """A request as sent and the app's answer, with the exceptions it logged meanwhile."""

    method: str
    target: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    headers: httpx.Headers
    content: bytes
    logged: list[BaseException] = field(default_factory=list)

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def json(self) -> object:
        return json.loads(self.content)

    def describe(self, limit: int = 2_000) -> str:
        """The exchange as a report shows it (long bodies cut)."""
        headers = "".join(f"\n  {name}: {value}" for name, value in self.request_headers)
        answer_headers = "".join(
            f"\n  {name}: {value}"
            for name, value in self.headers.items()
            if name in {"content-type", "x-request-id", "allow", "content-range", "location"}
        )
        body = _shown(self.request_body, limit)
        logged = "".join(f"\n  logged: {type(e).__name__}: {e}" for e in self.logged)
        return (
            f"request: {self.method} {self.target}{headers}\n  body: {body}\n"
            f"answer: {self.status}{answer_headers}\n  body: {_shown(self.content, limit)}{logged}"
        )


def _shown(data: bytes, limit: int) -> str:
    text = repr(data[:limit])
    return text + (f" … ({len(data)} bytes)" if len(data) > limit else "")


class _FailureLog(logging.Handler):
    """Keeps the exceptions logged with a traceback while a request is answered."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.exceptions: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.exceptions.append(record.exc_info[1])


@dataclass(repr=False)
class Site:
    """The app under test over a database holding the demo content and some media."""

    app: ASGIApp
    settings: Settings
    admin: Account
    #: Public addresses of stored files (renditions, a PDF), and ids of media rows.
    media_paths: tuple[str, ...]
    media_ids: tuple[int, ...]
    failures: _FailureLog
    _clients: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def __repr__(self) -> str:
        # Shown in every failing example: the engine, not the whole configuration.
        return f"Site({self.settings.database_url.split(':', 1)[0]})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints dataclasses field by field unless told otherwise.
        printer.text(repr(self))

    async def admin_token(self) -> str:
        """A new admin token; each example gets its own, since one may revoke its own token
        or disable its own account."""
        account = await make_account(Role.ADMIN)
        return (await accounts.issue_token(account, "fuzzing")).secret

    async def admin_session(self) -> str:
        """A new session of the admin (an example may sign its session out)."""
        return await sessions.start(self.admin.id, "fuzzing")

    async def send(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, str]] | None = None,
        body: bytes = b"",
    ) -> Answer:
        """Send one request through the ASGI app, as uvicorn would hand it over; an exception
        escaping the app is answered as uvicorn would answer it.

        Each request comes from its own client address: failed authentications are throttled
        per client, and one example's junk token must not turn the next example's request
        into a 429 (examples stay independent, so a failure replays while it is shrunk).
        """
        n = next(self._clients)
        transport = httpx.ASGITransport(
            app=self.app, client=(f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 40000)
        )
        # Header values go as Latin-1 bytes, as HTTP/1.1 carries them (httpx would insist on
        # ASCII for text).
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers or []]
        request = httpx.Request(method, BASE_URL + target, headers=raw, content=body)
        self.failures.exceptions.clear()
        answer = Answer(
            method=method,
            target=target,
            request_headers=list(headers or []),
            request_body=body,
            status=500,
            # What uvicorn sends when an exception escapes the app: a plain-text 500 (or,
            # once the answer has begun, a dropped connection).
            headers=httpx.Headers({"content-type": "text/plain; charset=utf-8"}),
            content=b"Internal Server Error",
        )
        try:
            response = await transport.handle_async_request(request)
            answer.content = await response.aread()
            answer.status, answer.headers = response.status_code, response.headers
        except Exception as escaped:
            answer.logged.append(escaped)
        answer.logged[:0] = self.failures.exceptions
        return answer


@pytest.fixture(scope="module")
async def site(database: Settings) -> AsyncIterator[Site]:
    """The demo content, an image and a PDF with their renditions, and a webhook endpoint (so
    that mutations build webhook payloads), served by one app for the whole module."""
    failures = _FailureLog()
    logging.getLogger().addHandler(failures)
    try:
        await load_demo()
        site = Site(
            app=create_app(database, manage_database=False),
            settings=database,
            admin=await make_account(Role.ADMIN),
            media_paths=(),
            media_ids=(),
            failures=failures,
        )
        token = await site.admin_token()
        await _upload(site, token, _png(), "photo.png", "image/png")
        await _upload(site, token, _PDF, "programme.pdf", "application/pdf")
        await build_worker(database, LocalStorage(database.media_root)).run_until_idle()
        site.media_paths = await _public_paths(site, token)
        site.media_ids = tuple(await Media.all().order_by("id").values_list("id", flat=True))
        created = await _graphql(
            site,
            token,
            'mutation { createWebhook(url: "https://hooks.example.com/cinq", events: '
            + json.dumps(list(EVENT_TYPES))
            + ") { errors { code message } } }",
        )
        assert created["data"]["createWebhook"]["errors"] == [], created
        yield site
    finally:
        logging.getLogger().removeHandler(failures)
        await _empty_tables(database)
        shutil.rmtree(database.media_root, ignore_errors=True)


_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


async def _graphql(site: Site, token: str, query: str) -> dict:
    answer = await site.send(
        "POST",
        "/graphql",
        [("authorization", f"Bearer {token}"), ("content-type", "application/json")],
        json.dumps({"query": query}).encode(),
    )
    assert answer.status == 200, answer.describe()
    result = answer.json()
    assert isinstance(result, dict)
    return result


async def _upload(site: Site, token: str, content: bytes, filename: str, kind: str) -> None:
    operations = json.dumps(
        {
            "query": "mutation($f: Upload!) { uploadMedia(file: $f) { errors { code } } }",
            "variables": {"f": None},
        }
    )
    request = httpx.Request(
        "POST",
        BASE_URL + "/graphql",
        files={
            "operations": (None, operations),
            "map": (None, json.dumps({"0": ["variables.f"]})),
            "0": (filename, content, kind),
        },
        headers={"authorization": f"Bearer {token}", "apollo-require-preflight": "true"},
    )
    answer = await site.send(
        "POST", "/graphql", list(request.headers.multi_items()), await request.aread()
    )
    assert answer.status == 200, answer.describe()
    assert answer.json() == {"data": {"uploadMedia": {"errors": []}}}, answer.describe()


async def _public_paths(site: Site, token: str) -> tuple[str, ...]:
    """Every public address of the stored files, as paths on this server."""
    result = await _graphql(
        site, token, "{ mediaList { url srcset(format: WEBP) contentType status } }"
    )
    paths: list[str] = []
    for media in result["data"]["mediaList"]:
        assert media["status"] == "READY", media
        paths.append(media["url"])
        paths += [part.rsplit(" ", 1)[0] for part in (media["srcset"] or "").split(", ") if part]
    assert all(path.startswith("/media/") for path in paths), paths
    return tuple(sorted(set(paths)))


def check_answer(answer: Answer, *, graphql: bool = False, html_allowed: bool = False) -> None:
    """Fail unless ``answer`` is what the API documents for every request.

    - Never a 5xx, no error anywhere in the body says "Unexpected error.", and the app logs
      no exception while answering.
    - Every answer carries its request id (``X-Request-ID``).
    - A 4xx is JSON ``{"errors": [{"message", "extensions": {"code", …}}]}``; outside GraphQL
      each error also carries the header's ``requestId``. Exempt: HTML pages of the web app
      (with ``html_allowed``), which show their refusals as pages, and a GraphQL result on
      ``/graphql`` (an anonymous mutation's 401 carries its payload errors in ``data``).
    - A GraphQL answer (``graphql``) is a JSON object with ``data`` or ``errors``, every error
      in the shape above (304s and answers to HEAD have no body to check).
    """
    note(answer.describe())
    cause = answer.logged[0] if answer.logged else None
    if answer.status >= 500:
        raise ServerFailure(f"HTTP {answer.status}") from cause
    body = _json_or_none(answer)
    if _says_unexpected(body):
        raise MaskedFailure(f"{UNEXPECTED!r} in a {answer.status} answer") from cause
    if cause is not None:
        raise LoggedFailure(f"{type(cause).__name__} logged, answered {answer.status}") from cause
    request_id = answer.headers.get("x-request-id")
    if not request_id:
        raise UndocumentedAnswer("no X-Request-ID header") from cause
    html = html_allowed and answer.media_type == "text/html"
    if answer.status == 304 or (answer.method == "HEAD" and not answer.content):
        if answer.status >= 400 and not html and answer.media_type not in _JSON_TYPES:
            raise UndocumentedAnswer(
                f"a {answer.status} to HEAD is {answer.media_type!r}"
            ) from cause
        return
    if (answer.status >= 400 and not html) or (graphql and answer.status < 300):
        _check_errors(answer, body, request_id, graphql=graphql, cause=cause)


def _json_or_none(answer: Answer) -> object:
    if answer.media_type not in _JSON_TYPES:
        return None
    try:
        return answer.json()
    except ValueError:
        return None


def _says_unexpected(value: object) -> bool:
    """Whether any object in ``value`` has the masked message (top-level errors, payload
    errors of mutations, errors of a batch)."""
    if isinstance(value, dict):
        return value.get("message") == UNEXPECTED or any(map(_says_unexpected, value.values()))
    if isinstance(value, list):
        return any(map(_says_unexpected, value))
    return False


def _check_errors(
    answer: Answer,
    body: object,
    request_id: str,
    *,
    graphql: bool,
    cause: BaseException | None,
) -> None:
    if answer.media_type not in _JSON_TYPES:
        raise UndocumentedAnswer(
            f"a {answer.status} answer is {answer.media_type!r}, not JSON"
        ) from cause
    if body is None:
        raise UndocumentedAnswer(f"a {answer.status} answer is not valid JSON") from cause
    if not isinstance(body, dict):
        raise UndocumentedAnswer(f"a {answer.status} answer is not a JSON object") from cause
    result = graphql and "data" in body
    errors = body.get("errors", [])
    if not isinstance(errors, list) or not (errors or result):
        raise UndocumentedAnswer(
            f"a {answer.status} answer has no list of errors (nor data)"
        ) from cause
    for error in errors:
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            raise UndocumentedAnswer(f"an error without a message: {error!r}") from cause
        extensions = error.get("extensions")
        if not isinstance(extensions, dict) or not isinstance(extensions.get("code"), str):
            raise UndocumentedAnswer(f"an error without extensions.code: {error!r}") from cause
        given = extensions.get("requestId")
        if given is not None and given != request_id:
            raise UndocumentedAnswer(
                f"requestId {given!r} is not X-Request-ID {request_id!r}"
            ) from cause
        if given is None and answer.status >= 400 and not graphql:
            raise UndocumentedAnswer(f"a {answer.status} refusal without its requestId") from cause
