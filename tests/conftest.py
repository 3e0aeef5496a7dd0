"""Shared fixtures: every database test runs once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import strawberry
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from cms import db as cms_db
from cms.app import create_app
from cms.graphql import view
from cms.graphql.schema import build_schema
from cms.settings import Settings
from tests.databases import BACKENDS, POSTGRES_URL, fresh_database_url
from tests.objectstore import ObjectStore, seaweedfs


@pytest.fixture(scope="session", autouse=True)
def one_schema_per_settings() -> Iterator[None]:
    """Every app the tests build for the same settings serves the same GraphQL schema object.

    Building the schema is most of the cost of building an app (about 25 ms of 40), and the
    tests build an app for nearly every test. The schema is a function of the settings alone
    and keeps no state between operations, so one built for equal settings is the one the app
    would have built; settings that differ in any field get a schema of their own.
    """
    built: dict[str, strawberry.Schema] = {}

    def build_once(settings: Settings) -> strawberry.Schema:
        key = repr([getattr(settings, field.name) for field in dataclasses.fields(settings)])
        if key not in built:
            built[key] = build_schema(settings)
        return built[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(view, "build_schema", build_once)
        yield


@pytest.fixture(scope="session")
def object_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    """A real S3-compatible server (SeaweedFS) for the whole session, started when a test
    first asks for it."""
    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as store:
        yield store


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("set CMS_TEST_POSTGRES_URL to run the PostgreSQL tests")
    return request.param


@pytest.fixture(scope="session")
async def database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Settings]:
    """A migrated database for the whole session, with the ORM open on it."""
    directory = tmp_path_factory.mktemp(backend)
    async with fresh_database_url(backend, directory) as url:
        # Tests write through services and read over HTTP at once: the response cache looks
        # at the change log on every request, not every half second.
        settings = Settings(
            database_url=url, media_root=directory / "media", change_poll_interval=0
        )
        await cms_db.migrate(settings)
        async with cms_db.database(settings):
            yield settings
    # Tortoise caches each table's INSERT statement per connection name, across inits: drop
    # the SQLite statements before the same models run on PostgreSQL.
    EXECUTOR_CACHE.clear()


@pytest.fixture
async def settings(database: Settings) -> AsyncIterator[Settings]:
    """The session's settings over an empty database and media root (both emptied after a
    test)."""
    yield database
    await _empty_tables(database)
    shutil.rmtree(database.media_root, ignore_errors=True)


async def _empty_tables(settings: Settings) -> None:
    conn = connections.get("default")
    tables = [
        model._meta.db_table
        for app in Tortoise.apps.values()
        for model in app.values()
        if model._meta.db_table
    ]
    through = {
        field.through
        for app in Tortoise.apps.values()
        for model in app.values()
        for field in model._meta.fields_map.values()
        if getattr(field, "through", None)
    }
    names = sorted(set(tables) | through)
    if settings.is_sqlite:
        await conn.execute_script(
            "PRAGMA foreign_keys = OFF;"
            + "".join(f'DELETE FROM "{name}";' for name in names)
            + "PRAGMA foreign_keys = ON;"
        )
    else:
        quoted = ", ".join(f'"{name}"' for name in names)
        # A field refused mid-query makes graphql-core cancel its siblings, and a cancelled
        # statement can hold its locks for a moment after the answer was sent: wait for them
        # in short tries rather than once for as long as PostgreSQL would.
        for attempt in range(20):
            try:
                async with in_transaction() as transaction:
                    await transaction.execute_query("SET LOCAL lock_timeout = '2s'")
                    await transaction.execute_query(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
                break
            except OperationalError:
                if attempt == 19:
                    raise
                await asyncio.sleep(0.5)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to a real app over the test database."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield http


class GraphQLClient:
    """Posts GraphQL operations the way a frontend does, returning the decoded JSON."""

    http: httpx.AsyncClient
    headers: dict[str, str] = {}  # noqa: RUF012 - replaced, never mutated

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def request(self, query: str, **variables: object) -> httpx.Response:
        """The raw HTTP response, for status codes and headers."""
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=self.headers
        )

    async def __call__(self, query: str, **variables: object) -> dict:
        response = await self.request(query, **variables)
        assert response.headers["content-type"].startswith("application/json"), response.text
        return response.json()

    async def data(self, query: str, **variables: object) -> dict:
        """The ``data`` of a response that must have no errors."""
        body = await self(query, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
