"""Benchmark uncached reads with 1, 2 and 4 uvicorn workers on PostgreSQL.

What is measured: the site's ``FrontPage`` and ``PostPage`` operations (as ``bench.py`` sends
them), with the response cache off (``CMS_RESPONSE_CACHE_ENTRIES=0``, so every request runs
the query against the database), served by ``cms serve --workers N`` over a PostgreSQL
database holding the demo content plus 1,000 generated posts, and loaded by ``wrk -t1`` from
this machine. Each count of workers is warmed up, then measured; the machine's cores are
shared by the workers, PostgreSQL and wrk, which the report names.

Run from the repository root, with a PostgreSQL database the benchmark may fill::

    python scripts/bench_workers.py --database-url postgres://postgres@127.0.0.1:5432/bench \
        [--workers 1 2 4] [--duration 10] [--warmup 3] [--connections 32]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import LOCALE, ask, load, lua_script, post_page
from benchkit import ROOT, BenchError, cms, free_port, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to fill")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        print("several workers need PostgreSQL", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cinq-bench-") as folder:
        tmp = Path(folder)
        env = {
            **os.environ,
            "CMS_DATABASE_URL": args.database_url,
            "CMS_MEDIA_ROOT": str(tmp / "media"),
            "CMS_RESPONSE_CACHE_ENTRIES": "0",
            "CMS_JOB_POLL_INTERVAL": "0",
            "CMS_SCHEDULER_INTERVAL": "0",
        }
        cms(env, "migrate")
        cms(env, "demo", "--posts", "1000")
        rows = []
        for workers in args.workers:
            with serve(env, workers, tmp) as url:
                front = ask(url, "FrontPage", {"locale": LOCALE})
                cards = [e["node"] for e in front.answer["data"]["posts"]["edges"]]
                for op in (front, post_page(url, cards)):
                    (tmp / f"{op.name}.lua").write_text(lua_script(op.request.decode()))
                    result = load(f"{workers} worker(s)", op, url, tmp, args)
                    rows.append((op.name, workers, result))
    print(f"\n{os.cpu_count()} cores shared by the workers, PostgreSQL and wrk (-t1)")
    print(f"{'operation':<10} {'workers':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, workers, r in rows:
        rps, p50, p99 = r.requests_per_second, r.p50_ms, r.p99_ms
        print(f"{name:<10} {workers:>7} {rps:>9.1f} {p50:>8.2f} {p99:>8.2f}")
    return 0


class serve:
    """``cms serve --workers N`` on a free port; the /graphql URL once every worker is up."""

    def __init__(self, env: dict[str, str], workers: int, tmp: Path) -> None:
        self.port = free_port()
        self.log = tmp / f"serve-{workers}.log"
        self.argv = [sys.executable, "-m", "cms.cli", "serve", "--no-jobs"]
        self.argv += ["--port", str(self.port), "--workers", str(workers)]
        self.env = {**env, "CMS_LOG_LEVEL": "WARNING"}

    def __enter__(self) -> str:
        self.handle = self.log.open("wb")
        self.proc = subprocess.Popen(
            self.argv, env=self.env, cwd=ROOT, stdout=self.handle, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise BenchError(f"cms serve exited:\n{tail(self.log)}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise BenchError(f"cms serve did not come up:\n{tail(self.log)}") from None
                time.sleep(0.2)
        time.sleep(2)  # the other workers finish starting
        return f"http://127.0.0.1:{self.port}/graphql"

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.handle.close()


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as error:
        print(f"bench_workers: {error}", file=sys.stderr)
        raise SystemExit(1) from None
