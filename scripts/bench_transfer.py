"""Benchmark whole-site export and restore (``cms.transfer.archive``) on a large site.

What is measured, per engine (a fresh SQLite file; PostgreSQL too with ``--postgres URL``):

* the site: ``--posts`` generated bilingual posts (10,000 by default) shaped like the demo's,
  Markdown bodies of 2-4 kB per locale with their derived HTML and text, tags and a category
  each; plus ``--images`` real, distinct images (1,000 by default; 640x480, half JPEG, half
  PNG, about 230 kB on average) stored in the media root as uploads are, each with its media
  row, the first ones used as post covers;
* ``export_site`` of that site to a tar, and ``restore_site`` of the tar into a fresh, migrated
  database and an empty media root: wall time of each, and the archive's size;
* the peak RSS of each, as the kernel records it (``resource.getrusage(RUSAGE_SELF)``), in a
  process of its own for each step (so export and restore do not share a high-water mark), next
  to the RSS of the same process just before the step (interpreter, Cinq and the ORM loaded).

Memory must not grow with the site: run it at two sizes and compare the peaks, e.g. the default
and ``--posts 2000 --images 200``. The restored site is checked: its manifest must equal the
export's.

Run from the repository root::

    python scripts/bench_transfer.py [--posts 10000] [--images 1000]
                                     [--postgres postgres://user@host/db] [--json out.json]

``--postgres`` names a server and a database to connect to; the benchmark creates two databases
of its own there and drops them at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchkit import ROOT, BenchError

MB = 1 << 20


@dataclass
class Result:
    engine: str
    posts: int
    images: int
    rows: int
    media_files: int
    media_mb: float
    archive_mb: float
    build_s: float
    export_s: float
    export_rss_before_mb: float
    export_rss_peak_mb: float
    restore_s: float
    restore_rss_before_mb: float
    restore_rss_peak_mb: float


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=1_000)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write results as JSON")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--arguments", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(asyncio.run(STEPS[args.step](**json.loads(args.arguments)))))
        return 0
    results = []
    try:
        for engine in ("sqlite", "postgres") if args.postgres else ("sqlite",):
            results.append(bench(engine, args))
    except BenchError as error:
        print(f"bench_transfer: {error}", file=sys.stderr)
        return 1
    report(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


def bench(engine: str, args: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory(prefix="cinq-bench-transfer-") as work:
        folder = Path(work)
        source = database(engine, folder, args.postgres)
        target = database(engine, folder, args.postgres)
        try:
            archive = folder / "site.tar"
            print(f"[{engine}] building {args.posts} posts and {args.images} images…", flush=True)
            built = step(
                "build",
                url=source,
                media_root=str(folder / "media-source"),
                posts=args.posts,
                images=args.images,
            )
            print(f"[{engine}] exporting…", flush=True)
            exported = step(
                "export", url=source, media_root=str(folder / "media-source"), archive=str(archive)
            )
            step("migrate", url=target, media_root=str(folder / "media-target"))
            print(f"[{engine}] restoring…", flush=True)
            restored = step(
                "restore", url=target, media_root=str(folder / "media-target"), archive=str(archive)
            )
            if restored["manifest"] != exported["manifest"]:
                raise BenchError("the restored site's manifest differs from the export's")
            manifest = exported["manifest"]
            return Result(
                engine=engine,
                posts=args.posts,
                images=args.images,
                rows=sum(t["rows"] for t in manifest["tables"].values()),
                media_files=len(manifest["media"]),
                media_mb=round(sum(m["bytes"] for m in manifest["media"].values()) / MB, 1),
                archive_mb=round(archive.stat().st_size / MB, 1),
                build_s=built["seconds"],
                export_s=exported["seconds"],
                export_rss_before_mb=exported["rss_before_mb"],
                export_rss_peak_mb=exported["rss_peak_mb"],
                restore_s=restored["seconds"],
                restore_rss_before_mb=restored["rss_before_mb"],
                restore_rss_peak_mb=restored["rss_peak_mb"],
            )
        finally:
            if engine == "postgres":
                for url in (source, target):
                    asyncio.run(_drop(args.postgres, url))


def database(engine: str, folder: Path, postgres: str | None) -> str:
    """The URL of a new, empty database of ``engine``."""
    if engine == "sqlite":
        return f"sqlite://{folder / f'{uuid.uuid4().hex[:8]}.sqlite3'}"
    assert postgres is not None
    name = f"cinq_bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(postgres, f'CREATE DATABASE "{name}"'))
    parts = urlsplit(postgres)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


async def _admin(server: str, statement: str) -> None:
    import asyncpg

    parts = urlsplit(server)
    dsn = urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _drop(server: str, url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def step(name: str, **arguments: Any) -> dict[str, Any]:
    """Run one step in a new process (its own RSS high-water mark); the JSON it prints."""
    done = subprocess.run(
        [sys.executable, __file__, "--step", name, "--arguments", json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"step {name} failed:\n{(done.stdout + done.stderr).strip()[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def report(results: list[Result]) -> None:
    print()
    print(
        f"{'engine':<9}{'posts':>7}{'images':>7}{'rows':>8}{'media MB':>9}{'tar MB':>8}"
        f"{'export s':>9}{'RSS MB':>13}{'restore s':>10}{'RSS MB':>13}"
    )
    for r in results:
        print(
            f"{r.engine:<9}{r.posts:>7}{r.images:>7}{r.rows:>8}{r.media_mb:>9}{r.archive_mb:>8}"
            f"{r.export_s:>9}{f'{r.export_rss_before_mb}->{r.export_rss_peak_mb}':>13}"
            f"{r.restore_s:>10}{f'{r.restore_rss_before_mb}->{r.restore_rss_peak_mb}':>13}"
        )
    print("RSS: before the step -> peak of the step's process (ru_maxrss)")


# --- the steps, each run in a process of its own ---------------------------------------------


def _settings(url: str, media_root: str) -> Any:
    from cms.settings import Settings

    return Settings(database_url=url, media_root=Path(media_root))


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # kB on Linux


async def build_step(url: str, media_root: str, posts: int, images: int) -> dict[str, Any]:
    from cms import db
    from cms.demo.load import load_demo

    settings = _settings(url, media_root)
    started = time.perf_counter()
    await db.migrate(settings)
    async with db.database(settings):
        await load_demo(extra_posts=posts)
        await _store_images(settings, images)
        await db.refresh_statistics()
    return {"seconds": round(time.perf_counter() - started, 1)}


async def _store_images(settings: Any, count: int) -> None:
    """``count`` distinct images, stored as uploads are (content-addressed), with their rows;
    the newest posts get the first ones as covers."""
    import hashlib

    from cms.files.storage import LocalStorage
    from cms.models import Media, MediaStatus, Post

    storage = LocalStorage(settings.media_root)
    await storage.start()
    rows = []
    for index in range(count):
        kind = "JPEG" if index % 2 == 0 else "PNG"
        content = _image(index, kind)
        sha256 = hashlib.sha256(content).hexdigest()
        temp = storage.temp_path()
        temp.write_bytes(content)
        key = await storage.commit(temp, sha256)
        rows.append(
            Media(
                original_filename=f"photo-{index}.{kind.lower()}",
                content_type=f"image/{kind.lower()}",
                size=len(content),
                sha256=sha256,
                storage_key=key,
                width=640,
                height=480,
                alt={"fr-CA": f"Photo {index}", "en-CA": f"Picture {index}"},
                status=MediaStatus.READY,
            )
        )
        if len(rows) == 200:
            await Media.bulk_create(rows)
            rows = []
    if rows:
        await Media.bulk_create(rows)
    media_ids = await Media.all().order_by("id").values_list("id", flat=True)
    post_ids = await Post.all().order_by("-id").limit(len(media_ids)).values_list("id", flat=True)
    for post_id, media_id in zip(post_ids, media_ids, strict=False):
        await Post.filter(id=post_id).update(cover_id=media_id)


def _image(index: int, kind: str) -> bytes:
    """A distinct 640x480 picture: coloured shapes under a little noise (so that it does not
    compress to nothing)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(index)

    def colour() -> tuple[int, int, int]:
        return (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))

    width, height = 640, 480
    picture = Image.new("RGB", (width, height), colour())
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.ellipse([x, y, x + rnd.randrange(40, 300), y + rnd.randrange(40, 300)], fill=colour())
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    picture = Image.blend(picture, noise, 0.15)
    buffer = io.BytesIO()
    options = {"quality": 85} if kind == "JPEG" else {"compress_level": 1}
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


async def migrate_step(url: str, media_root: str) -> dict[str, Any]:
    from cms import db

    await db.migrate(_settings(url, media_root))
    return {}


async def export_step(url: str, media_root: str, archive: str) -> dict[str, Any]:
    from cms import db
    from cms.transfer.archive import export_site

    settings = _settings(url, media_root)
    async with db.database(settings):
        before = _peak_mb()
        started = time.perf_counter()
        manifest = await export_site(settings, Path(archive))
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "rss_before_mb": before,
        "rss_peak_mb": _peak_mb(),
        "manifest": json.loads(manifest.to_json()),
    }


async def restore_step(url: str, media_root: str, archive: str) -> dict[str, Any]:
    from cms import db
    from cms.transfer.archive import restore_site

    settings = _settings(url, media_root)
    async with db.database(settings):
        before = _peak_mb()
        started = time.perf_counter()
        manifest = await restore_site(settings, Path(archive))
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "rss_before_mb": before,
        "rss_peak_mb": _peak_mb(),
        "manifest": json.loads(manifest.to_json()),
    }


STEPS = {
    "build": build_step,
    "migrate": migrate_step,
    "export": export_step,
    "restore": restore_step,
}


if __name__ == "__main__":
    sys.exit(main())
