"""The writers' app in a real browser: Chromium driven by Playwright against a real server.

One browser and one server per database for the whole session; each test gets fresh
browser contexts (cookies, storage) and an emptied database. Tests sign in through the
sign-in page when that is what they are about, and otherwise start a session directly.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from cms.models import Account, Role, TokenScope
from cms.services import accounts, sessions
from cms.settings import Settings
from tests.auth import make_account
from tests.factories import make_author
from tests.servers import app_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long enough password"
SAVED = """query Saved($id: ID!, $locale: String) {
  post(id: $id, locale: $locale, preview: true) {
    version status resolvedLocale title translationStatus body { markdown }
  }
}"""
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            "the browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="session")
async def server(database: Settings) -> AsyncIterator[str]:
    """One server process per database, shared by the tests (which empty the tables)."""
    async with app_server(
        database,
        CMS_CHANGE_POLL_INTERVAL="0",
        CMS_SCHEDULER_INTERVAL="0",
        CMS_JOB_POLL_INTERVAL="0",
        # The tests' webhook receivers listen on the loopback.
        CMS_WEBHOOK_ALLOW_PRIVATE="true",
        CMS_PREVIEW_URL="https://blog.example/api/preview?token={token}&locale={locale}",
    ) as url:
        yield url


@dataclass
class Writer:
    """A person with an account and a password, and what a test may do as them."""

    account: Account
    email: str
    password: str = PASSWORD


@dataclass
class AdminApp:
    """The app under test: its server, a browser, and the contexts a test opened."""

    url: str
    settings: Settings
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reader_token: str | None = None

    async def writer(self, role: Role = Role.EDITOR, *, name: str | None = None) -> Writer:
        author = await make_author(name) if role is Role.AUTHOR else None
        account = await make_account(role, author=author)
        if name:
            account.display_name = name
            await account.save(update_fields=["display_name"])
        await accounts.set_password(account.id, PASSWORD)
        return Writer(account=account, email=account.email)

    async def context(
        self, *, viewport: dict | None = None, locale: str = "en-CA"
    ) -> BrowserContext:
        context = await self.browser.new_context(
            viewport=viewport or DESKTOP,
            locale=locale,
            base_url=self.url,
            timezone_id="America/Montreal",
        )
        self.contexts.append(context)
        return context

    async def page(
        self,
        writer: Writer | None = None,
        path: str = "/admin/",
        *,
        viewport: dict | None = None,
        locale: str = "en-CA",
    ) -> Page:
        """A new browser context's page at ``path``, signed in as ``writer`` if given."""
        context = await self.context(viewport=viewport, locale=locale)
        if writer is not None:
            secret = await sessions.start(writer.account.id, "browser test")
            await context.add_cookies([{"name": sessions.COOKIE, "value": secret, "url": self.url}])
        page = await context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        await page.goto(path)
        if writer is not None:
            await expect(page.locator("main h1")).to_be_visible()
        return page

    async def graphql(self, query: str, *, token: str | None = None, **variables: object) -> dict:
        """An answer over HTTP: an anonymous reader's, or a token's."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(base_url=self.url, headers=headers) as http:
            response = await http.post("/graphql", json={"query": query, "variables": variables})
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def stored(self, post_id: int | str, locale: str) -> dict:
        """A post as saved, drafts included, read over GraphQL with an editor's token."""
        if self.reader_token is None:
            account = await make_account(Role.EDITOR)
            issued = await accounts.issue_token(account, "reads what was saved", TokenScope.FULL)
            self.reader_token = issued.secret
        post = (await self.graphql(SAVED, token=self.reader_token, id=str(post_id), locale=locale))[
            "post"
        ]
        here = post["resolvedLocale"] == locale
        return {
            "version": post["version"],
            "status": post["status"],
            "title": post["title"] if here else None,
            "body": post["body"]["markdown"] if here else None,
            "translation_status": post["translationStatus"] if here else None,
        }


@pytest.fixture
async def admin(settings: Settings, server: str, browser: Browser) -> AsyncIterator[AdminApp]:
    # The server outlives each test, whose end empties the media root: give it its folder back.
    (settings.media_root / ".tmp").mkdir(parents=True, exist_ok=True)
    app = AdminApp(url=server, settings=settings, browser=browser)
    yield app
    for context in app.contexts:
        for page in context.pages:  # leaving a page closes its WebSocket cleanly
            await page.goto("about:blank")
        await context.close()
    assert not app.errors, app.errors


def post_id_of(page: Page) -> str:
    found = re.search(r"/admin/posts/(\d+)", page.url)
    assert found, page.url
    return found.group(1)


async def announced(page: Page, text: str) -> None:
    """Wait until the live region says ``text``."""
    await expect(page.locator("#announce-polite, #announce-alert")).to_contain_text([text])


# Controls on screen without an accessible name: the checks below name them for the failure.
UNNAMED_CONTROLS = """
() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, " ").trim() : "");
  const name = (el) => {
    if (el.getAttribute("aria-label")?.trim()) return el.getAttribute("aria-label");
    const ids = el.getAttribute("aria-labelledby");
    if (ids) {
      return ids.split(/\\s+/).map((id) => text(document.getElementById(id))).join(" ").trim();
    }
    if (el.labels && el.labels.length) return [...el.labels].map(text).join(" ").trim();
    if (el.tagName === "BUTTON") return text(el) || el.title;
    if (el.type === "submit" || el.type === "button") return el.value;
    return el.title || "";
  };
  return [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button")]
    .filter(visible)
    .filter((el) => !name(el))
    .map((el) => el.outerHTML.slice(0, 120));
}
"""

# Text whose contrast with what is behind it is under WCAG AA's 4.5:1.
LOW_CONTRAST = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = ({ r, g, b }) => {
    const channel = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0.5) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || seen.has(el) || !walker.currentNode.textContent.trim()) continue;
    seen.add(el);
    if (el.closest("[hidden], .sr-only, [aria-hidden=true], :disabled, option")) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const fg = parse(getComputedStyle(el).color);
    const l1 = luminance(fg);
    const l2 = luminance(background(el));
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const what = `${el.tagName} ${el.textContent.trim().slice(0, 40)}`;
    if (ratio < 4.5) problems.push(`${ratio.toFixed(2)}: ${what}`);
  }
  return problems;
}
"""

NO_HORIZONTAL_SCROLL = (
    "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)
