"""A site exported from SQLite, restored into PostgreSQL, exported again and restored into SQLite
once more is the same site: the same archive, and the same answers to the same queries.

Each database lives in its own process (the ORM is global): the steps of
:mod:`tests.transfer.archive_steps` build, restore and export, and a real server is started
over each database to answer the queries.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from cms.settings import Settings
from tests.databases import POSTGRES_URL, fresh_database_url
from tests.servers import app_server
from tests.transfer.archive_steps import LOCALES, run

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="set CMS_TEST_POSTGRES_URL to run the PostgreSQL tests"
)

# Everything a frontend reads of a post, drafts included (the token may preview), except the
# fields holding free-form JSON (below).
POST = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale, preview: true) {
    id status version publishAt unpublishAt seriesNumber publishedAt updatedAt trashedAt
    locale resolvedLocale isFallback translationStatus title slug excerpt seoTitle
    seoDescription translationUpdatedAt textVersion sourceLocale createdById url
    body { markdown html text wordCount readingTime headings { level text anchor } }
    category { id name slug resolvedLocale isFallback alternates { locale slug name } }
    tags { id name slug alternates { locale slug name } }
    author { id name slug bio }
    cover {
      id filename contentType size sha256 width height focalPoint { x y } status createdAt
      placeholder url srcset alt
    }
    locales {
      locale state isSource isPublished title slug updatedAt textVersion sourceLocale
      sourceVersion
    }
    alternates { locale slug title }
    events { id slug title }
    revisions { id version action accountId accountName createdAt }
    previous { id slug }
    next { id slug }
  }
}
"""
EVENT = """
query($id: ID!, $locale: String) {
  event(id: $id, locale: $locale) {
    id title slug summary resolvedLocale isFallback timezone startLocal endLocal rrule exdates
    isFree price { amountCents currency } languages registrationUrl onlineUrl version
    updatedAt url
    description { markdown html text }
    venue { id name address city region country latitude longitude }
    organizer { id name description website resolvedLocale isFallback }
    tags { id name slug }
    cover { id sha256 url srcset alt }
    posts { id slug title }
    alternates { locale slug title }
  }
}
"""
OCCURRENCES = """
query($locale: String) {
  events(from: "2026-09-01T00:00:00Z", to: "2027-03-01T00:00:00Z", locale: $locale, first: 100) {
    nodes {
      start end startUtc endUtc localStart cancelled moved
      event { id slug title }
    }
    pageInfo { hasNextPage }
  }
}
"""
LISTS = """
query($locale: String) {
  posts(locale: $locale, first: 100) { totalCount nodes { id slug title publishedAt } }
  categories(locale: $locale) { id name slug }
  tags(locale: $locale) { id name slug }
  authors(locale: $locale) { id name slug bio }
  venues { id name city latitude longitude }
}
"""
# Free-form JSON: PostgreSQL's jsonb keeps object keys in an order of its own, so these answers
# are compared as JSON values rather than as bytes.
POST_JSON = """
query($id: ID!, $locale: String) {
  post(id: $id, locale: $locale, preview: true) { jsonLd revisions { snapshot } }
}
"""
EVENT_JSON = """
query($id: ID!, $locale: String) {
  event(id: $id, locale: $locale) { audience jsonLd organizer { socialLinks } }
}
"""


def ids(archive: Path, table: str) -> list[int]:
    with tarfile.open(archive) as tar:
        content = tar.extractfile(f"tables/{table}.jsonl").read()
    return [json.loads(line)["id"] for line in content.splitlines()]


async def answers(
    settings: Settings, token: str, post_ids: list[int], event_ids: list[int]
) -> dict[str, Any]:
    """The bytes of every answer, and the free-form JSON ones decoded, from a real server."""
    typed: dict[str, bytes] = {}
    free: dict[str, Any] = {}
    async with (
        app_server(settings, CMS_JOB_POLL_INTERVAL="0", CMS_SCHEDULER_INTERVAL="0") as url,
        httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http,
    ):

        async def ask(query: str, **variables: Any) -> bytes:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
            assert response.status_code == 200, response.text
            assert "errors" not in response.json(), response.text
            return response.content

        for locale in LOCALES:
            typed[f"lists {locale}"] = await ask(LISTS, locale=locale)
            typed[f"occurrences {locale}"] = await ask(OCCURRENCES, locale=locale)
            for post_id in post_ids:
                typed[f"post {post_id} {locale}"] = await ask(POST, id=post_id, locale=locale)
                free[f"post {post_id} {locale}"] = json.loads(
                    await ask(POST_JSON, id=post_id, locale=locale)
                )
            for event_id in event_ids:
                typed[f"event {event_id} {locale}"] = await ask(EVENT, id=event_id, locale=locale)
                free[f"event {event_id} {locale}"] = json.loads(
                    await ask(EVENT_JSON, id=event_id, locale=locale)
                )
        # The covers' files themselves.
        for body in list(typed.values()):
            for cover in _covers(json.loads(body)):
                typed[f"file {cover}"] = (await http.get(cover)).content
    return {"typed": typed, "free": free}


def _covers(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["url"]] if "sha256" in value and value.get("url") else []
        return found + [url for item in value.values() for url in _covers(item)]
    if isinstance(value, list):
        return [url for item in value for url in _covers(item)]
    return []


@pytest.mark.server
async def test_sqlite_to_postgresql_and_back_keeps_the_archive_and_the_answers(
    tmp_path: Path,
) -> None:
    async with (
        fresh_database_url("sqlite", tmp_path) as first_url,
        fresh_database_url("postgres", tmp_path) as second_url,
        fresh_database_url("sqlite", tmp_path) as third_url,
    ):
        sites = {
            name: Settings(database_url=url, media_root=tmp_path / f"media-{name}")
            for name, url in (("sqlite", first_url), ("postgres", second_url), ("back", third_url))
        }
        built = run(
            "build-export",
            url=first_url,
            media_root=str(sites["sqlite"].media_root),
            archive=str(tmp_path / "sqlite.tar"),
        )
        into_postgres = run(
            "restore-export",
            url=second_url,
            media_root=str(sites["postgres"].media_root),
            archive=str(tmp_path / "sqlite.tar"),
            again=str(tmp_path / "postgres.tar"),
        )
        back = run(
            "restore-export",
            url=third_url,
            media_root=str(sites["back"].media_root),
            archive=str(tmp_path / "postgres.tar"),
            again=str(tmp_path / "back.tar"),
        )

        # The same tables, rows, checksums and files, whichever engine wrote the archive.
        manifest = built["manifest"]
        assert manifest["tables"]["post"]["rows"] > 10 and manifest["media"]
        assert into_postgres == {"restored": manifest, "exported": manifest}
        assert back == {"restored": manifest, "exported": manifest}

        post_ids = ids(tmp_path / "sqlite.tar", "post")
        event_ids = ids(tmp_path / "sqlite.tar", "event")
        token = built["secrets"]["token"]
        seen = {
            name: await answers(settings, token, post_ids, event_ids)
            for name, settings in sites.items()
        }

    for key, body in seen["sqlite"]["typed"].items():
        kind = key.split()[0]
        if kind in {"post", "event"}:
            assert json.loads(body)["data"][kind]["id"] == key.split()[1]
        if kind == "occurrences":
            assert len(json.loads(body)["data"]["events"]["nodes"]) > 10
    files = [key for key in seen["sqlite"]["typed"] if key.startswith("file ")]
    assert len(files) == 2  # the covers of a post and of an event
    for name in ("postgres", "back"):
        for key, body in seen["sqlite"]["typed"].items():
            assert seen[name]["typed"][key] == body, (name, key)
        assert seen[name]["free"] == seen["sqlite"]["free"]
