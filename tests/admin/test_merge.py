"""The app's own text algorithms (diff, three-way merge, paragraph blocks), run in the browser
exactly as the app runs them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page

pytestmark = pytest.mark.server

MARKERS = {"mine": "<<< mine", "theirs": "=== theirs", "end": ">>> end"}


@pytest.fixture(scope="module")
async def page(browser: Browser, server: str) -> AsyncIterator[Page]:
    """One page for these pure functions (the modules need no session to load)."""
    context = await browser.new_context(base_url=server)
    page = await context.new_page()
    await page.goto("/admin/sign-in")
    yield page
    await context.close()


async def run(page: Page, module: str, function: str, *args: object) -> object:
    return await page.evaluate(
        "async ([module, name, args]) => (await import(module))[name](...args)",
        [f"/admin/static/js/{module}", function, list(args)],
    )


def paragraphs(*texts: str) -> str:
    return "\n\n".join(texts)


async def merge(page: Page, base: str, mine: str, theirs: str) -> dict:
    return await run(page, "merge.js", "mergeText", base, mine, theirs, MARKERS)


async def test_changes_to_different_paragraphs_both_land(page: Page) -> None:
    base = paragraphs("Un.", "Deux.", "Trois.")
    result = await merge(
        page,
        base,
        paragraphs("Un, modifié.", "Deux.", "Trois."),
        paragraphs("Un.", "Deux.", "Trois!", "Quatre."),
    )
    assert result == {
        "text": paragraphs("Un, modifié.", "Deux.", "Trois!", "Quatre."),
        "conflicts": 0,
    }


async def test_one_sided_and_identical_changes_need_no_markers(page: Page) -> None:
    base = paragraphs("Un.", "Deux.")
    assert (await merge(page, base, base, "Autre."))["text"] == "Autre."
    assert (await merge(page, base, "Mien.", base))["text"] == "Mien."
    assert (await merge(page, base, "Pareil.", "Pareil."))["conflicts"] == 0


async def test_both_changing_one_paragraph_keeps_both_versions_between_markers(
    page: Page,
) -> None:
    base = paragraphs("Un.", "Deux.", "Trois.")
    result = await merge(
        page,
        base,
        paragraphs("Un.", "Deux, selon moi.", "Trois."),
        paragraphs("Un.", "Deux, selon eux.", "Trois."),
    )
    assert result["conflicts"] == 1
    assert result["text"] == paragraphs(
        "Un.", "<<< mine", "Deux, selon moi.", "=== theirs", "Deux, selon eux.", ">>> end", "Trois."
    )


async def test_neighbouring_edits_by_two_people_conflict_only_where_they_meet(page: Page) -> None:
    base = paragraphs("Un.", "Deux.", "Trois.")
    result = await merge(
        page,
        base,
        paragraphs("Un, selon moi.", "Deux.", "Trois, par moi."),
        paragraphs("Un, selon eux.", "Deux, par eux.", "Trois."),
    )
    assert result == {
        "text": paragraphs(
            "<<< mine",
            "Un, selon moi.",
            "=== theirs",
            "Un, selon eux.",
            ">>> end",
            "Deux, par eux.",
            "Trois, par moi.",
        ),
        "conflicts": 1,
    }


async def test_an_edit_against_a_deletion_keeps_the_edit(page: Page) -> None:
    base = paragraphs("Un.", "Deux.", "Trois.")
    result = await merge(
        page, base, paragraphs("Un.", "Deux, précisé.", "Trois."), paragraphs("Un.", "Trois.")
    )
    assert "Deux, précisé." in result["text"]
    assert result["conflicts"] == 1


async def test_sets_of_tags_merge_additions_and_removals(page: Page) -> None:
    assert await run(
        page, "merge.js", "mergeSet", ["1", "2", "3"], ["1", "2", "4"], ["2", "3", "5"]
    ) == [
        "2",
        "4",
        "5",
    ]


async def test_blocks_split_at_blank_lines_but_not_inside_code(page: Page) -> None:
    markdown = "## Titre\n\nUn paragraphe\nsur deux lignes.\n\n```\ncode\n\nencore\n```\n\n\nFin."
    assert await run(page, "blocks.js", "splitBlocks", markdown) == [
        "## Titre",
        "Un paragraphe\nsur deux lignes.",
        "```\ncode\n\nencore\n```",
        "Fin.",
    ]
    assert await run(page, "blocks.js", "joinBlocks", ["Un.", "  ", "Deux.\n"]) == "Un.\n\nDeux."


async def test_the_diff_shows_the_words_that_changed(page: Page) -> None:
    ops = await run(page, "diff.js", "diffText", "On se voit mardi soir.", "On se voit jeudi soir.")
    assert ops == [
        {"op": "equal", "text": "On se voit "},
        {"op": "delete", "text": "mardi"},
        {"op": "insert", "text": "jeudi"},
        {"op": "equal", "text": " soir."},
    ]
