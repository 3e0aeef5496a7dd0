"""One site on several nodes, as the reference deployment runs it: PostgreSQL, an
S3-compatible store (SeaweedFS), migrations run once, two web nodes and a worker, each a
process of its own with a media root of its own. Node A serves HTTP only (``cms serve
--no-jobs``), node B also takes background work and scheduled publishing (``cms serve``), as
does the worker (``cms worker``). Whatever node a request reaches, the site answers the same,
and work two processes could both take is done once."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import obstore
import pytest

from tests.databases import POSTGRES_URL, fresh_database_url
from tests.media.test_uploads import PREFLIGHT, png
from tests.objectstore import ObjectStore
from tests.servers import Receiver, free_port, wait_up
from tests.waiting import until

pytestmark = pytest.mark.server

#: The bound this deployment documents: a write on one node changes the other's answers
#: within this many seconds (the change feed wakes on PostgreSQL's NOTIFY; its poll, every
#: 0.5 s, is the safety net).
STALENESS_BOUND = 1.0


@dataclass
class Site:
    nodes: list[str]
    token: str
    processes: list[subprocess.Popen]
    object_store: ObjectStore
    prefix: str

    def stored(self, under: str) -> list[str]:
        """The keys the store holds under ``under`` for this site."""
        listed = obstore.list(self.object_store.client(), prefix=f"{self.prefix}/{under}/")
        return sorted(meta["path"] for batch in listed for meta in batch)

    async def upload(self, node: int, content: bytes, name: str) -> str:
        operations = {
            "query": "mutation($file: Upload!) { uploadMedia(file: $file) { media { id } } }",
            "variables": {"file": None},
        }
        async with httpx.AsyncClient(base_url=self.nodes[node], timeout=60) as http:
            answer = await http.post(
                "/graphql",
                files={
                    "operations": (None, json.dumps(operations)),
                    "map": (None, json.dumps({"0": ["variables.file"]})),
                    "0": (name, content, "image/png"),
                },
                headers={"authorization": f"Bearer {self.token}", **PREFLIGHT},
            )
        return answer.json()["data"]["uploadMedia"]["media"]["id"]

    async def gql(self, node: int, query: str, token: str | None = None, **variables) -> dict:
        async with httpx.AsyncClient(base_url=self.nodes[node], timeout=30) as http:
            answer = await http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token or self.token}"},
            )
        return answer.json()


def _cms(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cms.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
async def site(object_store, tmp_path_factory) -> AsyncIterator[Site]:
    if not POSTGRES_URL:
        pytest.skip("set CMS_TEST_POSTGRES_URL: several nodes share a PostgreSQL database")
    folder = tmp_path_factory.mktemp("nodes")
    location = object_store.new_location()
    async with fresh_database_url("postgres", folder) as url:
        shared = {
            **os.environ,
            **object_store.env(location),
            "CMS_DATABASE_URL": url,
            "CMS_SCHEDULER_INTERVAL": "0.2",
            "CMS_JOB_POLL_INTERVAL": "0.2",
            "CMS_WEBHOOK_ALLOW_PRIVATE": "true",
        }

        def env(name: str) -> dict[str, str]:
            return {**shared, "CMS_MEDIA_ROOT": str(folder / name / "media")}

        # The one-shot migration, before any node starts.
        migrated = subprocess.run(
            [sys.executable, "-m", "cms.cli", "migrate"],
            env=env("migrate"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stderr
        made = subprocess.run(
            [sys.executable, "-m", "cms.cli", "token", "create", "--name", "t", "--role", "admin"],
            env=env("migrate"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        token = made.stdout.splitlines()[0].strip()
        ports = [free_port(), free_port()]
        processes = [
            _cms(env("web-a"), "serve", "--no-jobs", "--port", str(ports[0])),
            _cms(env("web-b"), "serve", "--port", str(ports[1])),
            _cms(env("worker"), "worker"),
        ]
        nodes = [f"http://127.0.0.1:{port}" for port in ports]
        try:
            for node, process in zip(nodes, processes, strict=False):
                await wait_up(node, process)
            yield Site(nodes, token, processes, object_store, location.prefix)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                output = process.communicate(timeout=30)[0]
                assert "Traceback" not in output, output


CREATE = """mutation($title: String!, $coverId: ID) {
  createPost(input: {translations: [{locale: "fr-CA", title: $title, body: "Bonjour."}],
                     coverId: $coverId}) {
    post { id version } errors { code message }
  }
}"""
PUBLISH = """mutation($id: ID!, $v: Int!) {
  publishPost(id: $id, expectedVersion: $v) { post { version } errors { code } }
}"""
RENAME = """mutation($id: ID!, $v: Int!, $title: String!) {
  upsertTranslation(postId: $id, expectedVersion: $v, input: {locale: "fr-CA", title: $title,
                    body: "Bonjour."}) { post { version } errors { code message } }
}"""
TITLE = 'query($id: ID!) { post(id: $id, locale: "fr-CA") { title } }'


async def _post(site: Site, title: str, node: int = 0, **variables) -> tuple[str, int]:
    created = (await site.gql(node, CREATE, title=title, **variables))["data"]["createPost"]
    assert created["errors"] == [], created
    return created["post"]["id"], created["post"]["version"]


async def test_an_upload_on_one_node_is_served_by_the_other(site: Site) -> None:
    media_id = await site.upload(0, png(90, 60), "terrasse.png")
    details = "query($id: ID!) { media(id: $id) { status url width } }"

    async def ready() -> bool:
        found = (await site.gql(1, details, id=media_id))["data"]["media"]
        return found["status"] == "READY"

    await until(ready, "the worker to make the renditions", within=30)
    seen = (await site.gql(1, details, id=media_id))["data"]["media"]
    assert seen["width"] == 90
    async with httpx.AsyncClient(timeout=30) as http:
        from_b = await http.get(site.nodes[1] + seen["url"])
        from_a = await http.get(site.nodes[0] + seen["url"])
    assert from_b.status_code == 200 and from_b.content == from_a.content
    assert from_b.headers["etag"] == from_a.headers["etag"]


async def test_the_same_bytes_from_both_nodes_are_stored_once_and_kept_while_used(
    site: Site,
) -> None:
    content = png(33, 21, (10, 120, 200))
    digest = hashlib.sha256(content).hexdigest()
    blob = f"{site.prefix}/blobs/{digest[:2]}/{digest}"
    first, second = await asyncio.gather(
        site.upload(0, content, "a.png"), site.upload(1, content, "b.png")
    )
    assert first != second
    assert site.stored(f"blobs/{digest[:2]}") == [blob]

    # Files of the same bytes deleted on one node while uploaded on the other: whatever the
    # interleaving, every file left has its bytes, and bytes no file uses are gone.
    delete = "mutation($id: ID!) { deleteMedia(id: $id) { errors { code message } } }"
    alive = [first, second]
    for n in range(8):
        gone, made = await asyncio.gather(
            site.gql(n % 2, delete, id=alive.pop(0)), site.upload(1 - n % 2, content, f"{n}.png")
        )
        assert gone["data"]["deleteMedia"]["errors"] == []
        alive.append(made)
    async with httpx.AsyncClient(timeout=30) as http:
        for media_id in alive:
            original = await http.get(
                f"{site.nodes[0]}/media/original/{media_id}",
                headers={"authorization": f"Bearer {site.token}"},
            )
            assert original.status_code == 200 and original.content == content
    for media_id in alive:
        assert (await site.gql(1, delete, id=media_id))["data"]["deleteMedia"]["errors"] == []
    assert site.stored(f"blobs/{digest[:2]}") == []


async def test_a_write_on_one_node_changes_the_others_answers_within_the_bound(
    site: Site,
) -> None:
    post_id, version = await _post(site, "Version 0")
    version = (await site.gql(0, PUBLISH, id=post_id, v=version))["data"]["publishPost"]["post"][
        "version"
    ]
    delays = []
    async with httpx.AsyncClient(base_url=site.nodes[1], timeout=30) as reader:

        async def title_on_b() -> str:
            # Anonymous and cacheable: answered from B's response cache until a change.
            answer = await reader.post(
                "/graphql", json={"query": TITLE, "variables": {"id": post_id}}
            )
            return answer.json()["data"]["post"]["title"]

        for n in range(1, 41):
            assert await title_on_b() == f"Version {n - 1}"  # cached on B now
            renamed = await site.gql(0, RENAME, id=post_id, v=version, title=f"Version {n}")
            committed = time.monotonic()
            version = renamed["data"]["upsertTranslation"]["post"]["version"]
            while await title_on_b() != f"Version {n}":
                assert time.monotonic() - committed < 5, "B never saw the write"
                await asyncio.sleep(0.005)
            delays.append(time.monotonic() - committed)
    delays.sort()
    p50, p99 = statistics.median(delays), delays[int(0.99 * (len(delays) - 1))]
    print(f"staleness between nodes: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    assert p99 < STALENESS_BOUND


async def test_a_query_registered_on_one_node_runs_by_hash_on_the_other(site: Site) -> None:
    query = "query Locales { locales { code isDefault } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with httpx.AsyncClient(timeout=30) as http:
        miss = await http.get(
            site.nodes[1] + "/graphql", params={"extensions": json.dumps(extensions)}
        )
        assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        await http.post(site.nodes[0] + "/graphql", json={"query": query, "extensions": extensions})
        hit = await http.get(
            site.nodes[1] + "/graphql", params={"extensions": json.dumps(extensions)}
        )
    assert hit.json()["data"]["locales"][0] == {"code": "fr-CA", "isDefault": True}


async def test_a_scheduled_post_is_published_exactly_once(site: Site) -> None:
    schedule = """mutation($id: ID!, $v: Int!, $at: DateTime!) {
      schedulePost(id: $id, expectedVersion: $v, publishAt: $at) { post { status } errors { code } }
    }"""
    hook = """mutation($url: String!) {
      createWebhook(url: $url, events: ["post.published"]) { errors { code message } }
    }"""
    with Receiver() as receiver:
        made = await site.gql(0, hook, url=f"{receiver.url}/published")
        assert made["data"]["createWebhook"]["errors"] == []
        post_id, version = await _post(site, "Programmé")
        at = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
        scheduled = await site.gql(1, schedule, id=post_id, v=version, at=at)
        assert scheduled["data"]["schedulePost"]["post"]["status"] == "SCHEDULED"
        # Node B and the worker both run the scheduler: one of them publishes it.
        await until(lambda: len(receiver.received) >= 1, "the post.published delivery", within=30)
        await asyncio.sleep(2)  # time for a second publication, were there one
        published = [json.loads(r.body) for r in receiver.received if r.path == "/published"]
        assert [(event["type"], event["data"]["id"]) for event in published] == [
            ("post.published", post_id)
        ]


async def test_failed_authentications_count_across_nodes(site: Site) -> None:
    """Run last: it leaves this machine's address throttled for a minute."""
    probe = "{ locales { code } }"
    for _ in range(5):
        for node in (0, 1):
            async with httpx.AsyncClient(base_url=site.nodes[node], timeout=30) as http:
                refused = await http.post(
                    "/graphql",
                    json={"query": probe},
                    headers={"authorization": "Bearer cinq_not_a_token"},
                )
            assert refused.status_code == 401
    await asyncio.sleep(1.1)  # each node reads the others' count at most a second late
    for node in (0, 1):
        async with httpx.AsyncClient(base_url=site.nodes[node], timeout=30) as http:
            throttled = await http.post(
                "/graphql",
                json={"query": probe},
                headers={"authorization": f"Bearer {site.token}"},  # right, but too late
            )
        assert throttled.status_code == 429
        assert 0 < int(throttled.headers["retry-after"]) <= 61
