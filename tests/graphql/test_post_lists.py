"""Lists of posts: the connection's shape, keyset pagination, and filters."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import timedelta, timezone

import pytest

from cms.models import Author, Category, CategoryTranslation, Post, Tag, TagTranslation
from tests.factories import BASE_TIME, make_author, make_category, make_post, make_tag

POSTS = """
query Posts(
  $locale: String, $filter: PostFilter, $orderBy: PostOrder! = NEWEST, $first: Int! = 20,
  $after: String
) {
  posts(locale: $locale, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id } }
    nodes { id }
  }
}
"""


async def page(gql, **variables: object) -> dict:
    """One page of ``posts``, checked for consistency between its parts."""
    posts = (await gql.data(POSTS, **variables))["posts"]
    assert posts["nodes"] == [edge["node"] for edge in posts["edges"]]
    last_cursor = posts["edges"][-1]["cursor"] if posts["edges"] else None
    assert posts["pageInfo"]["endCursor"] == last_cursor
    return posts


def ids_of(posts: dict) -> list[str]:
    return [node["id"] for node in posts["nodes"]]


def expected_ids(posts: list[Post]) -> list[str]:
    return [str(post.id) for post in posts]


def newest_first(posts: list[Post]) -> list[Post]:
    return sorted(posts, key=lambda post: (post.published_at, post.id), reverse=True)


def error_code(body: dict) -> str | None:
    assert body.get("errors"), body
    return body["errors"][0].get("extensions", {}).get("code")


def forge_cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


# --- The connection -----------------------------------------------------------------------------


async def test_first_page_reports_the_rest(gql) -> None:
    posts = newest_first([await make_post() for _ in range(3)])

    first = await page(gql, first=2)
    second = await page(gql, first=2, after=first["pageInfo"]["endCursor"])

    assert first["totalCount"] == second["totalCount"] == len(posts)
    assert ids_of(first) == expected_ids(posts[:2])
    assert first["pageInfo"]["hasNextPage"] is True
    assert ids_of(second) == expected_ids(posts[2:])
    assert second["pageInfo"]["hasNextPage"] is False


async def test_a_page_past_the_last_post_still_counts_every_post(gql) -> None:
    # The count comes with the page's rows; an empty page after a cursor has none to bring it.
    posts = [await make_post() for _ in range(2)]
    everything = await page(gql, first=2)

    beyond = await page(gql, first=2, after=everything["pageInfo"]["endCursor"])

    assert beyond["nodes"] == [] and beyond["pageInfo"]["hasNextPage"] is False
    assert beyond["totalCount"] == everything["totalCount"] == len(posts)


async def test_a_page_holding_everything_has_no_next_page(gql) -> None:
    posts = [await make_post() for _ in range(2)]

    result = await page(gql, first=len(posts))

    assert len(result["edges"]) == len(posts)
    assert result["pageInfo"]["hasNextPage"] is False


async def test_an_empty_list(gql) -> None:
    result = await page(gql)

    assert result == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
        "nodes": [],
    }


async def test_edges_have_distinct_cursors(gql) -> None:
    posts = [await make_post() for _ in range(3)]

    result = await page(gql)

    cursors = [edge["cursor"] for edge in result["edges"]]
    assert len(set(cursors)) == len(posts)


# --- Keyset pagination --------------------------------------------------------------------------


async def catalogue_with_ties() -> list[Post]:
    """Posts sharing publication instants and series numbers (in two categories)."""
    blog, events = await make_category(), await make_category()
    at = BASE_TIME
    specs = [
        (at, blog, 1),
        (at, events, 1),
        (at, None, None),
        (at + timedelta(days=1), blog, 2),
        (at - timedelta(days=1), events, 2),
        (at + timedelta(days=2), None, None),
        (at + timedelta(days=1), blog, 3),
        (at, events, 3),
    ]
    return [
        await make_post(published_at=published_at, category=category, series_number=number)
        for published_at, category, number in specs
    ]


def in_order(posts: list[Post], order: str) -> list[Post]:
    if order == "NEWEST":
        return newest_first(posts)
    if order == "OLDEST":
        return sorted(posts, key=lambda post: (post.published_at, post.id))
    numbered = [post for post in posts if post.series_number is not None]
    return sorted(numbered, key=lambda post: (post.series_number, post.id))


async def walk(gql, order: str, size: int, **variables: object) -> list[dict]:
    """Every page of a list, following ``endCursor`` until ``hasNextPage`` is false."""
    pages, after = [], None
    while True:
        result = await page(gql, orderBy=order, first=size, after=after, **variables)
        pages.append(result)
        if not result["pageInfo"]["hasNextPage"]:
            return pages
        after = result["pageInfo"]["endCursor"]
        assert len(pages) < 50, "pagination does not end"


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST", "SERIES_NUMBER"])
@pytest.mark.parametrize("size", [1, 2, 3])
async def test_walking_every_page_yields_each_post_once_in_order(
    gql, order: str, size: int
) -> None:
    expected = in_order(await catalogue_with_ties(), order)

    pages = await walk(gql, order, size)

    assert [post_id for result in pages for post_id in ids_of(result)] == expected_ids(expected)
    assert all(len(result["edges"]) == size for result in pages[:-1])
    assert all(result["totalCount"] == len(expected) for result in pages)


async def test_series_order_leaves_out_unnumbered_posts(gql) -> None:
    numbered = await make_post(series_number=1)
    await make_post()

    result = await page(gql, orderBy="SERIES_NUMBER")

    assert ids_of(result) == [str(numbered.id)]
    assert result["totalCount"] == 1


@pytest.mark.parametrize(
    ("order", "offset"),
    [("NEWEST", timedelta(days=30)), ("OLDEST", -timedelta(days=30))],
)
async def test_a_post_added_at_the_top_does_not_shift_the_next_page(
    gql, order: str, offset: timedelta
) -> None:
    posts = in_order([await make_post() for _ in range(5)], order)
    first = await page(gql, orderBy=order, first=2)

    await make_post(published_at=posts[0].published_at + offset)
    second = await page(gql, orderBy=order, first=2, after=first["pageInfo"]["endCursor"])

    assert ids_of(first) == expected_ids(posts[:2])
    assert ids_of(second) == expected_ids(posts[2:4])
    assert second["totalCount"] == len(posts) + 1


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(lambda limit: 0, id="zero"),
        pytest.param(lambda limit: -1, id="negative"),
        pytest.param(lambda limit: limit + 1, id="over-the-limit"),
    ],
)
async def test_page_size_out_of_bounds_is_a_user_error(gql, settings, size) -> None:
    await make_post()

    body = await gql(POSTS, first=size(settings.max_page_size))

    assert error_code(body) == "BAD_USER_INPUT"
    assert str(settings.max_page_size) in body["errors"][0]["message"]
    assert body["data"] is None


async def test_the_largest_page_size_is_allowed(gql, settings) -> None:
    post = await make_post()

    result = await page(gql, first=settings.max_page_size)

    assert ids_of(result) == [str(post.id)]


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("garbage", id="word"),
        pytest.param("!!!", id="not-base64"),
        pytest.param("", id="empty"),
        pytest.param(forge_cursor({"a": 1}), id="json-object"),
        pytest.param(forge_cursor(["newest", "yesterday", 1]), id="bad-date"),
        pytest.param(forge_cursor(["newest", "2026-03-01T12:00:00+00:00", "1"]), id="string-id"),
    ],
)
async def test_garbage_cursor_is_a_user_error(gql, cursor: str) -> None:
    await make_post()

    body = await gql(POSTS, after=cursor)

    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "after"


@pytest.mark.parametrize(
    ("issued_by", "used_with"),
    [("NEWEST", "OLDEST"), ("OLDEST", "SERIES_NUMBER"), ("SERIES_NUMBER", "NEWEST")],
)
async def test_cursor_from_another_ordering_is_a_user_error(
    gql, issued_by: str, used_with: str
) -> None:
    for number in (1, 2):
        await make_post(series_number=number)
    cursor = (await page(gql, orderBy=issued_by, first=1))["pageInfo"]["endCursor"]

    body = await gql(POSTS, orderBy=used_with, after=cursor)

    assert error_code(body) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("order", "payload"),
    [
        pytest.param("NEWEST", ["newest", "2026-03-01T12:00:00+00:00", 2**40], id="huge-id"),
        pytest.param("SERIES_NUMBER", ["series_number", 2**40, 1], id="huge-number"),
        pytest.param("NEWEST", ["newest", "2026-03-01T12:00:00", 1], id="date-without-offset"),
    ],
)
async def test_forged_cursor_is_a_user_error(gql, order: str, payload: list) -> None:
    await make_post(series_number=1)

    body = await gql(POSTS, orderBy=order, after=forge_cursor(payload))

    assert error_code(body) == "BAD_USER_INPUT"


# --- Filters ------------------------------------------------------------------------------------


@dataclass
class Catalogue:
    travel: Category
    food: Category
    photo: Tag
    budget: Tag
    alice: Author
    bob: Author
    posts: dict[str, Post]


async def catalogue() -> Catalogue:
    """Five posts, one a day, spread over categories, tags, authors and series numbers."""
    travel, food = await make_category(), await make_category()
    photo, budget = await make_tag(), await make_tag()
    alice, bob = await make_author("Alice"), await make_author("Bob")
    specs = {
        "a": {"category": travel, "tags": [photo], "author": alice, "series_number": 1},
        "b": {"category": travel, "tags": [photo, budget], "author": bob, "series_number": 2},
        "c": {"category": food, "tags": [budget], "author": alice, "series_number": 1},
        "d": {"category": food, "tags": [], "author": bob},
        "e": {"tags": [photo]},
    }
    posts = {
        name: await make_post(published_at=BASE_TIME + timedelta(days=day), **spec)
        for day, (name, spec) in enumerate(specs.items())
    }
    return Catalogue(travel, food, photo, budget, alice, bob, posts)


async def slug_of(term: Category | Tag, locale: str) -> str:
    translation = await term.translations.filter(locale=locale).first()
    assert translation is not None
    return translation.slug


def day(n: int) -> str:
    return (BASE_TIME + timedelta(days=n)).isoformat()


FILTERS = [
    pytest.param(lambda c: {"categoryId": str(c.travel.id)}, "ab", id="categoryId"),
    pytest.param(lambda c: {"tagId": str(c.photo.id)}, "abe", id="tagId"),
    pytest.param(lambda c: {"authorId": str(c.alice.id)}, "ac", id="authorId"),
    pytest.param(lambda c: {"authorSlug": c.bob.slug}, "bd", id="authorSlug"),
    pytest.param(lambda c: {"seriesNumber": 1}, "ac", id="seriesNumber"),
    pytest.param(lambda c: {"publishedAfter": day(2)}, "cde", id="publishedAfter-inclusive"),
    pytest.param(lambda c: {"publishedBefore": day(2)}, "ab", id="publishedBefore-exclusive"),
    pytest.param(
        lambda c: {"publishedAfter": day(1), "publishedBefore": day(3)}, "bc", id="date-range"
    ),
    pytest.param(
        lambda c: {"publishedAfter": day(3).replace("+00:00", "Z")},
        "de",
        id="publishedAfter-Z-suffix",
    ),
    pytest.param(
        lambda c: {"categoryId": str(c.travel.id), "tagId": str(c.budget.id)},
        "b",
        id="category+tag",
    ),
    pytest.param(
        lambda c: {"authorId": str(c.alice.id), "seriesNumber": 1, "tagId": str(c.budget.id)},
        "c",
        id="author+series+tag",
    ),
    pytest.param(
        lambda c: {"authorSlug": c.alice.slug, "publishedBefore": day(1)}, "a", id="author+date"
    ),
    pytest.param(lambda c: {"authorSlug": "nobody"}, "", id="unknown-author"),
    pytest.param(lambda c: {"seriesNumber": 9}, "", id="unused-series-number"),
    pytest.param(
        lambda c: {"categoryId": str(c.food.id), "authorId": str(c.alice.id), "seriesNumber": 2},
        "",
        id="contradictory",
    ),
]


@pytest.mark.parametrize(("build", "expected"), FILTERS)
async def test_filter(gql, build, expected: str) -> None:
    data = await catalogue()

    result = await page(gql, filter=build(data))

    assert ids_of(result) == expected_ids(newest_first([data.posts[n] for n in expected]))
    assert result["totalCount"] == len(expected)


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
@pytest.mark.parametrize("field", ["categorySlug", "tagSlug"])
async def test_term_slug_filter_accepts_a_slug_of_either_locale(
    gql, field: str, locale: str
) -> None:
    data = await catalogue()
    term, expected = (data.travel, "ab") if field == "categorySlug" else (data.photo, "abe")

    result = await page(gql, filter={field: await slug_of(term, locale)})

    assert ids_of(result) == expected_ids(newest_first([data.posts[n] for n in expected]))
    assert result["totalCount"] == len(expected)


@pytest.mark.parametrize("field", ["categorySlug", "tagSlug"])
async def test_unknown_term_slug_matches_nothing(gql, field: str) -> None:
    await catalogue()

    result = await page(gql, filter={field: "nowhere"})

    assert result["totalCount"] == 0
    assert result["edges"] == []


async def test_filtered_pages_count_every_match(gql) -> None:
    data = await catalogue()
    expected = newest_first([data.posts[name] for name in "abe"])

    pages = await walk(gql, "NEWEST", 2, filter={"tagId": str(data.photo.id)})

    assert [ids_of(result) for result in pages] == [
        expected_ids(expected[:2]),
        expected_ids(expected[2:]),
    ]
    assert [result["totalCount"] for result in pages] == [len(expected)] * len(pages)


@pytest.mark.parametrize("field", ["categoryId", "tagId", "authorId"])
async def test_malformed_id_filter_is_a_user_error(gql, field: str) -> None:
    await make_post()

    body = await gql(POSTS, filter={field: "abc"})

    assert error_code(body) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("bound", "hours", "expected"),
    [
        ("publishedAfter", -5, "late"),
        ("publishedBefore", -5, "early"),
        ("publishedAfter", 1, "late"),
    ],
)
async def test_date_filters_compare_instants_whatever_the_offset(
    gql, bound: str, hours: int, expected: str
) -> None:
    posts = {
        "early": await make_post(published_at=BASE_TIME),
        "late": await make_post(published_at=BASE_TIME + timedelta(hours=2)),
    }
    # The instant between the two posts, written in another time zone.
    between = (BASE_TIME + timedelta(hours=1)).astimezone(timezone(timedelta(hours=hours)))

    result = await page(gql, filter={bound: between.isoformat()})

    assert ids_of(result) == [str(posts[expected].id)]
    assert result["totalCount"] == 1


async def test_tag_slug_shared_by_two_tags_lists_each_post_once(gql) -> None:
    # 'chat' is the French slug of the tag Cat, and the English slug of the tag Chat.
    cat, chat = await Tag.create(), await Tag.create()
    await TagTranslation.create(tag=cat, locale="fr-CA", name="Chat", slug="chat")
    await TagTranslation.create(tag=cat, locale="en-CA", name="Cat", slug="cat")
    await TagTranslation.create(tag=chat, locale="fr-CA", name="Clavardage", slug="clavardage")
    await TagTranslation.create(tag=chat, locale="en-CA", name="Chat", slug="chat")
    both = await make_post(tags=[cat, chat])
    only_cat = await make_post(tags=[cat])

    result = await page(gql, filter={"tagSlug": "chat"})

    assert ids_of(result) == expected_ids(newest_first([both, only_cat]))
    assert result["totalCount"] == len([both, only_cat])


async def test_date_filter_without_an_offset_is_a_user_error(gql) -> None:
    await make_post()

    body = await gql(POSTS, filter={"publishedAfter": "2026-03-01T13:00:00"})

    assert error_code(body) == "BAD_USER_INPUT"
    assert "UTC offset" in body["errors"][0]["message"]


BACKWARD = """
query Posts(
  $orderBy: PostOrder! = NEWEST, $first: Int! = 20, $last: Int, $before: String, $after: String
) {
  posts(orderBy: $orderBy, first: $first, last: $last, before: $before, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}
"""


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST", "SERIES_NUMBER"])
@pytest.mark.parametrize("size", [1, 3])
async def test_walking_backward_from_the_end_yields_the_same_list(
    gql, order: str, size: int
) -> None:
    """Relay's backward pagination: the last page first, then each page before it, each in
    the list's own order, ties broken as going forward."""
    expected = expected_ids(in_order(await catalogue_with_ties(), order))
    pages, before = [], None
    while True:
        result = (await gql.data(BACKWARD, orderBy=order, last=size, before=before))["posts"]
        pages.append(result)
        cursors = [edge["cursor"] for edge in result["edges"]]
        assert result["pageInfo"]["startCursor"] == cursors[0]
        assert result["pageInfo"]["endCursor"] == cursors[-1]
        # Walking backward, a page before a cursor knows there is a page after it.
        assert result["pageInfo"]["hasNextPage"] is (before is not None)
        assert result["totalCount"] == len(expected)
        if not result["pageInfo"]["hasPreviousPage"]:
            break
        before = result["pageInfo"]["startCursor"]
        assert len(pages) < 50, "pagination does not end"
    walked = [edge["node"]["id"] for result in reversed(pages) for edge in result["edges"]]
    assert walked == expected
    assert all(len(result["edges"]) == size for result in pages[:-1])


async def test_forward_pages_say_where_they_start_and_whether_they_follow_one(gql) -> None:
    await catalogue_with_ties()
    first = (await gql.data(BACKWARD, first=3))["posts"]
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    after = first["pageInfo"]["endCursor"]
    second = (await gql.data(BACKWARD, first=3, after=after))["posts"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    # Back from the second page's start: the first page again.
    back = (await gql.data(BACKWARD, last=3, before=second["pageInfo"]["startCursor"]))["posts"]
    assert [edge["node"]["id"] for edge in back["edges"]] == [
        edge["node"]["id"] for edge in first["edges"]
    ]
    assert back["pageInfo"]["hasPreviousPage"] is False


async def test_paging_both_ways_at_once_or_with_a_foreign_cursor_is_refused(gql) -> None:
    await catalogue_with_ties()
    forward = (await gql.data(BACKWARD, first=2))["posts"]
    both = await gql(BACKWARD, last=2, after=forward["pageInfo"]["endCursor"])
    assert both["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    foreign = await gql(BACKWARD, last=2, before="bm90IGEgY3Vyc29y")
    assert foreign["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "before"}


async def test_a_categorys_posts_page_backward_too(gql) -> None:
    category = await make_category()
    posts = [
        await make_post(category=category, published_at=BASE_TIME + timedelta(days=n))
        for n in range(4)
    ]
    query = """query($slug: String!) { category(slug: $slug) { posts(last: 2) {
      pageInfo { hasPreviousPage } nodes { id } } } }"""
    slug = (await CategoryTranslation.get(category=category, locale="fr-CA")).slug
    found = (await gql.data(query, slug=slug))["category"]["posts"]
    assert found["nodes"] == [{"id": str(posts[1].id)}, {"id": str(posts[0].id)}]
    assert found["pageInfo"]["hasPreviousPage"] is True
