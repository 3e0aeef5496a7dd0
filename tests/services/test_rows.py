"""The rows the read services return are what their declared types say, on both databases.

The GraphQL layer, the feeds and the calendars read these rows by key; each row type names
every key and the type of its value, and a type that drifted from its query (a column added,
renamed, or read back as text on one engine) fails here.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from cms.models import EventOverride, Organizer, OrganizerTranslation, Venue
from cms.services import events, posts, taxonomy
from tests.factories import make_author, make_category, make_event, make_post, make_tag

CHAIN = ("fr-CA", "en-CA")


def _matches(value: object, hint: Any) -> bool:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_matches(value, arg) for arg in get_args(hint))
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if origin is not None:  # list[...], dict[...]: the container is what is checked
        return isinstance(value, origin)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def assert_rows(rows: list, row_type: type) -> None:
    """Every row has exactly the keys of ``row_type``, each value of its declared type."""
    assert is_typeddict(row_type)
    hints = get_type_hints(row_type)
    assert rows, f"no {row_type.__name__} to check"
    for row in rows:
        assert set(row) == set(hints), row_type.__name__
        for key, hint in hints.items():
            assert _matches(row[key], hint), f"{row_type.__name__}.{key}: {row[key]!r}"


@pytest.fixture
async def content(settings) -> dict[str, int]:
    category, tag = await make_category(), await make_tag()
    author = await make_author(bios={"fr-CA": "Une autrice."})
    post = await make_post(series_number=4, category=category, tags=[tag], author=author)
    organizer = await Organizer.create(website="https://example.com", social_links=[])
    await OrganizerTranslation.create(organizer=organizer, locale="fr-CA", name="Le club")
    venue = await Venue.create(name="La salle", city="Montréal", latitude=45.5, longitude=-73.6)
    event = await make_event(
        organizer=organizer,
        venue=venue,
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=["2026-10-14T17:00"],
        price_cents=1500,
        is_free=False,
    )
    await event.tags.add(tag)
    await event.posts.add(post)
    await EventOverride.create(
        event=event, occurrence_local="2026-10-21T17:00", start_local="2026-10-22T17:00"
    )
    return {
        "post": post.id,
        "category": category.id,
        "tag": tag.id,
        "author": author.id,
        "event": event.id,
        "venue": venue.id,
    }


def assert_related(related: posts.Related, content: dict) -> None:
    """The rows read with posts, in their statement, are the rows the loaders would read."""
    assert_rows(related.translations[content["post"]], posts.TranslationRow)
    assert_rows(related.tags[content["post"]], taxonomy.PostTagRow)
    assert_rows(related.categories[content["category"]], taxonomy.CategoryTranslationRow)
    assert_rows([related.authors[content["author"]]], taxonomy.AuthorRow)


@pytest.mark.parametrize("order", list(posts.PostOrder))
@pytest.mark.parametrize("published_only", [True, False], ids=["public", "preview"])
async def test_listed_posts(content, order: posts.PostOrder, published_only: bool) -> None:
    query = posts.PostQuery(chain=CHAIN, order=order, published_only=published_only)
    page = await posts.list_posts(query)
    assert_rows(page.rows, posts.ListedPostRow)
    assert_related(page.related, content)


async def test_related_rows_are_the_rows_their_loaders_read(content) -> None:
    ids = [content["post"]]
    for published_only in (True, False):
        related = (await posts.posts_by_id(ids, published_only=published_only)).related
        translations = await posts.translations_of(ids, published_only=published_only)
        assert related.translations == {content["post"]: translations}
        assert related.tags == {content["post"]: await taxonomy.post_tags(ids)}
    assert related.categories == await taxonomy.category_translations([content["category"]])
    assert related.authors == {
        row["id"]: row for row in await taxonomy.authors([content["author"]])
    }


async def test_post_rows(content) -> None:
    ids = [content["post"]]
    found = await posts.posts_by_id(ids, published_only=True)
    assert_rows(found.rows, posts.PostRow)
    assert_related(found.related, content)
    translations = await posts.translations_of(ids, published_only=False)
    assert_rows(translations, posts.TranslationRow)
    assert_rows(await posts.bodies([t["id"] for t in translations]), posts.BodyRow)
    assert_rows(await posts.neighbours_of(ids, CHAIN, published_only=True), posts.NeighbourRow)
    for published_only in (True, False):
        full = await posts.full_post(CHAIN, post_id=ids[0], published_only=published_only)
        assert full is not None
        assert_rows([full.row], posts.PostRow)
        assert_related(full.related, content)
        assert_rows(full.bodies, posts.BodyRow)
        assert_rows(full.bios, taxonomy.AuthorBioRow)
        assert_rows([full.neighbours], posts.NeighbourRow)
    linked = await posts.posts_linked_to_events([content["event"]])
    assert_rows(linked.posts[content["event"]], posts.PostRow)
    assert_related(linked.related, content)
    assert_rows(await posts.events_linked_to_posts(ids), posts.PostEventRow)


async def test_event_rows(content) -> None:
    ids = [content["event"]]
    visible = await events.visible_events(CHAIN, events.EventFilter(), published_only=True)
    assert_rows(visible, events.EventRow)
    assert_rows(await events.events_by_id(ids, published_only=True), events.EventRow)
    translations = await events.translations_of(ids)
    assert_rows(translations, events.EventTranslationRow)
    assert_rows(await events.descriptions([t["id"] for t in translations]), events.DescriptionRow)
    assert_rows(await events.tag_translations_of(ids), events.EventTagRow)
    assert_rows(await events.overrides_of(ids), events.OverrideRow)
    assert_rows(await events.venues([content["venue"]]), events.VenueRow)
    assert_rows(await events.organizer_translations(), events.OrganizerTranslationRow)


async def test_term_rows(content) -> None:
    categories = await taxonomy.category_translations([content["category"]])
    assert_rows(categories[content["category"]], taxonomy.CategoryTranslationRow)
    tags = await taxonomy.tag_translations()
    assert_rows(tags[content["tag"]], taxonomy.TagTranslationRow)
    assert_rows(await taxonomy.post_tags([content["post"]]), taxonomy.PostTagRow)
    assert_rows(await taxonomy.authors([content["author"]]), taxonomy.AuthorRow)
    bios = await taxonomy.author_bios([content["author"]])
    assert_rows(bios[content["author"]], taxonomy.AuthorBioRow)
