"""Every public surface shows a reader the same posts and events, by one rule.

The same small site, with a post in each state a writer can leave one in, is read the ways a
reader (or a machine acting for one) reads it: the API's post lists, the feeds, the sitemap,
search, and the webhooks announcing that a page went away. Each must name the same
(post, locale) pages, and the same events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from cms.models import Event, EventStatus, Post, PostStatus, PostTranslation, TranslationStatus
from cms.services.webhooks.diffs import event_change, post_change
from cms.settings import Settings
from tests.factories import make_event, make_post
from tests.webhooks.helpers import queued, subscribe

WORD = "zorblatte"
LOCALES = ("fr-CA", "en-CA")
Page = tuple[int, str]  # (post or event id, locale)


@dataclass
class Site:
    posts: dict[str, Post]  # by the state each was left in
    events: dict[str, Event]
    slugs: dict[str, Page]  # every slug written, public or not


async def _post(name: str, site: Site, **options) -> Post:
    post = await make_post(
        translations={
            locale: {
                "title": f"{name} {WORD}",
                "slug": f"{name}-{locale.lower()}",
                "body": f"Un texte sur {WORD}.",
            }
            for locale in LOCALES
        },
        **options,
    )
    site.posts[name] = post
    for locale in LOCALES:
        site.slugs[f"{name}-{locale.lower()}"] = (post.id, locale)
    return post


async def _event(name: str, site: Site, status: EventStatus) -> Event:
    event = await make_event(
        translations={
            locale: {"title": f"{name} {WORD}", "slug": f"{name}-{locale.lower()}"}
            for locale in LOCALES
        },
        status=status,
    )
    site.events[name] = event
    for locale in LOCALES:
        site.slugs[f"{name}-{locale.lower()}"] = (event.id, locale)
    return event


@pytest.fixture
async def site(settings: Settings) -> Site:
    site = Site({}, {}, {})
    now = datetime.now(UTC)
    await _post("public", site)
    half = await _post("half", site)  # its English translation is still a draft
    await PostTranslation.filter(post_id=half.id, locale="en-CA").update(
        status=TranslationStatus.DRAFT
    )
    await _post("draft", site, status=PostStatus.DRAFT)
    scheduled = await _post("scheduled", site, status=PostStatus.SCHEDULED)
    await Post.filter(id=scheduled.id).update(publish_at=now + timedelta(days=1))
    await _post("archived", site, status=PostStatus.ARCHIVED)
    trashed = await _post("trashed", site)
    await Post.filter(id=trashed.id).update(deleted_at=now)
    # Publishing never stamps a future date, but a row written around it may hold one: the
    # post is published all the same, and every surface says so alike.
    await _post("ahead", site, published_at=now + timedelta(days=1))
    await _event("soiree", site, EventStatus.PUBLISHED)
    await _event("brouillon", site, EventStatus.DRAFT)
    return site


def _public_posts(site: Site) -> set[Page]:
    """What the rule lets anonymous readers see."""
    posts = site.posts
    return {
        (posts["public"].id, "fr-CA"),
        (posts["public"].id, "en-CA"),
        (posts["half"].id, "fr-CA"),
        (posts["ahead"].id, "fr-CA"),
        (posts["ahead"].id, "en-CA"),
    }


def _public_events(site: Site) -> set[Page]:
    return {(site.events["soiree"].id, locale) for locale in LOCALES}


async def _api(gql) -> set[Page]:
    """Each post the API lists in a locale, in that locale (not as a fallback)."""
    found = set()
    for locale in LOCALES:
        data = await gql.data(
            "query($l: String) { posts(locale: $l, first: 50) { nodes { id resolvedLocale } } }",
            l=locale,
        )
        found |= {
            (int(node["id"]), locale)
            for node in data["posts"]["nodes"]
            if node["resolvedLocale"] == locale
        }
    return found


async def _api_by_slug(gql, site: Site) -> set[Page]:
    """Each page a reader opening its address is served, in its own locale."""
    found = set()
    for slug, (ident, locale) in site.slugs.items():
        if ident not in {post.id for post in site.posts.values()}:
            continue
        data = await gql.data(
            "query($s: String!, $l: String) { post(slug: $s, locale: $l) { id resolvedLocale } }",
            s=slug,
            l=locale,
        )
        post = data["post"]
        if post is not None and post["resolvedLocale"] == locale:
            assert int(post["id"]) == ident
            found.add((ident, locale))
    return found


async def _feeds(client) -> set[Page]:
    found = set()
    for locale in LOCALES:
        response = await client.get(f"/feeds/{locale}/feed.json")
        assert response.status_code == 200
        for item in response.json()["items"]:
            ident, in_locale = re.fullmatch(r"tag:.*:post/(\d+)/(.+)", item["id"]).groups()
            found.add((int(ident), in_locale))
    return found


async def _sitemap(client, site: Site, settings: Settings) -> tuple[set[Page], set[Page]]:
    """(posts, events) the sitemap lists."""
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    listed = set(re.findall(r"<loc>([^<]+)</loc>", response.text))
    posts, events = set(), set()
    for slug, (ident, locale) in site.slugs.items():
        if settings.post_url(locale, slug) in listed:
            posts.add((ident, locale))
        if settings.event_url(locale, slug) in listed:
            events.add((ident, locale))
    return posts, events


async def _search(gql) -> tuple[set[Page], set[Page]]:
    """(posts, events) a search for the word finds, in each locale."""
    posts, events = set(), set()
    for locale in LOCALES:
        data = await gql.data(
            "query($q: String!, $l: String) { search(query: $q, locale: $l, first: 50) "
            "{ nodes { kind post { id } event { id } } } }",
            q=WORD,
            l=locale,
        )
        for node in data["search"]["nodes"]:
            if node["kind"] == "POST":
                posts.add((int(node["post"]["id"]), locale))
            else:
                events.add((int(node["event"]["id"]), locale))
    return posts, events


async def _hidden_by_webhooks(site: Site) -> tuple[set[Page], set[Page]]:
    """(posts, events) whose pages a webhook says went away when each is hidden in turn."""
    await subscribe()
    for post in site.posts.values():
        async with in_transaction(), post_change(post.id):
            await Post.filter(id=post.id).update(deleted_at=datetime.now(UTC))
    for event in site.events.values():
        async with in_transaction(), event_change(event.id):
            await Event.filter(id=event.id).update(status=EventStatus.DRAFT)
    posts, events = set(), set()
    for kind, data in await queued():
        pages = {(int(data["id"]), locale) for locale in data["previousSlugs"]}
        assert data["slugs"] == {}
        if kind.startswith("post."):
            posts |= pages
        else:
            events |= pages
    return posts, events


async def test_every_surface_shows_the_same_posts_and_events(
    client, gql, site: Site, settings: Settings
) -> None:
    posts, events = _public_posts(site), _public_events(site)

    assert await _api(gql) == posts
    assert await _api_by_slug(gql, site) == posts
    assert await _feeds(client) == posts
    assert await _sitemap(client, site, settings) == (posts, events)
    assert await _search(gql) == (posts, events)
    assert await _hidden_by_webhooks(site) == (posts, events)


async def test_publishing_a_scheduled_post_shows_it_everywhere_at_once(
    client, gql, site: Site, settings: Settings
) -> None:
    scheduled = site.posts["scheduled"]
    await Post.filter(id=scheduled.id).update(
        status=PostStatus.PUBLISHED, published_at=datetime.now(UTC), publish_at=None
    )
    posts = _public_posts(site) | {(scheduled.id, locale) for locale in LOCALES}

    assert await _api(gql) == posts
    assert await _feeds(client) == posts
    assert (await _sitemap(client, site, settings))[0] == posts
    assert (await _search(gql))[0] == posts
