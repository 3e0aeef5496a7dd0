"""The main screens with realistic bilingual content, saved as pictures for the README.

The pictures are written on the SQLite run only (the same screens are checked on every
database); content and dates are fixed so that they change little from one run to the next.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from PIL import Image, ImageDraw
from playwright.async_api import Page, expect

from cms.app import build_worker
from cms.demo.load import load_demo
from cms.files.storage import LocalStorage
from cms.models import Account, Post, PostTranslation, Revision, Role, TokenScope
from cms.services import accounts, post_writing
from cms.services.post_writing import PostFields, TranslationInput
from tests.admin.conftest import DESKTOP, PHONE, SCREENSHOTS, AdminApp
from tests.factories import make_author, make_category, make_tag
from tests.media.test_uploads import PREFLIGHT, multipart

pytestmark = pytest.mark.server

DAY = datetime(2026, 3, 3, 19, 30, tzinfo=UTC)


def text(*paragraphs: str) -> str:
    """Markdown paragraphs, a blank line apart."""
    return "\n\n".join(paragraphs)


TUESDAYS_FR = text(
    (
        "Chaque mardi, dès 17 h, une trentaine de personnes se retrouvent au deuxième étage "
        "d'un bar de la rue Saint-Denis. Certaines viennent d'arriver à Montréal, d'autres y "
        "ont grandi; toutes ont envie de parler d'autre chose que de la météo."
    ),
    "## Une formule sans chichis",
    (
        "Pas de conférence, pas de badge, pas d'inscription : on arrive quand on veut et on "
        "repart quand on veut. Les organisateurs présentent les nouveaux venus aux habitués, "
        "puis laissent les conversations faire leur chemin."
    ),
    (
        "- l'entrée est gratuite;\n"
        "- la soirée se déroule en français **et** en anglais;\n"
        "- le public a surtout entre 25 et 35 ans, mais tout le monde est bienvenu."
    ),
    "## Pourquoi ça marche",
    (
        "Parce qu'on y vient sans objectif précis. C'est souvent au détour d'une conversation"
        " sur un restaurant ou un match du Canadien qu'apparaît le contact utile. Les dates "
        "des prochaines soirées sont sur [la page du "
        "groupe](https://example.org/mardis-reseautage)."
    ),
)

TUESDAYS_EN = text(
    (
        "Every Tuesday from 5 p.m., some thirty people meet on the second floor of a bar on "
        "Saint-Denis Street. Some have just arrived in Montreal, others grew up here; all of "
        "them want to talk about something other than the weather."
    ),
    "## A no-frills format",
    (
        "No talks, no name tags, no sign-up: come when you like and leave when you like. The "
        "organizers introduce newcomers to the regulars, then let the conversations find "
        "their own way."
    ),
    (
        "- admission is free;\n"
        "- the evening happens in French **and** English;\n"
        "- most people are between 25 and 35, but everyone is welcome."
    ),
    "## Why it works",
    (
        "Because nobody comes with a precise goal. The useful contact often turns up in the "
        "middle of a chat about a restaurant or a Canadiens game. Dates for the next evenings"
        " are on [the group's page](https://example.org/tuesday-networking)."
    ),
)

LINGO_FR_V1 = text(
    (
        "Le mercredi soir, un café du Mile End se transforme en tour de Babel bon enfant. À "
        "l'entrée, on choisit des drapeaux à coller sur son chandail : ceux des langues qu'on"
        " parle, et celles qu'on aimerait pratiquer."
    ),
    (
        "Les tables se forment au hasard. En une heure, on passe de l'espagnol au portugais, "
        "puis on revient au français pour reprendre son souffle."
    ),
    "On repart avec trois numéros de téléphone et l'envie de revenir.",
)

LINGO_FR_V2 = text(
    (
        "Le mercredi soir, un café du Mile End se transforme en tour de Babel bon enfant. À "
        "l'entrée, on choisit des pastilles à coller sur son chandail : celles des langues "
        "qu'on parle, et celles qu'on aimerait pratiquer."
    ),
    (
        "Les tables se forment au hasard. En une heure, on passe de l'espagnol au portugais, "
        "puis on revient au français pour reprendre son souffle. Les habitués aident "
        "volontiers les débutants."
    ),
    "La soirée existe aussi à Toronto, le jeudi.",
    "On repart avec trois numéros de téléphone et l'envie de revenir.",
)

LINGO_EN = text(
    (
        "On Wednesday evenings, a Mile End café turns into a good-natured Tower of Babel. At "
        "the door, you pick flags to stick on your sweater: those of the languages you speak,"
        " and of those you would like to practise."
    ),
    (
        "Tables form at random. In an hour you go from Spanish to Portuguese, then back to "
        "French to catch your breath."
    ),
    "You leave with three phone numbers and a wish to come back.",
)

LINGO_FR_EXCERPT = (
    "Un café du Mile End, des tables formées au hasard et cinq langues en une soirée."
)
LINGO_EN_EXCERPT = "A Mile End café, tables formed at random, and five languages in one evening."


async def fixed_dates(post_id: int, day: datetime) -> None:
    """Put a post's dates (and its history's) on fixed days, for stable pictures."""
    await Post.filter(id=post_id).update(updated_at=day, created_at=day - timedelta(days=2))
    await PostTranslation.filter(post_id=post_id).update(updated_at=day)
    revisions = await Revision.filter(post_id=post_id).order_by("version")
    for index, revision in enumerate(revisions):
        when = day - timedelta(hours=3 * (len(revisions) - index - 1))
        await Revision.filter(id=revision.id).update(created_at=when)


async def demo_content(editor: Account, translator: Account) -> dict[str, int]:
    blog = await make_category({"fr-CA": "Blogue", "en-CA": "Blog"})
    guides = await make_category({"fr-CA": "Guides pratiques", "en-CA": "Practical guides"})
    networking = await make_tag({"fr-CA": "Réseautage", "en-CA": "Networking"})
    montreal = await make_tag({"fr-CA": "Montréal", "en-CA": "Montreal"})
    languages = await make_tag({"fr-CA": "Langues", "en-CA": "Languages"})
    byline = await make_author("Camille Lévesque")
    locales = ("fr-CA", "en-CA")
    writes = post_writing.Actor.system(locales, account_id=editor.id)
    translates = post_writing.Actor.system(locales, account_id=translator.id)

    async def post(number, category, tags, french, english=None, *, publish=(), day=DAY):
        created = await post_writing.create_post(
            writes,
            PostFields(
                series_number=number,
                category_id=category.id,
                author_id=byline.id,
                tag_ids=[tag.id for tag in tags],
            ),
            [TranslationInput(locale="fr-CA", **french)],
        )
        version = 1
        if english:
            await post_writing.upsert_translation(
                translates, created.id, version, TranslationInput(locale="en-CA", **english)
            )
            version += 1
        if publish:
            await post_writing.publish(writes, created.id, version, list(publish), published_at=day)
        return created.id

    ids = {}
    ids["tuesdays"] = await post(
        12,
        blog,
        [networking, montreal],
        {
            "title": "Réseauter un mardi soir à Montréal",
            "excerpt": "Une soirée gratuite, bilingue et sans formalités, où les contacts "
            "naissent au détour d'une conversation.",
            "body": TUESDAYS_FR,
        },
        {
            "title": "Networking on a Tuesday night in Montreal",
            "excerpt": "A free, bilingual, no-frills evening where contacts come out of "
            "ordinary conversations.",
            "body": TUESDAYS_EN,
        },
        publish=locales,
        day=DAY - timedelta(days=6),
    )
    ids["lingo"] = await post(
        11,
        blog,
        [languages, montreal],
        {
            "title": "Mundo Lingo : cinq langues en une soirée",
            "excerpt": LINGO_FR_EXCERPT,
            "body": LINGO_FR_V1,
        },
        {
            "title": "Mundo Lingo: five languages in one evening",
            "excerpt": LINGO_EN_EXCERPT,
            "body": LINGO_EN,
        },
        publish=locales,
        day=DAY - timedelta(days=13),
    )
    version = (await Post.get(id=ids["lingo"])).version
    await post_writing.upsert_translation(
        writes,
        ids["lingo"],
        version,
        TranslationInput(
            locale="fr-CA",
            title="Mundo Lingo : cinq langues en une soirée",
            excerpt=LINGO_FR_EXCERPT,
            body=LINGO_FR_V2,
        ),
    )
    ids["cards"] = await post(
        10,
        guides,
        [networking],
        {
            "title": "Les cartes de visite ont-elles encore leur place?",
            "body": "Oui, à condition de ne pas les distribuer comme des prospectus.",
        },
        publish=("fr-CA",),
        day=DAY - timedelta(days=20),
    )
    ids["followup"] = await post(
        13,
        blog,
        [networking],
        {
            "title": "Après la soirée : l'art du suivi",
            "body": "Un courriel court, le lendemain, qui rappelle de quoi on a parlé.",
        },
        {
            "title": "After the evening: the art of the follow-up",
            "body": "A short email, the next day, recalling what you talked about.",
        },
    )
    for offset, post_id in enumerate(ids.values()):
        await fixed_dates(post_id, DAY - timedelta(days=offset))
    return ids


async def shoot(admin: AdminApp, page: Page, name: str) -> None:
    await page.wait_for_load_state("networkidle")
    await page.evaluate("() => document.activeElement?.blur()")
    if admin.settings.is_sqlite:
        SCREENSHOTS.mkdir(exist_ok=True)
        await page.screenshot(path=SCREENSHOTS / name, animations="disabled", caret="hide")


async def test_the_main_screens_with_a_bilingual_blog(admin: AdminApp) -> None:
    editor = await admin.writer(name="Camille Lévesque")
    translator = await admin.writer(name="Jonathan Okafor")
    ids = await demo_content(editor.account, translator.account)

    page = await admin.page(editor, viewport=DESKTOP)
    await expect(page.get_by_role("row")).to_have_count(5)
    await expect(page.get_by_text("4 posts")).to_be_visible()
    await shoot(admin, page, "posts.png")

    await page.goto(f"/admin/posts/{ids['tuesdays']}?locale=fr-CA")
    preview = page.locator("[data-preview]")
    await expect(preview.locator("h2").first).to_have_text("Une formule sans chichis")
    await expect(page.get_by_role("button", name="Preview", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await page.locator("h1").evaluate("(el) => window.scrollTo(0, el.offsetTop - 16)")
    await shoot(admin, page, "editor.png")

    await page.goto(f"/admin/posts/{ids['lingo']}/translate/en-CA")
    await expect(page.locator(".page-meta")).to_contain_text("outdated")
    await page.get_by_label("Paragraph 2", exact=True).fill(
        "Tables form at random. In an hour you go from Spanish to Portuguese, then back to"
        " French to catch your breath. Regulars are happy to help beginners."
    )
    await page.get_by_label("Paragraph 3", exact=True).fill(
        "The evening also happens in Toronto, on Thursdays."
    )
    await page.locator("h1").evaluate("(el) => window.scrollTo(0, el.offsetTop - 16)")
    await shoot(admin, page, "translate.png")

    await page.goto(f"/admin/posts/{ids['lingo']}/revisions?locale=fr-CA")
    await page.get_by_role("button", name="Version 1").click()
    await expect(page.locator(".revision-panel del").first).to_be_visible()
    await expect(page.locator(".revision-panel ins").first).to_be_visible()
    await shoot(admin, page, "revisions.png")

    phone = await admin.page(editor, f"/admin/posts/{ids['tuesdays']}", viewport=PHONE)
    await expect(phone.get_by_label("Title", exact=True)).to_have_value(
        "Réseauter un mardi soir à Montréal"
    )
    await shoot(admin, phone, "phone.png")


UPLOAD = """mutation($file: Upload!, $alt: [AltInput!]) {
  uploadMedia(file: $file, alt: $alt) { media { id } }
}"""


def picture(
    sky: tuple[int, int, int], ground: tuple[int, int, int], sun: tuple[int, int, int]
) -> bytes:
    """A simple landscape, so that the library shows pictures rather than flat colours."""
    image = Image.new("RGB", (960, 600), sky)
    draw = ImageDraw.Draw(image)
    for y in range(600):
        shade = tuple(int(c * (0.65 + 0.35 * y / 600)) for c in sky)
        draw.line([(0, y), (960, y)], fill=shade)
    draw.ellipse((620, 90, 780, 250), fill=sun)
    draw.polygon(
        [(0, 430), (260, 300), (520, 420), (760, 330), (960, 410), (960, 600), (0, 600)],
        fill=ground,
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


async def test_the_media_library(admin: AdminApp) -> None:
    editor = await admin.writer(name="Camille Lévesque")
    issued = await accounts.issue_token(editor.account, "upload", TokenScope.FULL)
    images = [
        (
            "soiree-mile-end.jpg",
            picture((40, 60, 120), (30, 30, 45), (250, 200, 90)),
            {"fr-CA": "Le Mile End à la tombée du jour", "en-CA": "Mile End at dusk"},
        ),
        (
            "terrasse-plateau.jpg",
            picture((120, 180, 230), (60, 120, 70), (255, 240, 160)),
            {"fr-CA": "Une terrasse du Plateau en été"},
        ),
        (
            "toronto-king-west.jpg",
            picture((200, 120, 90), (70, 60, 60), (255, 220, 140)),
            {"en-CA": "King West, Toronto"},
        ),
    ]
    async with httpx.AsyncClient(base_url=admin.url) as http:
        for name, content, alt in images:
            files = multipart(UPLOAD, {"0": (name, content, "image/jpeg")}, {"0": "variables.file"})
            operations = {
                "query": UPLOAD,
                "variables": {
                    "file": None,
                    "alt": [{"locale": k, "text": v} for k, v in alt.items()],
                },
            }
            files["operations"] = (None, json.dumps(operations))
            response = await http.post(
                "/graphql",
                files=files,
                headers={"authorization": f"Bearer {issued.secret}", **PREFLIGHT},
            )
            assert "errors" not in response.json(), response.text
    await build_worker(admin.settings, LocalStorage(admin.settings.media_root)).run_until_idle()

    page = await admin.page(editor, "/admin/media", viewport={"width": 1280, "height": 980})
    library = page.get_by_role("list", name="Library")
    await expect(library.get_by_role("button")).to_have_count(3)
    await library.get_by_role("button", name="soiree-mile-end.jpg").click()
    await expect(page.get_by_label("Alt text (en-CA)")).to_have_value("Mile End at dusk")
    await expect(library.locator("img")).to_have_count(3)
    await shoot(admin, page, "media.png")


async def test_the_events_pages(admin: AdminApp) -> None:
    await load_demo()
    editor = await admin.writer(name="Camille Lévesque")
    page = await admin.page(
        editor, "/admin/events?view=month&month=2027-01", viewport={"width": 1280, "height": 1000}
    )
    calendar = page.get_by_role("table", name="January 2027")
    await expect(calendar.get_by_role("link", name="Wednesday 5-to-7")).to_have_count(4)
    await shoot(admin, page, "events.png")

    await calendar.get_by_role("link", name="Wednesday 5-to-7").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Le 5 à 7 du mercredi")
    await expect(page.get_by_label("Repeats")).to_have_value("WEEKLY")
    await expect(
        page.get_by_role("list", name="Next occurrences").get_by_role("listitem")
    ).to_have_count(10)
    await page.get_by_role("heading", name="When").evaluate(
        "(el) => el.scrollIntoView({block: 'start'})"
    )
    await shoot(admin, page, "event.png")


async def test_the_dashboard_and_the_people_page(admin: AdminApp) -> None:
    await load_demo()
    owner = await admin.writer(Role.ADMIN, name="Camille Lévesque")
    await admin.writer(Role.EDITOR, name="Jonathan Okafor")
    await admin.writer(Role.AUTHOR, name="Sofia Tremblay")
    page = await admin.page(owner, "/admin/dashboard", viewport={"width": 1280, "height": 900})
    await expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    await expect(
        page.get_by_role("heading", name=re.compile("^Events in the next"))
    ).to_be_visible()
    await shoot(admin, page, "dashboard.png")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    await expect(page.get_by_role("heading", level=1, name="People")).to_be_focused()
    await expect(page.get_by_text("Sofia Tremblay")).to_be_visible()
    await shoot(admin, page, "people.png")
