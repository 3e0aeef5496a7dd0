"""The explorer in the web app: an editor runs a query as themself and browses the schema,
read from introspection, which is theirs in production; an author has no explorer."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from cms.models import Role
from tests.admin.conftest import AdminApp
from tests.admin.test_accessibility import check_screen
from tests.factories import make_post

pytestmark = pytest.mark.server


async def test_an_editor_runs_a_query_and_reads_the_schema(admin: AdminApp) -> None:
    await make_post(translations={"fr-CA": {"title": "Réseautage", "slug": "reseautage"}})
    page = await admin.page(await admin.writer(Role.EDITOR), "/admin/")
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Explorer").click()
    await expect(page.get_by_role("heading", level=1, name="API explorer")).to_be_focused()

    query = page.get_by_label("Query")
    await query.fill("query($locale: String) { posts(locale: $locale) { nodes { title } } }")
    await page.get_by_label("Variables (JSON)").fill('{"locale": "fr-CA"}')
    await page.get_by_role("button", name="Run").click()
    result = page.get_by_role("region", name="Result")
    await expect(result).to_contain_text('"title": "Réseautage"')
    status = page.get_by_role("main").get_by_role("status")
    await expect(status).to_contain_text("Answered in")

    # Ctrl+Enter runs too; an error comes back as the API says it.
    await query.fill("{ postz { totalCount } }")
    await query.press("Control+Enter")
    await expect(result).to_contain_text("Cannot query field 'postz' on type 'Query'.")
    await expect(status).to_contain_text("with 1 error(s)")

    schema = page.get_by_role("complementary", name="Schema")
    await schema.get_by_label("Search the schema").fill("requestedLocale")
    await schema.get_by_role("button", name="Post", exact=True).click()
    await expect(schema.get_by_role("heading", name="Post (object)")).to_be_visible()
    await expect(schema).to_contain_text("requestedLocale: String!")
    await check_screen(page)


async def test_an_author_has_no_explorer(admin: AdminApp) -> None:
    page = await admin.page(await admin.writer(Role.AUTHOR), "/admin/explorer")
    nav = page.get_by_role("navigation", name="Main")
    await expect(nav.get_by_role("link", name="Explorer")).to_be_hidden()
    await expect(
        page.get_by_text("Only editors and administrators use the explorer.")
    ).to_be_visible()
