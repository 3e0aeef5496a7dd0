"""The front page costs the same number of SQL statements for 5 posts as for 50."""

from pathlib import Path

from tests.factories import make_author, make_category, make_post, make_tag
from tests.sql import recorded_statements

FRONT_PAGE = (Path(__file__).parents[2] / "schema/operations/FrontPage.graphql").read_text()


async def _add_posts(count: int, authors, categories, tags) -> None:
    for index in range(count):
        await make_post(
            author=authors[index % len(authors)],
            category=categories[index % len(categories)],
            tags=[tags[index % len(tags)], tags[(index + 1) % len(tags)]],
            locales=("fr-CA", "en-CA") if index % 3 else ("fr-CA",),
        )


async def _front_page(gql, first: int) -> tuple[dict, list[str]]:
    with recorded_statements() as statements:
        data = await gql.data(FRONT_PAGE, locale="en-CA", first=first)
    return data, statements


async def test_front_page_statement_count_does_not_grow_with_posts(gql) -> None:
    authors = [await make_author() for _ in range(3)]
    categories = [await make_category() for _ in range(2)]
    tags = [await make_tag() for _ in range(4)]

    await _add_posts(5, authors, categories, tags)
    small, small_statements = await _front_page(gql, first=50)
    await _add_posts(45, authors, categories, tags)
    large, large_statements = await _front_page(gql, first=50)

    assert len(small["posts"]["edges"]) == 5
    assert len(large["posts"]["edges"]) == 50
    assert all(edge["node"]["author"]["name"] for edge in large["posts"]["edges"])
    assert all(len(edge["node"]["tags"]) == 2 for edge in large["posts"]["edges"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # posts page, count, translations, categories, tag links, tags, authors
    assert len(large_statements) <= 7, "\n".join(large_statements)
