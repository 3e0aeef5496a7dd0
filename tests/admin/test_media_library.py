"""The media library in a real browser: upload several files with a progress bar each, watch
them become ready, find them, and write their alternative text in every locale."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import httpx
import pytest
from PIL import Image
from playwright.async_api import expect

from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Job, JobStatus, Media, MediaStatus, Role, TokenScope
from cms.services import accounts
from tests.admin.conftest import PHONE, AdminApp, announced
from tests.admin.test_accessibility import check_screen
from tests.auth import make_account
from tests.factories import make_post
from tests.media.test_uploads import png

pytestmark = pytest.mark.server

FOCAL = "query($id: ID!) { media(id: $id) { focalPoint { x y } } }"
ALTS = 'query($id: ID!) { media(id: $id) { altTexts { locale text } alt(locale: "en-CA") } }'


def two_tone(width: int, height: int) -> bytes:
    """Blue on the left half, red on the right: where a crop sits shows in its colour."""
    image = Image.new("RGB", (width, height), (30, 30, 200))
    image.paste((200, 30, 30), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def redness(content: bytes) -> float:
    """The share of an image's pixels that are red rather than blue."""
    with Image.open(io.BytesIO(content)) as image:
        raw = image.convert("RGB").tobytes()
    reds, blues = raw[0::3], raw[2::3]
    return sum(1 for r, b in zip(reds, blues, strict=True) if r > b) / len(reds)


async def _fetched(admin: AdminApp, url: str | None) -> bytes:
    assert url
    async with httpx.AsyncClient(base_url=admin.url) as http:
        response = await http.get(url)
    assert response.status_code == 200, url
    return response.content


async def test_upload_two_images_see_them_ready_and_write_their_alt_text(
    admin: AdminApp, tmp_path
) -> None:
    room = tmp_path / "salle-comble.png"
    room.write_bytes(two_tone(640, 400))
    stage = tmp_path / "scene.png"
    stage.write_bytes(png(320, 320, (30, 30, 200)))
    page = await admin.page(await admin.writer(Role.AUTHOR), "/admin/")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Media").click()
    await expect(page.get_by_role("heading", level=1, name="Media")).to_be_focused()
    await expect(page.get_by_role("status").filter(has_text="No file")).to_be_visible()
    await page.get_by_label("Files").set_input_files([str(room), str(stage)])
    await page.get_by_role("button", name="Upload", exact=True).click()

    # A progress bar per file, each full once its file is in.
    for name in ("salle-comble.png", "scene.png"):
        await expect(page.get_by_role("progressbar", name=name)).to_have_attribute("value", "100")
    await announced(page, "2 of 2 files uploaded.")
    library = page.get_by_role("list", name="Library")
    room_card = library.get_by_role("button", name="salle-comble.png")
    await expect(room_card).to_contain_text("Processing")
    assert await Media.all().count() == 2

    # The renditions are made in the background; the page sees the files become ready.
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()
    await expect(room_card).to_contain_text("Ready", timeout=15_000)
    await expect(library.get_by_role("button", name="scene.png")).to_contain_text("Ready")
    await expect(room_card.locator("img")).to_have_attribute("src", re.compile(r"/media/"))

    # Found by name, whatever the case; the other one is not shown.
    search = page.get_by_label("Search media")
    await search.fill("SALLE")
    await expect(library.get_by_role("button")).to_have_count(1)
    await search.fill("")
    await expect(library.get_by_role("button")).to_have_count(2)
    await page.get_by_role("button", name="List", exact=True).click()
    await expect(page.get_by_role("button", name="List", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(room_card).to_contain_text("KB")

    await room_card.click()
    detail = page.get_by_role("region", name="salle-comble.png")
    await expect(detail.get_by_role("heading", name="salle-comble.png")).to_be_focused()
    await expect(detail).to_contain_text("640 × 400")
    await detail.get_by_label("Alt text (fr-CA)").fill("Une salle bondée, rue Saint-Denis")
    await detail.get_by_label("Alt text (en-CA)").fill("A packed room on Saint-Denis Street")
    await check_screen(page)
    await detail.get_by_role("button", name="Save alt text").click()
    await announced(page, "Alt text saved.")

    media = await Media.get(original_filename="salle-comble.png")
    issued = await accounts.issue_token(
        await make_account(Role.EDITOR), "reads the library", TokenScope.FULL
    )
    stored = (await admin.graphql(ALTS, token=issued.secret, id=str(media.id)))["media"]
    assert stored["altTexts"] == [
        {"locale": "fr-CA", "text": "Une salle bondée, rue Saint-Denis"},
        {"locale": "en-CA", "text": "A packed room on Saint-Denis Street"},
    ]
    # Found by its alternative text, accents folded.
    await search.fill("BONDEE")
    await expect(library.get_by_role("button")).to_have_count(1)

    # The focal point, clicked on the red right-hand side: the crops are made again there.
    square = detail.get_by_role("img", name="1:1 crop")
    await expect(detail.get_by_role("img", name="16:9 crop")).to_be_visible()
    centred = await square.get_attribute("src")
    assert redness(await _fetched(admin, centred)) < 0.7  # half blue, half red
    picker = detail.get_by_role("button", name="Image: click its subject")
    box = await picker.bounding_box()
    assert box is not None
    await picker.click(position={"x": box["width"] * 0.85, "y": box["height"] * 0.5})
    await expect(detail.get_by_label("Across (%)")).to_have_value(re.compile(r"^8[4-6]$"))
    await expect(detail.get_by_label("Down (%)")).to_have_value(re.compile(r"^(49|50|51)$"))
    await detail.get_by_role("button", name="Save focal point").click()
    await announced(page, "Focal point saved. The crops are being made again.")
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()
    await expect(square).not_to_have_attribute("src", centred, timeout=15_000)
    assert redness(await _fetched(admin, await square.get_attribute("src"))) > 0.75
    point = (await admin.graphql(FOCAL, token=issued.secret, id=str(media.id)))["media"]
    assert abs(point["focalPoint"]["x"] - 0.85) <= 0.01

    # Back later, the fields show what was saved.
    await page.reload()
    await (
        page.get_by_role("list", name="Library")
        .get_by_role("button", name="salle-comble.png")
        .click()
    )
    await expect(page.get_by_label("Alt text (en-CA)")).to_have_value(
        "A packed room on Saint-Denis Street"
    )


async def test_a_file_that_is_not_an_image_is_refused_with_its_reason(
    admin: AdminApp, tmp_path
) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("not an image, whatever its name says")
    page = await admin.page(await admin.writer(), "/admin/media")

    await page.get_by_label("Files").set_input_files(str(notes))
    await page.get_by_role("button", name="Upload", exact=True).click()

    await announced(page, "0 of 1 files uploaded.")
    uploads = page.get_by_role("list", name="Uploads")
    await expect(uploads).to_contain_text("Not uploaded:")
    assert await Media.all().count() == 0


async def test_the_library_in_french_on_a_phone(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(), "/admin/media", viewport=PHONE, locale="fr-CA")

    await expect(page.get_by_role("heading", level=1, name="Médias")).to_be_visible()
    await expect(page.get_by_label("Fichiers")).to_be_attached()
    await expect(page.get_by_role("button", name="Téléverser", exact=True)).to_be_visible()
    await check_screen(page)


async def test_a_file_in_use_shows_where_and_cannot_be_deleted_an_unused_one_can(
    admin: AdminApp,
) -> None:
    used, spare = [
        await Media.create(
            original_filename=name,
            content_type="application/pdf",
            size=1000,
            sha256=digit * 64,
            storage_key=f"originals/{name}",
        )
        for name, digit in (("programme.pdf", "3"), ("brouillon.pdf", "4"))
    ]
    post = await make_post(
        translations={
            "en-CA": {
                "title": "Tuesday evenings",
                "slug": "tuesdays",
                "body": f"![](media:{used.id})",
            }
        },
        locales=("en-CA",),
    )
    page = await admin.page(await admin.writer(), "/admin/media")
    library = page.get_by_role("list", name="Library")

    await library.get_by_role("button", name="programme.pdf").click()
    detail = page.get_by_role("region", name="programme.pdf")
    await expect(detail.get_by_role("link", name="Tuesday evenings")).to_have_attribute(
        "href", f"/admin/posts/{post.id}"
    )
    await expect(detail).to_contain_text("text (en-CA)")
    await expect(detail.get_by_role("button", name="Delete", exact=True)).to_be_disabled()

    await library.get_by_role("button", name="brouillon.pdf").click()
    detail = page.get_by_role("region", name="brouillon.pdf")
    await expect(detail).to_contain_text("No post uses it.")
    await detail.get_by_role("button", name="Delete", exact=True).click()
    await (
        page.get_by_role("dialog", name="Delete this file?")
        .get_by_role("button", name="Delete")
        .click()
    )
    await announced(page, "“brouillon.pdf” was deleted.")
    await expect(library.get_by_role("button", name="brouillon.pdf")).to_have_count(0)
    assert not await Media.filter(id=spare.id).exists()
    assert await Media.filter(id=used.id).exists()


async def test_a_failed_file_says_why_and_is_tried_again(admin: AdminApp, tmp_path) -> None:
    photo = tmp_path / "terrasse.png"
    photo.write_bytes(png(400, 300))
    page = await admin.page(await admin.writer(), "/admin/media")
    await page.get_by_label("Files").set_input_files(str(photo))
    await page.get_by_role("button", name="Upload", exact=True).click()
    await announced(page, "1 of 1 files uploaded.")
    media = await Media.get(original_filename="terrasse.png")
    original = admin.settings.media_root / media.storage_key
    kept = original.read_bytes()
    original.write_bytes(b"damaged")
    worker = build_worker(admin.settings, LocalStorage(admin.settings.media_root))
    for _ in range(10):  # every attempt, without waiting for the backoff
        await Job.filter(status=JobStatus.PENDING).update(run_at=datetime.now(UTC))
        if not await worker.run_until_idle():
            break

    card = page.get_by_role("list", name="Library").get_by_role("button", name="terrasse.png")
    await expect(card).to_contain_text("Failed", timeout=15_000)
    await card.click()
    detail = page.get_by_role("region", name="terrasse.png")
    await expect(detail).to_contain_text("Its renditions could not be made:")
    original.write_bytes(kept)
    await detail.get_by_role("button", name="Try again").click()
    await announced(page, "terrasse.png: making its renditions again.")
    await expect(card).to_contain_text("Processing")
    await worker.run_until_idle()
    await expect(card).to_contain_text("Ready", timeout=15_000)


async def test_an_image_readers_see_without_alt_text_in_their_locale_is_flagged(
    admin: AdminApp,
) -> None:
    image = await Media.create(
        original_filename="terrasse.png",
        content_type="image/png",
        size=1000,
        sha256="5" * 64,
        storage_key="originals/terrasse.png",
        status=MediaStatus.READY,
        alt={"fr-CA": "Une terrasse du Plateau"},
    )
    await make_post(
        translations={
            "fr-CA": {"title": "Terrasses", "slug": "terrasses", "body": f"![](media:{image.id})"},
            "en-CA": {"title": "Patios", "slug": "patios", "body": f"![](media:{image.id})"},
        }
    )
    page = await admin.page(await admin.writer(), "/admin/media")
    card = page.get_by_role("list", name="Library").get_by_role("button", name="terrasse.png")
    await expect(card).to_have_accessible_description("No alt text: en-CA")
    await card.click()
    detail = page.get_by_role("region", name="terrasse.png")
    english = detail.get_by_label("Alt text (en-CA)")
    await expect(english).to_have_accessible_description(
        re.compile("published posts in this locale show it")
    )
    await expect(detail.get_by_label("Alt text (fr-CA)")).not_to_have_accessible_description(
        re.compile("published posts")
    )
    await english.fill("A patio on the Plateau")
    await detail.get_by_role("button", name="Save alt text").click()
    await announced(page, "Alt text saved.")
    await expect(card).not_to_contain_text("No alt text")
    await expect(detail.get_by_label("Alt text (en-CA)")).to_have_value("A patio on the Plateau")


async def test_an_editor_replaces_an_image_and_keeps_its_alt_text(admin: AdminApp) -> None:
    editor = await admin.writer(Role.EDITOR)
    page = await admin.page(editor, "/admin/media")
    await page.get_by_label("Files").set_input_files(
        [{"name": "terrasse.png", "mimeType": "image/png", "buffer": png(64, 48)}]
    )
    await page.get_by_role("button", name="Upload").click()
    await announced(page, "1 of 1 files uploaded.")
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()
    library = page.get_by_role("list", name="Library")
    await library.get_by_role("button", name="terrasse.png").click()
    detail = page.get_by_role("region", name="terrasse.png")
    await detail.get_by_label("Alt text (fr-CA)").fill("La terrasse")
    await detail.get_by_role("button", name="Save alt text").click()
    await announced(page, "Alt text saved.")
    media = await Media.get(original_filename="terrasse.png")

    await detail.get_by_label("New file").set_input_files(
        [{"name": "terrasse-ete.png", "mimeType": "image/png", "buffer": png(90, 60)}]
    )
    await detail.get_by_role("button", name="Replace", exact=True).click()
    await announced(page, "“terrasse.png” replaced by terrasse-ete.png.")
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()
    detail = page.get_by_role("region", name="terrasse-ete.png")
    await expect(detail).to_contain_text("90 × 60")
    await expect(detail.get_by_label("Alt text (fr-CA)")).to_have_value("La terrasse")
    await expect(library.get_by_role("button")).to_have_count(1)
    replaced = await Media.get(id=media.id)
    assert (replaced.original_filename, replaced.width, replaced.alt["fr-CA"]) == (
        "terrasse-ete.png",
        90,
        "La terrasse",
    )

    # A PDF cannot take an image's place: the server's reason is shown.
    await detail.get_by_label("New file").set_input_files(
        [{"name": "programme.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    await detail.get_by_role("button", name="Replace", exact=True).click()
    await expect(detail.get_by_role("status")).to_contain_text(
        "Not replaced: Replace an image with an image, and a PDF with a PDF."
    )
    assert (await Media.get(id=media.id)).content_type == "image/png"
