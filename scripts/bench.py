"""Benchmark Cinq's front-page query against two baselines, with wrk.

What is measured: requests per second and p50/p99 latency of one GraphQL operation, the
front page of a blog (``schema/operations/FrontPage.graphql``, 20 posts with their category,
tags and author, in en-CA with its fr-CA fallback), served by ONE uvicorn worker on
127.0.0.1 and loaded by ``wrk -t1`` (one core for the server, one for wrk on a 2-core box).
The database is a fresh SQLite file holding the demo content plus 1,000 generated posts in
two locales (``cms demo --posts 1000``), or the PostgreSQL database given with
``--database-url`` (use an empty one: the demo adds 1,000 posts on every run).

Four servers are started one after the other (start, warm up, measure, stop):

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
before it is loaded, and any non-2xx response or socket error during a run is fatal.

Run from the repository root, with wrk installed (``apt-get install wrk``)::

    python scripts/bench.py [--duration 10] [--connections 16] [--warmup 3]
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
from dataclasses import asdict, dataclass
from pathlib import Path

from benchkit import ROOT, BenchError, cms, free_port, tail

OPERATION = ROOT / "schema" / "operations" / "FrontPage.graphql"
VARIABLES = {"locale": "en-CA"}

BARE_STARLETTE = """\
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = (Path(__file__).parent / "reference.json").read_bytes()


async def graphql(request):
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])
"""

BARE_STRAWBERRY = """\
import json
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

DATA = json.loads((Path(__file__).parent / "reference.json").read_text())["data"]["posts"]
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


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
            results = run(args, Path(tmp))
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    report(results, args)
    return 0


def run(args: argparse.Namespace, tmp: Path) -> list[Result]:
    request = json.dumps({"query": OPERATION.read_text(), "variables": VARIABLES}).encode()
    (tmp / "request.lua").write_text(lua_script(request.decode()))
    env = {
        **os.environ,
        "CMS_DATABASE_URL": args.database_url or f"sqlite://{tmp / 'cinq.sqlite3'}",
        "CMS_MEDIA_ROOT": str(tmp / "media"),
    }
    cms(env, "migrate")
    cms(env, "demo", "--posts", "1000")
    (tmp / "bare_starlette.py").write_text(BARE_STARLETTE)
    (tmp / "bare_strawberry.py").write_text(BARE_STRAWBERRY)

    results: list[Result] = []
    with server(["--factory", "cms.app:from_env"], env, ROOT, tmp, "/healthz") as url:
        reference = post(url, request)
        answer = json.loads(reference)
        if "errors" in answer or len(answer["data"]["posts"]["edges"]) != 20:
            raise BenchError(f"Cinq's answer is not a 20-post page: {reference[:500]!r}")
        (tmp / "reference.json").write_bytes(reference)
        results.append(load("Cinq, cached", url, tmp, args))
    uncached = {**env, "CMS_RESPONSE_CACHE_ENTRIES": "0"}
    with server(["--factory", "cms.app:from_env"], uncached, ROOT, tmp, "/healthz") as url:
        if post(url, request) != reference:
            raise BenchError("Cinq without its cache answered differently")
        results.append(load("Cinq, uncached", url, tmp, args))
    with server(["bare_starlette:app"], env, tmp, tmp, request) as url:
        if post(url, request) != reference:
            raise BenchError("bare Starlette's answer differs from Cinq's bytes")
        results.append(load("bare Starlette", url, tmp, args))
    with server(["bare_strawberry:app"], env, tmp, tmp, request) as url:
        if json.loads(post(url, request)) != answer:
            raise BenchError("bare Strawberry's answer is not JSON-equal to Cinq's")
        results.append(load("bare Strawberry", url, tmp, args))
    return results


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


def load(name: str, url: str, tmp: Path, args: argparse.Namespace) -> Result:
    """Warm up (discarded), then measure ``url`` with wrk."""
    print(f"{name}: warming up {args.warmup}s, measuring {args.duration}s…", flush=True)
    if args.warmup > 0:
        wrk(url, tmp, args.connections, args.warmup)
    output = wrk(url, tmp, args.connections, args.duration)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if not (rps and p50 and p99):
        raise BenchError(f"cannot read wrk's output for {name}:\n{output}")
    return Result(name, float(rps[1]), to_ms(p50[1], p50[2]), to_ms(p99[1], p99[2]))


def wrk(url: str, tmp: Path, connections: int, duration: int) -> str:
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    argv += ["-s", str(tmp / "request.lua"), url]
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


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(f"\nFrontPage, {args.connections} connections, {args.duration}s, one uvicorn worker")
    print(f"{'server':<16} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
    for r in results:
        print(f"{r.name:<16} {r.requests_per_second:>10.1f} {r.p50_ms:>9.2f} {r.p99_ms:>9.2f}")
    ours = [r for r in results if r.name.startswith("Cinq")]
    baselines = [r for r in results if not r.name.startswith("Cinq")]
    ratios = {
        f"{cinq.name} / {base.name}": cinq.requests_per_second / base.requests_per_second
        for cinq in ours
        for base in baselines
    }
    print()
    for label, ratio in ratios.items():
        print(f"{label + ':':<34} {ratio:.3g} × the req/s ({ratio:.2%})")
    if args.json:
        data = {
            "operation": OPERATION.name,
            "variables": VARIABLES,
            "duration_s": args.duration,
            "connections": args.connections,
            "database": "postgresql" if args.database_url else "sqlite",
            "results": [asdict(r) for r in results],
            "ratios_req_per_s": ratios,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
