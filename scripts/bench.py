"""Benchmark Cinq's front-page and post-page queries against two baselines, with wrk.

What is measured: requests per second and p50/p99 latency of two GraphQL operations of a
blog, each served by ONE uvicorn worker on 127.0.0.1 and loaded by ``wrk -t1`` (one core for
the server, one for wrk on a 2-core box), in en-CA with its fr-CA fallback:

* FrontPage (``schema/operations/FrontPage.graphql``): the latest 20 posts with their
  category, tags and author; a list, so many small objects.
* PostPage (``schema/operations/PostPage.graphql``): one post with its rendered body and
  headings, category, tags, author with bio, alternates, and the previous and next posts of
  its series. The post is the newest of the front page that is written in en-CA and whose page
  shows all of these (the run prints which); if there is none, the run stops.

The database is a fresh SQLite file holding the demo content plus 1,000 generated posts in
two locales (``cms demo --posts 1000``), or the PostgreSQL database given with
``--database-url`` (use an empty one: the demo adds 1,000 posts on every run).

Four servers are started one after the other (start, warm up, measure, stop). Each Cinq
server is started once and measured on every operation selected (``--operation``); each bare
one is started once per operation, serving that operation's answer:

* Cinq, cached: ``uvicorn --factory cms.app:from_env``, the real thing. Every request after
  the first is answered from the public response cache (the load has no writes).
* Cinq, uncached: the same with the response cache off (``CMS_RESPONSE_CACHE_ENTRIES=0``):
  every request runs the query against the database.
* bare Starlette: returns the very bytes Cinq answered, from memory. It is the ceiling of
  HTTP + ASGI on this machine; the gap to it is what Cinq's GraphQL layer and database cost.
* bare Strawberry: a schema with the same types as the fields selected, serving the same
  data from memory, with ParserCache and ValidationCache. It is the cost of GraphQL
  execution alone; the gap to it is what Cinq's resolvers, loaders and ORM cost.

Each server's answer is checked against Cinq's (bytes for Starlette, JSON for Strawberry)
before it is loaded, and any non-2xx response or socket error during a run is fatal. The
report has a table and the req/s ratios per operation; Cinq, uncached / bare Strawberry is
the one that tells what Cinq adds to GraphQL execution.

Run from the repository root, with wrk installed (``apt-get install wrk``)::

    python scripts/bench.py [--operation {FrontPage,PostPage,all}] [--duration 10]
                            [--connections 16] [--warmup 3]
                            [--database-url postgres://user@host/db] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchkit import ROOT, BenchError, cms, free_port, tail

OPERATIONS = ROOT / "schema" / "operations"
LOCALE = "en-CA"

# The bare apps serve the answer in the file named by BENCH_REFERENCE: one operation each.
BARE_STARLETTE = """\
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ["BENCH_REFERENCE"]).read_bytes()


async def graphql(request):
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])
"""

BARE_STRAWBERRY_FRONT_PAGE = """\
import json
import os
from datetime import datetime
from pathlib import Path

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

@strawberry.type
class Category:
    name: str
    slug: str

@strawberry.type
class Tag:
    name: str
    slug: str

@strawberry.type
class Author:
    name: str

@strawberry.type
class Post:
    id: strawberry.ID
    title: str
    slug: str
    excerpt: str
    series_number: int | None
    published_at: datetime | None
    resolved_locale: str
    is_fallback: bool
    category: Category | None
    tags: list[Tag]
    author: Author | None

@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

@strawberry.type
class PostEdge:
    node: Post

@strawberry.type
class PostConnection:
    total_count: int
    page_info: PageInfo
    edges: list[PostEdge]

def node(n):
    return Post(
        id=n["id"], title=n["title"], slug=n["slug"], excerpt=n["excerpt"],
        series_number=n["seriesNumber"],
        published_at=n["publishedAt"] and datetime.fromisoformat(n["publishedAt"]),
        resolved_locale=n["resolvedLocale"], is_fallback=n["isFallback"],
        category=n["category"] and Category(**n["category"]),
        tags=[Tag(**t) for t in n["tags"]], author=n["author"] and Author(**n["author"]),
    )

DATA = json.loads(Path(os.environ["BENCH_REFERENCE"]).read_text())["data"]["posts"]
INFO = DATA["pageInfo"]
PAGE = PostConnection(
    total_count=DATA["totalCount"],
    page_info=PageInfo(has_next_page=INFO["hasNextPage"], end_cursor=INFO["endCursor"]),
    edges=[PostEdge(node=node(edge["node"])) for edge in DATA["edges"]],
)

@strawberry.type
class Query:
    @strawberry.field
    async def posts(self, locale: str | None = None, first: int = 20) -> PostConnection:
        return PAGE

schema = strawberry.Schema(
    query=Query,
    extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
)
app = GraphQL(schema, graphql_ide=None)
"""

BARE_STRAWBERRY_POST_PAGE = """\
import json
import os
from datetime import datetime
from pathlib import Path

import strawberry
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

@strawberry.type
class Heading:
    level: int
    text: str
    anchor: str

@strawberry.type
class PostBody:
    html: str
    reading_time: int
    headings: list[Heading]

@strawberry.type
class Category:
    name: str
    slug: str

@strawberry.type
class Tag:
    name: str
    slug: str

@strawberry.type
class Author:
    name: str
    slug: str
    bio: str | None

@strawberry.type
class Alternate:
    locale: str
    slug: str
    title: str

@strawberry.type
class Neighbour:  # a Post in Cinq, of which PostPage selects these three fields
    title: str
    slug: str
    series_number: int | None

@strawberry.type
class Post:
    id: strawberry.ID
    title: str
    slug: str
    resolved_locale: str
    is_fallback: bool
    series_number: int | None
    published_at: datetime | None
    updated_at: datetime
    excerpt: str
    seo_title: str | None
    seo_description: str | None
    body: PostBody
    category: Category | None
    tags: list[Tag]
    author: Author | None
    alternates: list[Alternate]
    previous: Neighbour | None
    next: Neighbour | None

def neighbour(n):
    return n and Neighbour(title=n["title"], slug=n["slug"], series_number=n["seriesNumber"])

DATA = json.loads(Path(os.environ["BENCH_REFERENCE"]).read_text())["data"]["post"]
BODY = DATA["body"]
POST = Post(
    id=DATA["id"], title=DATA["title"], slug=DATA["slug"],
    resolved_locale=DATA["resolvedLocale"], is_fallback=DATA["isFallback"],
    series_number=DATA["seriesNumber"],
    published_at=DATA["publishedAt"] and datetime.fromisoformat(DATA["publishedAt"]),
    updated_at=datetime.fromisoformat(DATA["updatedAt"]),
    excerpt=DATA["excerpt"], seo_title=DATA["seoTitle"], seo_description=DATA["seoDescription"],
    body=PostBody(
        html=BODY["html"], reading_time=BODY["readingTime"],
        headings=[Heading(**h) for h in BODY["headings"]],
    ),
    category=DATA["category"] and Category(**DATA["category"]),
    tags=[Tag(**t) for t in DATA["tags"]], author=DATA["author"] and Author(**DATA["author"]),
    alternates=[Alternate(**a) for a in DATA["alternates"]],
    previous=neighbour(DATA["previous"]), next=neighbour(DATA["next"]),
)
POSTS = {POST.slug: POST}

@strawberry.type
class Query:
    @strawberry.field
    async def post(self, slug: str, locale: str | None = None) -> Post | None:
        return POSTS.get(slug)

schema = strawberry.Schema(
    query=Query,
    extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
)
app = GraphQL(schema, graphql_ide=None)
"""

BARE_STRAWBERRY = {"FrontPage": BARE_STRAWBERRY_FRONT_PAGE, "PostPage": BARE_STRAWBERRY_POST_PAGE}


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float


@dataclass
class Operation:
    """One operation measured: what wrk sends, what Cinq answered, and the results."""

    name: str
    variables: dict[str, str]
    request: bytes
    reference: bytes
    results: list[Result] = field(default_factory=list)

    @property
    def answer(self) -> Any:
        return json.loads(self.reference)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--operation",
        choices=[*BARE_STRAWBERRY, "all"],
        default="all",
        help="the operation to measure (default: all)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per server")
    parser.add_argument("--connections", type=int, default=16, help="open wrk connections")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load first discarded")
    parser.add_argument("--database-url", help="PostgreSQL URL instead of a fresh SQLite file")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed; install it first: apt-get install wrk", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="cinq-bench-") as tmp:
            operations = run(args, Path(tmp))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    report(operations, args)
    return 0


def run(args: argparse.Namespace, tmp: Path) -> list[Operation]:
    env = {
        **os.environ,
        "CMS_DATABASE_URL": args.database_url or f"sqlite://{tmp / 'cinq.sqlite3'}",
        "CMS_MEDIA_ROOT": str(tmp / "media"),
    }
    cms(env, "migrate")
    cms(env, "demo", "--posts", "1000")
    (tmp / "bare_starlette.py").write_text(BARE_STARLETTE)
    cinq = ["--factory", "cms.app:from_env"]

    with server(cinq, env, ROOT, tmp, "/healthz") as url:
        operations = references(url, args.operation)
        for op in operations:
            (tmp / f"{op.name}.json").write_bytes(op.reference)
            (tmp / f"{op.name}.lua").write_text(lua_script(op.request.decode()))
            op.results.append(load("Cinq, cached", op, url, tmp, args))
    uncached = {**env, "CMS_RESPONSE_CACHE_ENTRIES": "0"}
    with server(cinq, uncached, ROOT, tmp, "/healthz") as url:
        for op in operations:
            if post(url, op.request) != op.reference:
                raise BenchError(f"Cinq without its cache answered {op.name} differently")
            op.results.append(load("Cinq, uncached", op, url, tmp, args))
    for op in operations:
        bare = {**env, "BENCH_REFERENCE": str(tmp / f"{op.name}.json")}
        with server(["bare_starlette:app"], bare, tmp, tmp, op.request) as url:
            if post(url, op.request) != op.reference:
                raise BenchError(f"bare Starlette's {op.name} answer differs from Cinq's bytes")
            op.results.append(load("bare Starlette", op, url, tmp, args))
    for op in operations:
        bare = {**env, "BENCH_REFERENCE": str(tmp / f"{op.name}.json")}
        module = f"bare_strawberry_{op.name.lower()}"
        (tmp / f"{module}.py").write_text(BARE_STRAWBERRY[op.name])
        with server([f"{module}:app"], bare, tmp, tmp, op.request) as url:
            if json.loads(post(url, op.request)) != op.answer:
                raise BenchError(f"bare Strawberry's {op.name} answer is not JSON-equal to Cinq's")
            op.results.append(load("bare Strawberry", op, url, tmp, args))
    return operations


def references(url: str, selected: str) -> list[Operation]:
    """The operations ``selected``, with Cinq's answers; PostPage's post is found on the front
    page, which is asked for even when it is not measured."""
    front_page = ask(url, "FrontPage", {"locale": LOCALE})
    edges = front_page.answer["data"]["posts"]["edges"]
    if len(edges) != 20:
        raise BenchError(f"Cinq's answer is not a 20-post page: {front_page.reference[:500]!r}")
    operations = [front_page] if selected in ("FrontPage", "all") else []
    if selected in ("PostPage", "all"):
        operations.append(post_page(url, [edge["node"] for edge in edges]))
    return operations


def post_page(url: str, cards: list[dict[str, Any]]) -> Operation:
    """PostPage for the newest of ``cards`` (front-page posts) whose page has everything the
    operation selects: a body, a category, tags, an author, and both neighbours in its series,
    in the locale asked for (not a fallback)."""
    for card in cards:
        if card["isFallback"] or card["seriesNumber"] is None:
            continue
        op = ask(url, "PostPage", {"slug": card["slug"], "locale": LOCALE})
        page = op.answer["data"]["post"]
        parts = ("body", "category", "author", "tags", "previous", "next")
        if page and all(page[part] for part in parts) and page["body"]["html"]:
            category, tags = page["category"]["name"], len(page["tags"])
            previous, following = page["previous"]["seriesNumber"], page["next"]["seriesNumber"]
            print(
                f"PostPage: post {page['slug']!r}, the newest on the front page with a body, "
                f"a category, tags, an author and both neighbours: #{page['seriesNumber']} of "
                f"{category!r} ({tags} tags, previous #{previous}, next #{following})",
                flush=True,
            )
            return op
    raise BenchError(
        f"no post of the front page in {LOCALE} has a body, a category, tags, an author and "
        "both a previous and a next post in its series: nothing to measure PostPage on"
    )


def ask(url: str, name: str, variables: dict[str, str]) -> Operation:
    """Cinq's answer to operation ``name``; an answer with errors stops the run."""
    query = (OPERATIONS / f"{name}.graphql").read_text()
    request = json.dumps({"query": query, "variables": variables}).encode()
    reference = post(url, request)
    if "errors" in json.loads(reference):
        raise BenchError(f"Cinq answered {name} with errors: {reference[:500]!r}")
    return Operation(name, variables, request, reference)


@contextmanager
def server(
    app: list[str], env: dict[str, str], cwd: Path, tmp: Path, probe: str | bytes
) -> Iterator[str]:
    """One uvicorn worker serving ``app``; yields the /graphql URL once it answers.

    ``probe`` is a path to GET (Cinq's /healthz) or a body to POST to /graphql.
    """
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", *app, "--app-dir", str(cwd), "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
    log_path = tmp / f"server-{port}.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    raise BenchError(f"{app[-1]} exited with {proc.returncode}:\n{tail(log_path)}")
                try:
                    if isinstance(probe, bytes):
                        post(f"{base}/graphql", probe)
                    else:
                        urllib.request.urlopen(base + probe, timeout=2).read()
                    break
                except (OSError, BenchError) as exc:
                    if time.monotonic() > deadline:
                        message = f"{app[-1]} did not answer ({exc}):\n{tail(log_path)}"
                        raise BenchError(message) from None
                    time.sleep(0.1)
            yield f"{base}/graphql"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def load(name: str, op: Operation, url: str, tmp: Path, args: argparse.Namespace) -> Result:
    """Warm up (discarded), then measure ``url`` with wrk sending ``op``."""
    print(f"{op.name}, {name}: warming up {args.warmup}s, measuring {args.duration}s…", flush=True)
    script = tmp / f"{op.name}.lua"
    if args.warmup > 0:
        wrk(url, script, args.connections, args.warmup)
    output = wrk(url, script, args.connections, args.duration)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if not (rps and p50 and p99):
        raise BenchError(f"cannot read wrk's output for {name} on {op.name}:\n{output}")
    return Result(name, float(rps[1]), to_ms(p50[1], p50[2]), to_ms(p99[1], p99[2]))


def wrk(url: str, script: Path, connections: int, duration: int) -> str:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    argv += ["-s", str(script), url]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise BenchError(f"wrk exited with {done.returncode}:\n{output}")
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise BenchError(f"wrk saw failed requests against {url}:\n{output}")
    return output


def post(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise BenchError(f"POST {url}: HTTP {exc.code}: {exc.read()[:500]!r}") from exc


def lua_script(body: str) -> str:
    level = 0
    while f"]{'=' * level}]" in body:
        level += 1
    eq = "=" * level
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = [{eq}[{body}]{eq}]\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def report(operations: list[Operation], args: argparse.Namespace) -> None:
    data: dict[str, Any] = {
        "duration_s": args.duration,
        "connections": args.connections,
        "database": "postgresql" if args.database_url else "sqlite",
        "operations": {},
    }
    for op in operations:
        variables = json.dumps(op.variables, ensure_ascii=False)
        print(f"\n{op.name} {variables}")
        print(f"{args.connections} connections, {args.duration}s, one uvicorn worker")
        print(f"{'server':<16} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
        for r in op.results:
            print(f"{r.name:<16} {r.requests_per_second:>10.1f} {r.p50_ms:>9.2f} {r.p99_ms:>9.2f}")
        ours = [r for r in op.results if r.name.startswith("Cinq")]
        baselines = [r for r in op.results if not r.name.startswith("Cinq")]
        ratios = {
            f"{cinq.name} / {base.name}": cinq.requests_per_second / base.requests_per_second
            for cinq in ours
            for base in baselines
        }
        print()
        for label, ratio in ratios.items():
            print(f"{label + ':':<34} {ratio:.3g} × the req/s ({ratio:.2%})")
        data["operations"][op.name] = {
            "operation": f"{op.name}.graphql",
            "variables": op.variables,
            "results": [asdict(r) for r in op.results],
            "ratios_req_per_s": ratios,
        }
    if len(operations) > 1:
        key = "Cinq, uncached / bare Strawberry"
        each = ", ".join(
            f"{name} {o['ratios_req_per_s'][key]:.3g}" for name, o in data["operations"].items()
        )
        print(f"\n{key}, the key ratio: {each}")
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
