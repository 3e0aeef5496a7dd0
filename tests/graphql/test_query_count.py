"""A page costs the same number of SQL statements whatever its size: the front page for 5
posts as for 50, the events of 3 posts as of 10, the posts of 2 events as of 6, and each
operation below as much for 2 items as for 20. Every relation loads through the request's
DataLoaders: one statement per relation for a whole page, whatever path reached it, and none
for what a page of posts reads in its own statement."""

import itertools
from pathlib import Path

from cms.models import (
    Category,
    CategoryTranslation,
    EventStatus,
    Media,
    Organizer,
    OrganizerTranslation,
    Post,
    Role,
    Venue,
)
from tests.auth import caller
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
    # the page, with its posts' translations, category, tags and author, and the count
    assert len(large_statements) == 1, "\n".join(large_statements)


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
    # the page (with what its posts show), event links, events, their translations, venues,
    # tags
    assert len(large_statements) <= 6, "\n".join(large_statements)


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


# Each operation below is measured with 2 and with 20 items: the same statements either way.

FRENCH_FRONT_PAGE = """
query($first: Int!) {
  posts(locale: "fr-CA", first: $first) {
    nodes {
      title slug
      category { name slug }
      author { name }
      tags { name slug }
      cover { url alt(locale: "fr-CA") srcset }
    }
  }
}
"""


_media_numbers = itertools.count(1)


def _cover() -> dict:
    """The columns of an uploaded image with its renditions, each call a new file."""
    n = next(_media_numbers)
    key = f"renditions/{n:02x}/cover-{n}"
    return {
        "original_filename": f"cover-{n}.png",
        "content_type": "image/png",
        "size": 1234,
        "sha256": f"{n:064x}",
        "storage_key": f"originals/cover-{n}.png",
        "width": 1600,
        "height": 900,
        "alt": {"fr-CA": f"Image {n}", "en-CA": f"Picture {n}"},
        "renditions": [
            {"key": f"{key}-1600.png", "width": 1600, "height": 900, "format": "png"},
            {"key": f"{key}-400.webp", "width": 400, "height": 225, "format": "webp"},
            {"key": f"{key}-800.webp", "width": 800, "height": 450, "format": "webp"},
        ],
    }


async def _posts_with_covers(count: int) -> None:
    author, category, tags = await make_author(), await make_category(), await make_tag()
    for _ in range(count):
        post = await make_post(author=author, category=category, tags=[tags])
        cover = await Media.create(**_cover())
        await Post.filter(id=post.id).update(cover_id=cover.id)


async def test_a_french_front_page_with_covers_costs_the_same_for_2_posts_as_for_20(gql) -> None:
    await _posts_with_covers(2)
    with recorded_statements() as small_statements:
        small = await gql.data(FRENCH_FRONT_PAGE, first=20)
    await _posts_with_covers(18)
    with recorded_statements() as large_statements:
        large = await gql.data(FRENCH_FRONT_PAGE, first=20)

    assert len(small["posts"]["nodes"]) == 2
    nodes = large["posts"]["nodes"]
    assert len(nodes) == 20
    assert all(node["title"].startswith("Billet") for node in nodes)
    assert all(node["category"]["name"].startswith("Catégorie") for node in nodes)
    assert all(node["author"]["name"] and len(node["tags"]) == 1 for node in nodes)
    assert all(node["cover"]["alt"].startswith("Image") for node in nodes)
    assert all(node["cover"]["srcset"].count(", ") == 1 for node in nodes)
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # the page (with what its posts show), covers
    assert len(large_statements) <= 2, "\n".join(large_statements)


POST_PAGE = (Path(__file__).parents[2] / "schema/operations/PostPage.graphql").read_text()


async def test_a_post_page_costs_a_fixed_number_of_statements(gql) -> None:
    category, author = await make_category(), await make_author(bios={"fr-CA": "Elle écrit."})
    tags = [await make_tag() for _ in range(3)]
    for number in (1, 2, 3):
        await make_post(
            translations={
                "fr-CA": {"title": f"{number}. Billet", "slug": f"billet-{number}"},
                "en-CA": {"title": f"{number}. Post", "slug": f"post-{number}"},
            },
            series_number=number,
            category=category,
            author=author,
            tags=tags,
        )

    with recorded_statements() as statements:
        data = await gql.data(POST_PAGE, slug="billet-2", locale="en-CA")

    post = data["post"]
    assert post["title"] == "2. Post" and post["body"]["headings"]
    assert post["previous"]["slug"] == "post-1" and post["next"]["slug"] == "post-3"
    assert post["author"]["bio"] == "Elle écrit." and len(post["tags"]) == 3
    # the post found by its slug, with all it shows (translations, category, tags, author
    # and bio, bodies, its neighbours' ids), then the neighbours (both in one batch, with theirs)
    assert len(statements) <= 2, "\n".join(statements)


UPCOMING_EVENTS = """
query($first: Int!) {
  events(from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z", locale: "en-CA",
         first: $first) {
    nodes {
      start
      event {
        id title
        venue { name city }
        organizer { name }
        tags { name }
        cover { url }
        posts { id title author { name } }
      }
    }
  }
}
"""


async def test_upcoming_events_with_their_relations_cost_the_same_for_2_as_for_20(gql) -> None:
    venue = await Venue.create(name="Café", city="Montréal")
    organizer = await Organizer.create(website="https://reseau.example")
    await OrganizerTranslation.create(organizer=organizer, locale="fr-CA", name="Le Réseau")
    tag, author = await make_tag(), await make_author()
    posts = [await make_post(author=author) for _ in range(2)]

    async def add_events(count: int) -> None:
        for _ in range(count):
            cover = await Media.create(**_cover())
            event = await make_event(venue=venue, organizer=organizer, cover=cover)
            await event.tags.add(tag)
            await event.posts.add(*posts)

    await add_events(2)
    with recorded_statements() as small_statements:
        small = await gql.data(UPCOMING_EVENTS, first=20)
    await add_events(18)
    with recorded_statements() as large_statements:
        large = await gql.data(UPCOMING_EVENTS, first=20)

    assert len(small["events"]["nodes"]) == 2
    nodes = large["events"]["nodes"]
    assert len(nodes) == 20
    for node in nodes:
        event = node["event"]
        assert event["venue"] == {"name": "Café", "city": "Montréal"}
        assert event["organizer"] == {"name": "Le Réseau"}
        assert len(event["tags"]) == 1
        assert event["cover"]["url"]
        assert [p["id"] for p in event["posts"]] == [str(p.id) for p in reversed(posts)]
        assert all(p["author"]["name"] for p in event["posts"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # visible events, their changed occurrences, the page's events, translations, venues,
    # organizers, tags, covers, posts (with what they show)
    assert len(large_statements) <= 9, "\n".join(large_statements)


CATEGORY_WITH_POSTS = """
query($slug: String!, $first: Int!) {
  category(slug: $slug, locale: "en-CA") {
    name
    alternates { locale slug name }
    parent { name alternates { locale name } }
    posts(first: $first) {
      totalCount
      nodes { title category { name } author { name } tags { name alternates { name } } }
    }
  }
}
"""


async def test_a_category_with_its_posts_costs_the_same_for_2_posts_as_for_20(gql) -> None:
    parent, category = await make_category(), await make_category()
    await Category.filter(id=category.id).update(parent_id=parent.id)
    slug = (await CategoryTranslation.get(category_id=category.id, locale="en-CA")).slug
    authors = [await make_author() for _ in range(2)]
    tags = [await make_tag() for _ in range(3)]

    async def add_posts(count: int) -> None:
        for index in range(count):
            await make_post(category=category, author=authors[index % 2], tags=[tags[index % 3]])

    await add_posts(2)
    with recorded_statements() as small_statements:
        small = await gql.data(CATEGORY_WITH_POSTS, slug=slug, first=20)
    await add_posts(18)
    with recorded_statements() as large_statements:
        large = await gql.data(CATEGORY_WITH_POSTS, slug=slug, first=20)

    assert small["category"]["posts"]["totalCount"] == 2
    found = large["category"]
    assert found["parent"]["name"].startswith("Category")
    assert len(found["alternates"]) == 2
    assert len(found["posts"]["nodes"]) == 20
    assert all(node["category"]["name"] == found["name"] for node in found["posts"]["nodes"])
    assert all(len(node["tags"]) == 1 for node in found["posts"]["nodes"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # slug, category, parent, the page (with what its posts show), count
    assert len(large_statements) <= 5, "\n".join(large_statements)


CATEGORIES = """
{
  categories(locale: "en-CA") { name slug alternates { locale slug name } parent { name } }
  tags(locale: "en-CA") { name slug alternates { locale slug name } }
}
"""


async def test_the_categories_and_tags_cost_the_same_for_2_as_for_20(gql) -> None:
    async def add_terms(count: int) -> None:
        for _ in range(count):
            parent, category = await make_category(), await make_category()
            await Category.filter(id=category.id).update(parent_id=parent.id)
            await make_tag()

    await add_terms(1)
    with recorded_statements() as small_statements:
        small = await gql.data(CATEGORIES)
    await add_terms(9)
    with recorded_statements() as large_statements:
        large = await gql.data(CATEGORIES)

    assert (len(small["categories"]), len(small["tags"])) == (2, 1)
    assert (len(large["categories"]), len(large["tags"])) == (20, 10)
    assert sum(1 for c in large["categories"] if c["parent"]) == 10
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # the categories and the tags: the parents are among the categories
    assert len(large_statements) <= 2, "\n".join(large_statements)


MEDIA_LIST = """
query($first: Int!) {
  mediaList(first: $first) {
    id url srcset(format: WEBP) alt(locale: "en-CA")
    rendition(width: 500) { url width }
  }
}
"""


async def test_the_media_list_costs_the_same_for_2_files_as_for_20(client) -> None:
    writer = await caller(client, Role.AUTHOR)
    await writer.data("{ viewer { role } }")  # the token's first use is recorded once

    async def add_media(count: int) -> None:
        for _ in range(count):
            await Media.create(**_cover())

    await add_media(2)
    with recorded_statements() as small_statements:
        small = await writer.data(MEDIA_LIST, first=20)
    await add_media(18)
    with recorded_statements() as large_statements:
        large = await writer.data(MEDIA_LIST, first=20)

    assert len(small["mediaList"]) == 2
    assert len(large["mediaList"]) == 20
    assert all(m["rendition"]["width"] == 800 for m in large["mediaList"])
    assert len(large_statements) == len(small_statements), "\n".join(large_statements)
    # the token, the files
    assert len(large_statements) <= 2, "\n".join(large_statements)


async def test_a_count_asked_in_a_fragment_comes_with_the_page(gql) -> None:
    for _ in range(3):
        await make_post()
    query = """
    query { posts(first: 2) { ...Counted ... on PostConnection { nodes { id } } } }
    fragment Counted on PostConnection { totalCount }
    """
    with recorded_statements() as statements:
        data = await gql.data(query)

    assert data["posts"]["totalCount"] == 3 and len(data["posts"]["nodes"]) == 2
    assert len(statements) == 1, "\n".join(statements)
