"""Anonymous readers see published posts only, whatever path they take to a post.

Each test builds the same small series: published posts numbered 1 and 3 in a category, and
between them a hidden post numbered 2 (draft, scheduled, archived, or published but moved to
the trash) that shares the
category, tag and author and carries the newest ``published_at``, as if it had been (or were
about to be) published. Only its status keeps it out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from cms.models import Author, Category, Post, PostStatus, Tag
from tests.factories import BASE_TIME, make_author, make_category, make_post, make_tag

TRASHED = "trashed"
HIDDEN = [PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.ARCHIVED, TRASHED]


@dataclass
class Series:
    category: Category
    tag: Tag
    author: Author
    first: Post
    hidden: Post
    third: Post

    @property
    def published_ids(self) -> list[str]:
        """The published posts, newest first."""
        return [str(self.third.id), str(self.first.id)]


@pytest.fixture(params=HIDDEN, ids=str)
async def series(request: pytest.FixtureRequest, settings) -> Series:
    category, tag, author = await make_category(), await make_tag(), await make_author()
    shared = {"category": category, "tags": [tag], "author": author}
    first = await make_post(series_number=1, published_at=BASE_TIME, **shared)
    third = await make_post(series_number=3, published_at=BASE_TIME + timedelta(days=1), **shared)
    hidden = await make_post(
        series_number=2,
        status=PostStatus.PUBLISHED if request.param == TRASHED else request.param,
        published_at=BASE_TIME + timedelta(days=2),
        translations={
            "fr-CA": {"title": "Caché", "slug": "cache"},
            "en-CA": {"title": "Hidden", "slug": "hidden"},
        },
        **shared,
    )
    if request.param == TRASHED:
        hidden.deleted_at = BASE_TIME + timedelta(days=3)
        await hidden.save(update_fields=["deleted_at"])
    return Series(category, tag, author, first, hidden, third)


CONNECTION = "totalCount edges { node { id } } nodes { id }"


def ids_of(connection: dict) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST", "SERIES_NUMBER"])
@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_hidden_post_is_not_listed(gql, series: Series, order: str, locale: str) -> None:
    data = await gql.data(
        "query($o: PostOrder!, $l: String) "
        f"{{ posts(orderBy: $o, locale: $l) {{ {CONNECTION} }} }}",
        o=order,
        l=locale,
    )

    expected = series.published_ids if order == "NEWEST" else series.published_ids[::-1]
    assert ids_of(data["posts"]) == expected
    assert [node["id"] for node in data["posts"]["nodes"]] == expected
    assert data["posts"]["totalCount"] == len(expected)


async def test_hidden_post_is_on_no_page(gql, series: Series) -> None:
    query = (
        "query($after: String) { posts(first: 1, after: $after) "
        "{ edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    seen, after = [], None
    for _ in range(10):
        page = (await gql.data(query, after=after))["posts"]
        seen += ids_of(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == series.published_ids


@pytest.mark.parametrize(
    "lookup",
    [
        pytest.param(lambda s: {"id": str(s.hidden.id)}, id="id"),
        pytest.param(lambda s: {"slug": "cache"}, id="french-slug"),
        pytest.param(lambda s: {"slug": "hidden"}, id="english-slug"),
    ],
)
@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_hidden_post_cannot_be_looked_up(gql, series: Series, lookup, locale: str) -> None:
    query = (
        "query($id: ID, $slug: String, $locale: String) "
        "{ post(id: $id, slug: $slug, locale: $locale) { id } }"
    )

    hidden = await gql.data(query, locale=locale, **lookup(series))
    published = await gql.data(query, locale=locale, id=str(series.first.id))

    assert hidden["post"] is None
    assert published["post"] == {"id": str(series.first.id)}


@pytest.mark.parametrize("locale", ["fr-CA", "en-CA"])
async def test_hidden_post_does_not_shadow_a_published_post_with_its_slug(
    gql, series: Series, locale: str
) -> None:
    # The hidden post's French slug is the English slug of a published post.
    published = await make_post(
        translations={
            "fr-CA": {"title": "Autre", "slug": "autre"},
            "en-CA": {"title": "Other", "slug": "cache"},
        }
    )

    data = await gql.data(
        'query($locale: String) { post(slug: "cache", locale: $locale) { id } }',
        locale=locale,
    )

    assert data["post"] == {"id": str(published.id)}


async def test_hidden_post_is_not_under_its_category_tag_or_author(gql, series: Series) -> None:
    data = await gql.data(
        "query($category: ID!, $tag: ID!, $author: String!) {"
        f"  posts(filter: {{categoryId: $category}}) {{ {CONNECTION} }}"
        f"  tagged: posts(filter: {{tagId: $tag}}) {{ {CONNECTION} }}"
        "  author(slug: $author) {"
        f"    posts {{ {CONNECTION} }}"
        "  }"
        "}",
        category=str(series.category.id),
        tag=str(series.tag.id),
        author=series.author.slug,
    )

    for connection in (data["posts"], data["tagged"], data["author"]["posts"]):
        assert ids_of(connection) == series.published_ids
        assert connection["totalCount"] == len(series.published_ids)


@pytest.mark.parametrize("kind", ["category", "tag"])
async def test_hidden_post_is_not_in_term_posts(gql, series: Series, kind: str) -> None:
    term = series.category if kind == "category" else series.tag
    slug = (await term.translations.filter(locale="fr-CA").first()).slug

    data = await gql.data(
        f"query($slug: String!) {{ {kind}(slug: $slug) {{ posts {{ {CONNECTION} }} }} }}",
        slug=slug,
    )

    assert ids_of(data[kind]["posts"]) == series.published_ids
    assert data[kind]["posts"]["totalCount"] == len(series.published_ids)


async def test_series_navigation_skips_the_hidden_post(gql, series: Series) -> None:
    query = "query($id: ID!) { post(id: $id) { previous { id } next { id } } }"

    first = (await gql.data(query, id=str(series.first.id)))["post"]
    third = (await gql.data(query, id=str(series.third.id)))["post"]

    assert first == {"previous": None, "next": {"id": str(series.third.id)}}
    assert third == {"previous": {"id": str(series.first.id)}, "next": None}


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda s: {"seriesNumber": 2}, id="its-series-number"),
        pytest.param(
            lambda s: {"publishedAfter": (BASE_TIME + timedelta(days=2)).isoformat()},
            id="its-publication-date",
        ),
        pytest.param(
            lambda s: {"categoryId": str(s.category.id), "seriesNumber": 2},
            id="its-category-and-number",
        ),
        pytest.param(
            lambda s: {"authorSlug": s.author.slug, "tagId": str(s.tag.id), "seriesNumber": 2},
            id="its-author-tag-and-number",
        ),
    ],
)
async def test_filters_cannot_reveal_the_hidden_post(gql, series: Series, build) -> None:
    data = await gql.data(
        f"query($f: PostFilter) {{ posts(filter: $f) {{ {CONNECTION} }} }}", f=build(series)
    )

    assert data["posts"] == {"totalCount": 0, "edges": [], "nodes": []}


async def test_hidden_post_appears_once_published(gql, series: Series) -> None:
    """The hidden post is complete: its status (or the trash) alone kept it out of sight."""
    series.hidden.status = PostStatus.PUBLISHED
    series.hidden.deleted_at = None
    await series.hidden.save()

    data = await gql.data(
        '{ posts { totalCount nodes { id } } post(slug: "hidden") { id previous { id } } }'
    )

    assert data["posts"]["nodes"][0] == {"id": str(series.hidden.id)}
    assert data["posts"]["totalCount"] == len(series.published_ids) + 1
    assert data["post"] == {"id": str(series.hidden.id), "previous": {"id": str(series.first.id)}}
