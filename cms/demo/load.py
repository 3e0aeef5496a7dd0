"""Loading the bundled demo content (and, for benchmarks, many posts shaped like it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from tortoise.transactions import in_transaction

from cms.demo import content, events
from cms.models import (
    Author,
    AuthorTranslation,
    Category,
    CategoryTranslation,
    Event,
    EventStatus,
    Post,
    PostStatus,
    PostTranslation,
    Tag,
    TagTranslation,
)
from cms.services import event_writing
from cms.services.markdown import derived_fields

derived = cache(derived_fields)


async def load_demo(*, extra_posts: int = 0, only_if_empty: bool = False) -> int:
    """Add the demo content, plus ``extra_posts`` generated posts; return how many were added.

    Idempotent: the bundled content is added once (recognised by its author). Everything is
    written in one transaction, so an interrupted load leaves nothing behind.
    """
    if only_if_empty and await Post.exists():
        return 0
    added = 0
    async with in_transaction():
        author = await Author.get_or_none(slug=content.AUTHOR["slug"])
        if author is None:
            author = await _author()
            categories = await _terms(Category, CategoryTranslation, "category", content.CATEGORIES)
            tags = await _terms(Tag, TagTranslation, "tag", content.TAGS)
            blog: dict[int, Post] = {}
            for spec in content.POSTS:
                post = await _post(
                    spec, author, categories[spec["category"]], [tags[k] for k in spec["tags"]]
                )
                if spec["category"] == content.CATEGORIES[0]["key"]:
                    blog[spec["series_number"]] = post
                added += 1
            await _events(tags, blog)
        if extra_posts:
            added += await _generated(extra_posts, author)
    return added


async def _author() -> Author:
    spec = content.AUTHOR
    author = await Author.create(name=spec["name"], slug=spec["slug"])
    await AuthorTranslation.bulk_create(
        [AuthorTranslation(author=author, locale=loc, bio=bio) for loc, bio in spec["bio"].items()]
    )
    return author


async def _terms(
    model: Any, translation: Any, fk: str, specs: list[dict[str, Any]]
) -> dict[str, Any]:
    found = {}
    for spec in specs:
        term = await model.create()
        await translation.bulk_create(
            [
                translation(**{fk: term}, locale=loc, name=name, slug=spec["slug"][loc])
                for loc, name in spec["name"].items()
            ]
        )
        found[spec["key"]] = term
    return found


async def _post(
    spec: dict[str, Any],
    author: Author,
    category: Category,
    tags: list[Tag],
    *,
    series_number: int | None = None,
    published_at: datetime | None = None,
    suffix: str = "",
) -> Post:
    published = spec["status"] == "published"
    when = published_at or (datetime.fromisoformat(spec["published_at"]) if published else None)
    post = await Post.create(
        series_number=series_number or spec["series_number"],
        status=PostStatus.PUBLISHED if published else PostStatus.DRAFT,
        published_at=when,
        author=author,
        category=category,
    )
    await PostTranslation.bulk_create(
        [
            PostTranslation(
                post=post,
                locale=locale,
                title=t["title"] + (f" ({suffix})" if suffix else ""),
                slug=t["slug"] + (f"-{suffix}" if suffix else ""),
                excerpt=t["excerpt"],
                seo_title=t.get("seo_title"),
                seo_description=t.get("seo_description"),
                **derived(t["body"]),
            )
            for locale, t in spec["translations"].items()
        ]
    )
    if tags:
        await post.tags.add(*tags)
    return post


async def _events(tags: dict[str, Tag], blog: dict[int, Post]) -> None:
    """The demo's events, written through the same services as the API's mutations."""
    locales = ("fr-CA", "en-CA")
    organizers = {
        spec["key"]: await event_writing.save_organizer(
            None,
            spec["website"],
            spec["social_links"],
            {locale: (name, spec["description"][locale]) for locale, name in spec["name"].items()},
        )
        for spec in events.ORGANIZERS
    }
    venues = {
        spec["key"]: await event_writing.save_venue(
            None, {k: v for k, v in spec.items() if k != "key"}
        )
        for spec in events.VENUES
    }
    for spec in events.EVENTS:
        fields = event_writing.EventFields(
            timezone=spec["timezone"],
            start_local=spec["start_local"],
            end_local=spec["end_local"],
            rrule=spec["rrule"],
            venue_id=venues[spec["venue"]],
            organizer_id=organizers[spec["organizer"]],
            audience=spec["audience"],
            languages=spec["languages"],
            registration_url=spec["registration_url"],
            tag_ids=[tags[key].id for key in spec["tags"]],
        )
        texts = [
            event_writing.EventText(locale, t["title"], t["slug"], t["summary"], t["description"])
            for locale, t in spec["translations"].items()
        ]
        event_id = await event_writing.create_event(fields, texts, locales, None)
        await event_writing.set_status(event_id, 1, EventStatus.PUBLISHED)
        for version, occurrence in enumerate(spec["cancelled"], start=2):
            await event_writing.change_occurrence(event_id, version, occurrence, cancelled=True)
        linked = [blog[number] for number in spec["posts"] if number in blog]
        if linked:
            event = await Event.get(id=event_id)
            await event.posts.add(*linked)


async def _generated(count: int, author: Author) -> int:
    """``count`` published posts in every locale, cycling through the demo posts' text."""
    blog_slug = content.CATEGORIES[0]["slug"]["fr-CA"]
    category = await Category.get(translations__slug=blog_slug)
    tags = await Tag.all().order_by("id")
    latest = await Post.filter(category=category).order_by("-series_number").first()
    number = latest.series_number if latest and latest.series_number else 0
    bilingual = [p for p in content.POSTS if len(p["translations"]) > 1]
    start = datetime.fromisoformat(content.POSTS[0]["published_at"] or "2026-01-01T12:00:00+00:00")
    for index in range(count):
        number += 1
        spec = {**bilingual[index % len(bilingual)], "status": "published"}
        await _post(
            spec,
            author,
            category,
            [tags[(index + k) % len(tags)] for k in range(3)] if tags else [],
            series_number=number,
            published_at=start - timedelta(hours=index + 1),
            suffix=str(number),
        )
    return count
