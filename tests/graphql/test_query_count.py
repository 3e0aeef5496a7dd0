"""A page costs the same number of SQL statements whatever its size: the front page for 5
posts as for 50, the events of 3 posts as of 10, the posts of 2 events as of 6."""

from pathlib import Path

from cms.models import EventStatus, Venue
from tests.factories import make_author, make_category, make_event, make_post, make_tag
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
    # posts page, count, translations, categories, tags (with their links), authors
    assert len(large_statements) <= 6, "\n".join(large_statements)


POSTS_WITH_EVENTS = """
query($first: Int!) {
  posts(locale: "en-CA", first: $first) {
    edges { node { id events { id title slug venue { city } tags { name } } } }
  }
}
"""


async def _posts_with_events(gql, first: int) -> tuple[dict, list[str]]:
    with recorded_statements() as statements:
        data = await gql.data(POSTS_WITH_EVENTS, first=first)
    return data, statements


async def test_the_events_of_a_page_of_posts_cost_the_same_for_3_posts_as_for_10(gql) -> None:
    venue = await Venue.create(name="Café", city="Montréal")
    tag = await make_tag()
    events = [await make_event(venue=venue) for _ in range(2)]
    for event in events:
        await event.tags.add(tag)
    hidden = await make_event(status=EventStatus.DRAFT)

    async def add_posts(count: int) -> None:
        for _ in range(count):
            post = await make_post()
            await post.events.add(*events, hidden)

    await add_posts(3)
    small, small_statements = await _posts_with_events(gql, first=10)
    await add_posts(7)
    large, large_statements = await _posts_with_events(gql, first=10)

    assert len(small["posts"]["edges"]) == 3
    assert len(large["posts"]["edges"]) == 10
    for edge in large["posts"]["edges"]:
        # The published events only, each with its venue and tags.
        assert [e["id"] for e in edge["node"]["events"]] == [str(e.id) for e in events]
        assert all(e["venue"] == {"city": "Montréal"} for e in edge["node"]["events"])
        assert all(len(e["tags"]) == 1 for e in edge["node"]["events"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # posts page, translations, event links, events, their translations, venues, tags
    assert len(large_statements) <= 7, "\n".join(large_statements)


EVENTS_WITH_POSTS = """
query {
  events(from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z", locale: "en-CA") {
    nodes { event { id posts { id title category { name } tags { name } author { name } } } }
  }
}
"""


async def test_the_posts_of_a_page_of_events_cost_the_same_for_2_events_as_for_6(gql) -> None:
    category, tag, author = await make_category(), await make_tag(), await make_author()
    posts = [await make_post(category=category, tags=[tag], author=author) for _ in range(3)]

    async def add_events(count: int) -> None:
        for _ in range(count):
            event = await make_event()
            await event.posts.add(*posts)

    await add_events(2)
    with recorded_statements() as small_statements:
        small = await gql.data(EVENTS_WITH_POSTS)
    await add_events(4)
    with recorded_statements() as large_statements:
        large = await gql.data(EVENTS_WITH_POSTS)

    assert len(small["events"]["nodes"]) == 2
    assert len(large["events"]["nodes"]) == 6
    for node in large["events"]["nodes"]:
        assert [p["id"] for p in node["event"]["posts"]] == [str(p.id) for p in reversed(posts)]
        assert all(p["category"] and p["author"] for p in node["event"]["posts"])
        assert all(len(p["tags"]) == 1 for p in node["event"]["posts"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
