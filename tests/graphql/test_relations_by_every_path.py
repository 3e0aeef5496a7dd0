"""A field's answer never depends on the path that reached its object.

Each relation of a post (category, tags, author, cover, events, alternates, neighbours, body,
structured data; its locales in previews) and of an event (posts, venue, organizer, tags,
cover) is asked by every path the schema offers: the object by id, by slug, in lists, in
other objects' lists, in search results, as a neighbour, in a mutation's payload. Every
answer must equal the one the object gives when loaded directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cms.models import (
    Category,
    EventStatus,
    Media,
    Organizer,
    OrganizerTranslation,
    Post,
    PostStatus,
    Role,
    Venue,
)
from tests.auth import caller
from tests.conftest import GraphQLClient
from tests.factories import make_author, make_category, make_event, make_post, make_tag

LOCALES = ("fr-CA", "en-CA")

EVENT_FRAGMENT = """
fragment EventRelations on Event {
  id title slug resolvedLocale isFallback url
  venue { id name city }
  organizer { id name resolvedLocale isFallback }
  tags { id name slug resolvedLocale }
  cover { id filename alt }
  alternates { locale slug title }
  description { html }
  posts {
    id title slug
    category { id name } tags { id name } author { id name } cover { id }
  }
}
"""
POST_FRAGMENT = (
    """
fragment PostRelations on Post {
  id title slug resolvedLocale isFallback url
  category {
    id name slug resolvedLocale isFallback
    parent { id name }
    alternates { locale slug name }
  }
  tags { id name slug resolvedLocale isFallback }
  author { id name slug bio }
  cover { id filename alt }
  events { ...EventRelations }
  alternates { locale slug title }
  previous { id title slug category { id name } author { id name } }
  next { id title slug tags { id name } }
  body { html }
  jsonLd
}
"""
    + EVENT_FRAGMENT
)
# In a preview: also the drafts, and the state of every locale.
PREVIEW_FRAGMENT = (
    """
fragment PreviewRelations on Post {
  ...PostRelations
  status
  locales { locale state title }
  category { posts(first: 5) { nodes { id title } } }
  author { posts(first: 5) { nodes { id title } } }
}
"""
    + POST_FRAGMENT
)

Finder = Callable[[dict[str, Any]], list[dict[str, Any]]]


def _nodes(*path: str) -> Finder:
    """The objects at ``path`` in a response's data, lists flattened on the way."""

    def find(data: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[Any] = [data]
        for key in path:
            step: list[Any] = []
            for item in found:
                value = item.get(key) if isinstance(item, dict) else None
                if isinstance(value, list):
                    step.extend(value)
                elif value is not None:
                    step.append(value)
            found = step
        return found

    return find


# Every way to reach a public post: a query (with $locale and the variables of the world),
# and where the posts are in its data.
POST_PATHS: dict[str, tuple[str, Finder]] = {
    "post by slug": (
        "query($locale: String, $slug: String!) { post(slug: $slug, locale: $locale) "
        "{ ...PostRelations } }",
        _nodes("post"),
    ),
    "posts, nodes": (
        "query($locale: String) { posts(locale: $locale, first: 10) "
        "{ nodes { ...PostRelations } } }",
        _nodes("posts", "nodes"),
    ),
    "posts, edges, inline fragment": (
        "query($locale: String) { posts(locale: $locale, first: 10) "
        "{ edges { node { ... on Post { ...PostRelations } } } } }",
        _nodes("posts", "edges", "node"),
    ),
    "posts by tag slug, ordered by series": (
        "query($locale: String, $tagSlug: String!) { posts(locale: $locale, first: 10, "
        "orderBy: SERIES_NUMBER, filter: {tagSlug: $tagSlug}) { nodes { ...PostRelations } } }",
        _nodes("posts", "nodes"),
    ),
    "category.posts": (
        "query($locale: String, $categorySlug: String!) { category(slug: $categorySlug, "
        "locale: $locale) { posts(first: 10) { nodes { ...PostRelations } } } }",
        _nodes("category", "posts", "nodes"),
    ),
    "tag.posts": (
        "query($locale: String, $tagSlug: String!) { tag(slug: $tagSlug, locale: $locale) "
        "{ posts(first: 10) { edges { node { ...PostRelations } } } } }",
        _nodes("tag", "posts", "edges", "node"),
    ),
    "author.posts": (
        "query($locale: String, $authorSlug: String!) { author(slug: $authorSlug, "
        "locale: $locale) { posts(first: 10) { nodes { ...PostRelations } } } }",
        _nodes("author", "posts", "nodes"),
    ),
    "post.category.posts": (
        "query($locale: String, $id: ID!) { post(id: $id, locale: $locale) "
        "{ category { posts(first: 10) { nodes { ...PostRelations } } } } }",
        _nodes("post", "category", "posts", "nodes"),
    ),
    "post.tags.posts": (
        "query($locale: String, $id: ID!) { post(id: $id, locale: $locale) "
        "{ tags { posts(first: 10) { nodes { ...PostRelations } } } } }",
        _nodes("post", "tags", "posts", "nodes"),
    ),
    "event.posts": (
        "query($locale: String, $eventId: ID!) { event(id: $eventId, locale: $locale) "
        "{ posts { ...PostRelations } } }",
        _nodes("event", "posts"),
    ),
    "events.event.posts": (
        'query($locale: String) { events(from: "2026-10-01T00:00:00Z", '
        'to: "2026-11-01T00:00:00Z", locale: $locale) '
        "{ nodes { event { posts { ...PostRelations } } } } }",
        _nodes("events", "nodes", "event", "posts"),
    ),
    "post.events.posts": (
        "query($locale: String, $previousId: ID!) { post(id: $previousId, locale: $locale) "
        "{ events { posts { ...PostRelations } } } }",
        _nodes("post", "events", "posts"),
    ),
    "search, nodes": (
        "query($locale: String, $word: String!) { search(query: $word, locale: $locale) "
        "{ nodes { post { ...PostRelations } } } }",
        _nodes("search", "nodes", "post"),
    ),
    "search, edges": (
        "query($locale: String, $word: String!) { search(query: $word, locale: $locale) "
        "{ edges { node { post { ...PostRelations } } } } }",
        _nodes("search", "edges", "node", "post"),
    ),
    "previous.next": (
        "query($locale: String, $previousId: ID!) { post(id: $previousId, locale: $locale) "
        "{ next { ...PostRelations } } }",
        _nodes("post", "next"),
    ),
    "next.previous": (
        "query($locale: String, $nextId: ID!) { post(id: $nextId, locale: $locale) "
        "{ previous { ...PostRelations } } }",
        _nodes("post", "previous"),
    ),
}
POST_DIRECTLY = (
    "query($locale: String, $id: ID!) { post(id: $id, locale: $locale) { ...PostRelations } }"
)

EVENT_PATHS: dict[str, tuple[str, Finder]] = {
    "event by slug": (
        "query($locale: String, $eventSlug: String!) { event(slug: $eventSlug, "
        "locale: $locale) { ...EventRelations } }",
        _nodes("event"),
    ),
    "events": (
        'query($locale: String) { events(from: "2026-10-01T00:00:00Z", '
        'to: "2026-11-01T00:00:00Z", locale: $locale) '
        "{ edges { node { event { ...EventRelations } } } } }",
        _nodes("events", "edges", "node", "event"),
    ),
    "post.events": (
        "query($locale: String, $id: ID!) { post(id: $id, locale: $locale) "
        "{ events { ...EventRelations } } }",
        _nodes("post", "events"),
    ),
    "posts.events": (
        "query($locale: String) { posts(locale: $locale, first: 10) "
        "{ nodes { events { ...EventRelations } } } }",
        _nodes("posts", "nodes", "events"),
    ),
    "event.posts.events": (
        "query($locale: String, $eventId: ID!) { event(id: $eventId, locale: $locale) "
        "{ posts { events { ...EventRelations } } } }",
        _nodes("event", "posts", "events"),
    ),
    "search": (
        "query($locale: String, $eventWord: String!) { search(query: $eventWord, "
        "locale: $locale) { nodes { event { ...EventRelations } } } }",
        _nodes("search", "nodes", "event"),
    ),
}
PREVIEW_DIRECTLY = (
    "query($locale: String, $draftId: ID!) { post(id: $draftId, locale: $locale, "
    "preview: true) { ...PreviewRelations } }"
)
EVENT_DIRECTLY = (
    "query($locale: String, $eventId: ID!) { event(id: $eventId, locale: $locale) "
    "{ ...EventRelations } }"
)


async def _cover() -> Media:
    return await Media.create(
        original_filename="cover.png",
        content_type="image/png",
        size=1234,
        sha256="0" * 64,
        storage_key="originals/cover.png",
        width=64,
        height=48,
        alt={"fr-CA": "Une salle pleine", "en-CA": "A full room"},
    )


@pytest.fixture
async def world(settings) -> dict[str, Any]:
    """Three numbered posts in one category, the middle one with everything a post can
    have, mentioning a published event (and a draft one nobody may see)."""
    parent = await make_category()
    category = await make_category()
    await Category.filter(id=category.id).update(parent_id=parent.id)
    tags = [await make_tag() for _ in range(2)]
    author = await make_author(bios={"fr-CA": "Elle écrit.", "en-CA": "She writes."})
    other_author = await make_author()
    cover = await _cover()
    organizer = await Organizer.create(website="https://reseau.example")
    await OrganizerTranslation.create(organizer=organizer, locale="fr-CA", name="Le Réseau")
    venue = await Venue.create(name="Café Cinq", city="Montréal")
    event = await make_event(
        translations={
            "fr-CA": {"title": "Soirée Quetzal", "slug": "soiree-quetzal"},
            "en-CA": {"title": "Quetzal evening", "slug": "quetzal-evening"},
        },
        venue=venue,
        organizer=organizer,
        cover=cover,
    )
    await event.tags.add(tags[0])
    draft_event = await make_event(status=EventStatus.DRAFT)

    def titled(number: int, word: str) -> dict[str, dict[str, str]]:
        return {
            "fr-CA": {"title": f"{number}. {word} en français", "slug": f"{word.lower()}-fr"},
            "en-CA": {"title": f"{number}. {word} in English", "slug": f"{word.lower()}-en"},
        }

    first = await make_post(
        translations=titled(1, "Albatros"), series_number=1, category=category, author=author
    )
    middle = await make_post(
        translations=titled(2, "Zeppelin"),
        series_number=2,
        category=category,
        author=author,
        tags=tags,
    )
    await Post.filter(id=middle.id).update(cover_id=cover.id)
    last = await make_post(
        translations={"fr-CA": titled(3, "Colibri")["fr-CA"]},  # French only: a fallback
        series_number=3,
        category=category,
        author=other_author,
        tags=tags[1:],
    )
    for post in (first, middle, last):
        await post.events.add(event, draft_event)
    # A draft in the same category, tagged, by the same author: only previews show it.
    draft = await make_post(
        translations=titled(4, "Draft"),
        status=PostStatus.DRAFT,
        series_number=4,
        category=category,
        author=author,
        tags=tags,
    )
    category_slug = (await category.translations.all())[0].slug
    tag_slug = (await tags[1].translations.all())[0].slug
    return {
        "ids": [str(p.id) for p in (first, middle, last)],
        "id": str(middle.id),
        "previousId": str(first.id),
        "nextId": str(last.id),
        "draftId": str(draft.id),
        "slug": "zeppelin-en",
        "categorySlug": category_slug,
        "tagSlug": tag_slug,
        "authorSlug": author.slug,
        "word": "Zeppelin",
        "eventId": str(event.id),
        "eventSlug": "soiree-quetzal",
        "eventWord": "Quetzal",
    }


async def _ask(gql: GraphQLClient, query: str, fragment: str, world: dict, **variables) -> dict:
    used = {k: v for k, v in world.items() if f"${k}" in query}
    return await gql.data(query + fragment, **{**used, **variables})


def _by_id(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The objects found, by id; one object met twice must be met the same both times."""
    by_id: dict[str, dict[str, Any]] = {}
    for item in found:
        assert by_id.setdefault(item["id"], item) == item
    return by_id


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_post_reached_by_any_path_shows_the_same_relations(gql, world, locale) -> None:
    expected = {}
    for post_id in world["ids"]:
        direct = await _ask(gql, POST_DIRECTLY, POST_FRAGMENT, world, locale=locale, id=post_id)
        expected[post_id] = direct["post"]
    subject = expected[world["id"]]
    # The subject has every relation, so the comparison below compares something.
    assert subject["category"]["parent"] is not None
    assert len(subject["tags"]) == 2
    assert subject["author"]["bio"]
    assert subject["cover"]["alt"]
    assert [e["id"] for e in subject["events"]] == [world["eventId"]]
    assert subject["events"][0]["venue"]["city"] == "Montréal"
    assert {p["id"] for p in subject["events"][0]["posts"]} == set(world["ids"])
    assert subject["previous"]["id"] == world["previousId"]
    assert subject["next"]["id"] == world["nextId"]

    for name, (query, find) in POST_PATHS.items():
        data = await _ask(gql, query, POST_FRAGMENT, world, locale=locale)
        found = _by_id(find(data))
        assert world["id"] in found, name
        for post_id, post in found.items():
            assert post == expected[post_id], (name, post_id)


@pytest.mark.parametrize("locale", LOCALES)
async def test_an_event_reached_by_any_path_shows_the_same_relations(gql, world, locale) -> None:
    direct = await _ask(gql, EVENT_DIRECTLY, EVENT_FRAGMENT, world, locale=locale)
    expected = direct["event"]
    assert expected["venue"] and expected["organizer"] and expected["cover"]
    assert len(expected["tags"]) == 1
    assert {p["id"] for p in expected["posts"]} == set(world["ids"])
    middle = next(p for p in expected["posts"] if p["id"] == world["id"])
    assert middle["category"] and middle["author"] and len(middle["tags"]) == 2

    for name, (query, find) in EVENT_PATHS.items():
        data = await _ask(gql, query, EVENT_FRAGMENT, world, locale=locale)
        found = _by_id(find(data))
        assert list(found) == [world["eventId"]], name  # never the draft event
        assert found[world["eventId"]] == expected, name


async def test_a_previewed_post_shows_the_same_relations_by_every_path(client, world) -> None:
    editor = await caller(client, Role.EDITOR)
    locale = "en-CA"
    direct = await _ask(
        editor,
        PREVIEW_DIRECTLY,
        PREVIEW_FRAGMENT,
        world,
        locale=locale,
    )
    expected = direct["post"]
    assert expected["status"] == "DRAFT"
    assert expected["category"]["name"] and expected["author"]["name"]
    assert len(expected["tags"]) == 2
    # Reached from a preview, the category's and author's posts show the drafts too.
    assert world["draftId"] in {p["id"] for p in expected["category"]["posts"]["nodes"]}
    assert world["draftId"] in {p["id"] for p in expected["author"]["posts"]["nodes"]}

    paths: dict[str, tuple[str, Finder]] = {
        "post by slug": (
            'query($locale: String) { post(slug: "draft-en", locale: $locale, preview: true) '
            "{ ...PreviewRelations } }",
            _nodes("post"),
        ),
        "posts": (
            "query($locale: String) { posts(locale: $locale, first: 10, preview: true) "
            "{ nodes { ...PreviewRelations } } }",
            _nodes("posts", "nodes"),
        ),
        "previewed post.category.posts": (
            "query($locale: String, $draftId: ID!) { post(id: $draftId, locale: $locale, "
            "preview: true) { category { posts(first: 10) { nodes { ...PreviewRelations } } } } }",
            _nodes("post", "category", "posts", "nodes"),
        ),
        "previewed post.previous.next": (
            "query($locale: String, $draftId: ID!) { post(id: $draftId, locale: $locale, "
            "preview: true) { previous { next { ...PreviewRelations } } } }",
            _nodes("post", "previous", "next"),
        ),
    }
    for name, (query, find) in paths.items():
        data = await _ask(editor, query, PREVIEW_FRAGMENT, world, locale=locale)
        found = _by_id(find(data))
        assert found.get(world["draftId"]) == expected, name

    # A mutation's payload is a preview of what was written: the same relations again.
    written = await _ask(
        editor,
        "mutation($locale: String, $draftId: ID!) { updatePost(id: $draftId, "
        "expectedVersion: 1, input: {seriesNumber: 4}, locale: $locale) "
        "{ post { ...PreviewRelations } errors { code } } }",
        PREVIEW_FRAGMENT,
        world,
        locale=locale,
    )
    assert written["updatePost"]["errors"] == []
    # The write moved the post's dates (its structured data shows them): read it again.
    again = await _ask(
        editor,
        PREVIEW_DIRECTLY,
        PREVIEW_FRAGMENT,
        world,
        locale=locale,
    )
    assert written["updatePost"]["post"] == again["post"]
