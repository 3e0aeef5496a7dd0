"""What the backup tests build and run: a site with some of everything, and steps that need a
database of their own.

The ORM is global to a process, so a step that opens another database (restore into a fresh
one, export it again) runs in a new Python process: :func:`run` starts
``python -m tests.transfer.archive_steps STEP ARGUMENTS`` and returns the JSON it prints.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from PIL import Image

from cms import db
from cms.app import build_worker
from cms.demo.load import load_demo
from cms.files.multipart import StoredUpload
from cms.files.sniff import HEAD_SIZE
from cms.files.storage import LocalStorage
from cms.models import Event, ImportedObject, Post, Redirect, Role, TokenScope
from cms.services import accounts, media, post_writing, sessions
from cms.services.webhooks import endpoints
from cms.settings import Settings
from cms.transfer.archive import export_site, restore_site

ROOT = Path(__file__).parents[2]
EMAIL = "editrice@example.test"
PASSWORD = "Ornithorynque-du-Plateau-2026"
#: A word only the post made by :func:`build_site` holds, in French and in English.
SEARCH_FR = "ornithorynque"
SEARCH_EN = "platypus"
LOCALES = ("fr-CA", "en-CA")


def image(width: int, height: int, colour: tuple[int, int, int], kind: str) -> bytes:
    """A real image: a gradient (so that JPEG has something to encode) in ``colour``."""
    picture = Image.new("RGB", (width, height), colour)
    for x in range(0, width, 4):
        for y in range(0, height, 4):
            picture.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, colour[2]))
    buffer = io.BytesIO()
    picture.save(buffer, kind)
    return buffer.getvalue()


async def store_image(
    storage: LocalStorage, settings: Settings, content: bytes, filename: str, account_id: int
) -> int:
    """Keep ``content`` through the upload service, as an upload would; the media id."""
    temp = storage.temp_path()
    temp.write_bytes(content)
    upload = StoredUpload(
        filename=filename,
        declared_type="",
        temp_path=temp,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        head=content[:HEAD_SIZE],
    )
    details = media.MediaDetails(alt={"fr-CA": f"Image {filename}", "en-CA": f"Picture {filename}"})
    kept = await media.store(
        upload, storage, details, account_id=account_id, max_pixels=settings.max_image_pixels
    )
    return kept.id


async def build_site(settings: Settings) -> dict[str, Any]:
    """The demo content and some of everything else a site holds; the secrets to check with.

    Bilingual posts and events (with tags, categories, occurrences, overrides), real images with
    their renditions used as covers, an account with a password and a session, an API token,
    a webhook endpoint with a pending delivery, revisions, an old slug, a redirect and the
    record of an imported object.
    """
    await load_demo(extra_posts=6)
    storage = LocalStorage(settings.media_root)
    await storage.start()
    editor = await accounts.create_account(EMAIL, "Éditrice", Role.EDITOR, password=PASSWORD)
    token = await accounts.issue_token(editor, "backup check", TokenScope.FULL)
    pictures = [
        await store_image(
            storage, settings, image(96, 64, (200, 30, 30), "PNG"), "rouge.png", editor.id
        ),
        await store_image(
            storage, settings, image(80, 120, (20, 90, 200), "JPEG"), "bleu.jpg", editor.id
        ),
        # The same bytes again: a second media row, one stored file.
        await store_image(
            storage, settings, image(96, 64, (200, 30, 30), "PNG"), "copie.png", editor.id
        ),
    ]
    await build_worker(settings, storage).run_until_idle()  # renditions

    webhook = await endpoints.create(
        "https://hooks.example.com/cinq", ["post.published"], allow_private=True
    )
    actor = post_writing.Actor.system(LOCALES, account_id=editor.id)
    post = await post_writing.create_post(
        actor,
        post_writing.PostFields(cover_id=pictures[0]),
        [
            post_writing.TranslationInput(
                "fr-CA",
                "L'ornithorynque du Plateau",
                "ornithorynque",
                excerpt="Un billet restauré.",
                body="## Rencontre\n\nUn **ornithorynque** au café du Plateau.",
            ),
            post_writing.TranslationInput(
                "en-CA",
                "The Plateau platypus",
                "platypus",
                body="## Meeting\n\nA **platypus** at the Plateau café.",
            ),
        ],
    )
    await post_writing.publish(actor, post.id, 1)  # queues a webhook delivery
    await post_writing.upsert_translation(
        actor,
        post.id,
        2,
        post_writing.TranslationInput(
            "fr-CA",
            "L'ornithorynque du Plateau",
            "ornithorynque-du-plateau",  # the old slug is remembered
            excerpt="Un billet restauré.",
            body="## Rencontre\n\nUn **ornithorynque** au café du Plateau.",
        ),
    )
    event = await Event.filter(status="published").order_by("id").first()
    assert event is not None
    await Event.filter(id=event.id).update(cover_id=pictures[1])
    await Redirect.create(
        path="/2019/05/ornithorynque", post_id=post.id, locale="fr-CA", origin="wordpress"
    )
    await ImportedObject.create(
        source="wordpress:https://ancien.example",
        kind="post",
        external_id="42",
        object_id=post.id,
        digest="0" * 64,
    )
    session = await sessions.sign_in(EMAIL, PASSWORD, sessions.Lifetime())
    assert session is not None
    return {
        "token": token.secret,
        "webhook_secret": webhook.secret,
        "webhook_id": webhook.endpoint.id,
        "post_id": post.id,
        "max_post_id": max(await Post.all().values_list("id", flat=True)),
    }


def _settings(url: str, media_root: str) -> Settings:
    return Settings(database_url=url, media_root=Path(media_root), change_poll_interval=0)


async def build_and_export(url: str, media_root: str, archive: str) -> dict[str, Any]:
    """Migrate a fresh database, build the site in it, export it."""
    settings = _settings(url, media_root)
    await db.migrate(settings)
    async with db.database(settings):
        secrets = await build_site(settings)
        manifest = await export_site(settings, Path(archive))
    return {"secrets": secrets, "manifest": json.loads(manifest.to_json())}


async def restore_and_export(url: str, media_root: str, archive: str, again: str) -> dict[str, Any]:
    """Migrate a fresh database, restore ``archive`` into it, then export it to ``again``."""
    settings = _settings(url, media_root)
    await db.migrate(settings)
    async with db.database(settings):
        restored = await restore_site(settings, Path(archive))
        exported = await export_site(settings, Path(again))
    return {
        "restored": json.loads(restored.to_json()),
        "exported": json.loads(exported.to_json()),
    }


async def behind(url: str, media_root: str, archive: str, migration: str) -> dict[str, str]:
    """Migrate a fresh database only up to ``migration``; what restoring ``archive`` into it and
    exporting it answer."""
    from cms.transfer.archive import ArchiveError
    from tests.migrating import migrate_to

    settings = _settings(url, media_root)
    await migrate_to(settings, f"models.{migration}")
    answers = {}
    async with db.database(settings):
        for name, attempt in (
            ("restore", restore_site(settings, Path(archive))),
            ("export", export_site(settings, Path(archive).with_name("behind.tar"))),
        ):
            try:
                await attempt
            except ArchiveError as error:
                answers[name] = str(error)
    return answers


STEPS = {
    "build-export": build_and_export,
    "restore-export": restore_and_export,
    "behind": behind,
}


def run(step: str, **arguments: str) -> dict[str, Any]:
    """Run one step in a new process; the JSON it answers."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.transfer.archive_steps", step, json.dumps(arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


if __name__ == "__main__":
    step, raw = sys.argv[1], sys.argv[2]
    print(json.dumps(asyncio.run(STEPS[step](**json.loads(raw)))))
