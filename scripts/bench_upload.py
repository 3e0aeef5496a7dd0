"""Benchmark one large upload through Cinq's streaming multipart parser.

What is measured: ONE GraphQL multipart ``uploadMedia`` request carrying a ``--size-mb`` file
(200 MiB by default: a PDF header then random bytes, so no image is decoded), sent to ONE
uvicorn worker on 127.0.0.1 over a fresh SQLite database and media root in a temporary folder:

* wall time and throughput of the upload, from its first byte sent to the full response;
* the server's peak RSS growth (``VmRSS`` read every 10 ms, minus its level just before). The
  parser streams to disk, so memory must not grow with the file: goal < 50 MiB;
* ``GET /healthz`` latency, probed on a second connection throughout: parsing and hashing must
  not hog the worker's event loop, which serves every other request too. Goal: p99 < 50 ms.

The client streams as well: the body is generated from the file in 1 MiB blocks, with an exact
Content-Length. The answer is checked (no errors; size and SHA-256 those of the file), then the
media root (exactly one blob, no ``.part`` file left in ``.tmp``). MB means MiB (2**20 bytes).

Run from the repository root, on Linux (RSS comes from /proc); exit status 0 when both goals
are met, 3 when one is missed, 1 when the benchmark could not run::

    python scripts/bench_upload.py [--size-mb 200] [--probe-interval-ms 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from benchkit import ROOT, BenchError, cms, free_port, tail

MB = 1 << 20
MUTATION = (
    "mutation($file: Upload!) { uploadMedia(file: $file) "
    "{ media { id size sha256 contentType } errors { code message } } }"
)
RSS_GOAL_MB = 50.0
P99_GOAL_MS = 50.0


@dataclass
class Result:
    size_bytes: int
    upload_s: float
    mb_per_s: float
    rss_baseline_mb: float
    rss_peak_mb: float
    rss_growth_mb: float
    healthz_count: int
    healthz_p50_ms: float
    healthz_p99_ms: float
    healthz_max_ms: float
    rss_pass: bool
    latency_pass: bool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200, help="size of the uploaded file")
    parser.add_argument("--probe-interval-ms", type=float, default=10, help="pause between probes")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    args = parser.parse_args()
    if args.size_mb < 1 or not Path("/proc/self/status").exists():
        parser.error("needs --size-mb >= 1 and Linux's /proc")
    try:
        with tempfile.TemporaryDirectory(prefix="cinq-bench-upload-") as tmp:
            result = run(args, Path(tmp))
    except BenchError as exc:
        print(f"bench_upload: {exc}", file=sys.stderr)
        return 1
    report(result, args)
    return 0 if result.rss_pass and result.latency_pass else 3


def run(args: argparse.Namespace, tmp: Path) -> Result:
    size, media_root = args.size_mb * MB, tmp / "media"
    env = {
        **os.environ,
        "CMS_DATABASE_URL": f"sqlite://{tmp / 'cinq.sqlite3'}",
        "CMS_MEDIA_ROOT": str(media_root),
        "CMS_MAX_UPLOAD_BYTES": str(size + MB),  # the file plus room for the envelope
        "CMS_SCHEDULER_INTERVAL": "0",
    }
    cms(env, "migrate")
    token = cms(env, "token", "create", "--role", "author", "--name", "bench").strip()
    print(f"writing a {args.size_mb} MiB file…", flush=True)
    path = tmp / "bench.pdf"
    digest = write_file(path, args.size_mb)
    with server(env, tmp) as (port, pid), ThreadPoolExecutor(2) as pool:
        stop = threading.Event()
        samples: list[tuple[float, int]] = []  # (time, server's VmRSS in kB)
        latencies: list[float] = []  # /healthz, ms
        sampler = pool.submit(sample_rss, pid, samples, stop)
        time.sleep(0.5)  # a baseline to compare with
        prober = pool.submit(probe, port, latencies, stop, args.probe_interval_ms / 1000)
        print(f"uploading {args.size_mb} MiB…", flush=True)
        start = time.monotonic()
        try:
            status, answer = upload(port, token, path)
        finally:
            end = time.monotonic()
            stop.set()
        prober.result()
        sampler.result()
    check(status, answer, size, digest, media_root)
    baseline = [kb for t, kb in samples if t < start][-1] / 1024
    peak = max([kb for t, kb in samples if t >= start], default=samples[-1][1]) / 1024
    if not latencies:
        raise BenchError("no /healthz probe completed during the upload")
    latencies.sort()
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return Result(
        size, end - start, size / MB / (end - start), baseline, peak, peak - baseline,
        len(latencies), p50, p99, latencies[-1],
        peak - baseline < RSS_GOAL_MB, p99 < P99_GOAL_MS,
    )  # fmt: skip


def write_file(path: Path, size_mb: int) -> str:
    """A PDF header, then random bytes, written in 1 MiB blocks; returns the SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for i in range(size_mb):
            block = os.urandom(MB)
            if i == 0:
                block = b"%PDF-1.4\n" + block[9:]
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


@contextmanager
def server(env: dict[str, str], tmp: Path) -> Iterator[tuple[int, int]]:
    """One uvicorn worker serving Cinq; yields its port and pid once /healthz answers."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", "cms.app:from_env", "--host"]
    argv += ["127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                if proc.poll() is not None:
                    raise BenchError(f"uvicorn exited with {proc.returncode}:\n{tail(log_path)}")
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                    break
                except OSError as exc:
                    if time.monotonic() > deadline:
                        raise BenchError(f"no /healthz ({exc}):\n{tail(log_path)}") from None
                    time.sleep(0.1)
            yield port, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def sample_rss(pid: int, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    """Append (time, VmRSS in kB) of ``pid`` every 10 ms until ``stop``."""
    status = Path(f"/proc/{pid}/status")
    while not stop.is_set():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                samples.append((time.monotonic(), int(line.split()[1])))
        stop.wait(0.01)


def probe(port: int, latencies: list[float], stop: threading.Event, pause: float) -> None:
    """GET /healthz on its own keep-alive connection until ``stop``; latencies in ms."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        while not stop.is_set():
            began = time.perf_counter()
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise BenchError(f"/healthz answered {response.status}: {body[:300]!r}")
            stop.wait(pause)
    finally:
        conn.close()


def upload(port: int, token: str, path: Path) -> tuple[int, bytes]:
    """POST the file as a GraphQL multipart request, streamed from disk; the status and body."""
    boundary = f"cinq-bench-{os.urandom(12).hex()}"
    operations = json.dumps({"query": MUTATION, "variables": {"file": None}})
    mapping = json.dumps({"0": ["variables.file"]})
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="%s"%s\r\n%s\r\n'
    head = (
        part % ("operations", "", "") + operations + "\r\n"
        + part % ("map", "", "") + mapping + "\r\n"
        + part % ("0", f'; filename="{path.name}"', "Content-Type: application/pdf\r\n")
    ).encode()  # fmt: skip
    end = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        with path.open("rb") as file:
            while block := file.read(MB):
                yield block
        yield end

    headers = {
        "Authorization": f"Bearer {token}",
        "Apollo-Require-Preflight": "true",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head) + path.stat().st_size + len(end)),
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    sent: OSError | None = None
    try:
        conn.request("POST", "/graphql", body=body(), headers=headers)
    except OSError as exc:  # refused part-way: the answer may be readable all the same
        sent = exc
    try:
        response = conn.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"the upload failed: {sent or exc!r}") from exc
    finally:
        conn.close()


def check(status: int, answer: bytes, size: int, digest: str, root: Path) -> None:
    """The answer describes the file sent, stored as one blob with no temporary file left."""
    try:
        result = json.loads(answer)["data"]["uploadMedia"]
        media, errors = result["media"], result["errors"]
    except (ValueError, KeyError, TypeError):
        media = errors = None
    if status != 200 or errors or not media:
        raise BenchError(f"upload refused: HTTP {status}: {answer[:1000]!r}")
    if media["size"] != size or media["sha256"] != digest:
        raise BenchError(f"stored {media} but sent {size} bytes with SHA-256 {digest}")
    parts = sorted(p.name for p in (root / ".tmp").glob("*.part"))
    if parts:
        raise BenchError(f"temporary files left in {root / '.tmp'}: {parts}")
    blobs = [p for p in (root / "blobs").rglob("*") if p.is_file()]
    if [p.name for p in blobs] != [digest]:
        raise BenchError(f"expected exactly the blob {digest}, found {blobs}")


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def report(r: Result, args: argparse.Namespace) -> None:
    def line(label: str, value: str, note: str = "") -> None:
        print(f"{label:<17}{value:<12}{note}".rstrip())

    verdict = {True: "PASS", False: "FAIL"}
    rss_goal = f"goal < {RSS_GOAL_MB:g} MiB: {verdict[r.rss_pass]}"
    p99_goal = f"goal < {P99_GOAL_MS:g} ms: {verdict[r.latency_pass]}"
    print("\nOne GraphQL multipart upload of a PDF, one uvicorn worker, SQLite")
    line("file size", f"{r.size_bytes / MB:.0f} MiB", f"({r.size_bytes:,} bytes)")
    line("upload", f"{r.upload_s:.2f} s", f"({r.mb_per_s:.1f} MiB/s)")
    line("server RSS", f"{r.rss_baseline_mb:.1f} MiB", f"before, {r.rss_peak_mb:.1f} MiB at peak")
    line("peak RSS growth", f"{r.rss_growth_mb:.1f} MiB", rss_goal)
    line("/healthz p50", f"{r.healthz_p50_ms:.2f} ms", f"({r.healthz_count} probes during upload)")
    line("/healthz p99", f"{r.healthz_p99_ms:.2f} ms", p99_goal)
    line("/healthz max", f"{r.healthz_max_ms:.2f} ms")
    if args.json:
        data = {**asdict(r), "rss_goal_mb": RSS_GOAL_MB, "p99_goal_ms": P99_GOAL_MS}
        args.json.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
