"""Loading the bundled demo content (and, for benchmarks, many posts shaped like it).

Everything is written through the services the API's mutations use, so the demo is what a
site written in the app would be: each post has its history (created, then published), its
translations record the text they follow, its slugs and series number passed the same checks,
and publishing it owed the same webhooks. Only that path keeps those rules; rows written
directly would skip them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from cms.demo import content, events
from cms.models import Author, Category, EventStatus, Post, Tag
from cms.services import event_writing, post_writing, taxonomy_writing

#: Who writes the demo: no account (as for the scheduler), in the demo's own locales.
WRITER = post_writing.Actor.system(content.LOCALES)


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
            author_id = await _bundled()
            added += len(content.POSTS)
        else:
            author_id = author.id
        if extra_posts:
            added += await _generated(extra_posts, author_id)
    return added


async def _bundled() -> int:
    """The bundled author, categories, tags, events and posts; the author's id."""
    author_id = await taxonomy_writing.create_author(
        content.AUTHOR["name"], content.AUTHOR["slug"], content.AUTHOR["bio"]
    )
    categories = await _terms("category", content.CATEGORIES)
    tags = await _terms("tag", content.TAGS)
    mentioned_in = await _events(tags)
    blog = content.CATEGORIES[0]["key"]
    for spec in content.POSTS:
        in_blog = spec["category"] == blog
        await _post(
            spec,
            author_id,
            categories[spec["category"]],
            [tags[key] for key in spec["tags"]],
            event_ids=mentioned_in.get(spec["series_number"], []) if in_blog else [],
        )
    return author_id


async def _terms(kind: str, specs: list[dict[str, Any]]) -> dict[str, int]:
    """Create the categories or tags of ``specs``; their ids by key."""
    return {
        spec["key"]: await taxonomy_writing.create_term(
            kind,
            [
                taxonomy_writing.TermName(locale, name, spec["slug"][locale])
                for locale, name in spec["name"].items()
            ],
            content.LOCALES,
        )
        for spec in specs
    }


async def _post(
    spec: dict[str, Any],
    author_id: int,
    category_id: int,
    tag_ids: list[int],
    *,
    event_ids: list[int],
    series_number: int | None = None,
    published_at: datetime | None = None,
    suffix: str = "",
) -> int:
    """Write one post of ``spec`` as the demo's writer, published on its date unless it is a
    draft; its id. ``suffix`` sets a generated post's title and slugs apart."""
    fields = post_writing.PostFields(
        series_number=series_number or spec["series_number"],
        category_id=category_id,
        author_id=author_id,
        tag_ids=tag_ids,
        event_ids=event_ids,
    )
    translations = [
        post_writing.TranslationInput(
            locale=locale,
            title=text["title"] + (f" ({suffix})" if suffix else ""),
            slug=text["slug"] + (f"-{suffix}" if suffix else ""),
            excerpt=text["excerpt"],
            body=text["body"],
            seo_title=text.get("seo_title"),
            seo_description=text.get("seo_description"),
        )
        for locale, text in spec["translations"].items()
    ]
    post = await post_writing.create_post(WRITER, fields, translations)
    if spec["status"] == "published":
        when = published_at or datetime.fromisoformat(spec["published_at"])
        await post_writing.publish(WRITER, post.id, post.version, published_at=when)
    return post.id


async def _events(tags: dict[str, int]) -> dict[int, list[int]]:
    """The demo's events, published; for each blog post's series number, the ids of the events
    it mentions."""
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
    mentioned_in: dict[int, list[int]] = {}
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
            tag_ids=[tags[key] for key in spec["tags"]],
        )
        texts = [
            event_writing.EventText(locale, t["title"], t["slug"], t["summary"], t["description"])
            for locale, t in spec["translations"].items()
        ]
        event_id = await event_writing.create_event(fields, texts, content.LOCALES, None)
        await event_writing.set_status(event_id, 1, EventStatus.PUBLISHED)
        for version, occurrence in enumerate(spec["cancelled"], start=2):
            await event_writing.change_occurrence(event_id, version, occurrence, cancelled=True)
        for number in spec["posts"]:
            mentioned_in.setdefault(number, []).append(event_id)
    return mentioned_in


async def _generated(count: int, author_id: int) -> int:
    """``count`` published posts in every locale, cycling through the demo posts' text."""
    blog_slug = content.CATEGORIES[0]["slug"]["fr-CA"]
    category = await Category.get(translations__slug=blog_slug)
    tag_ids = await Tag.all().order_by("id").values_list("id", flat=True)
    latest = await Post.filter(category=category).order_by("-series_number").first()
    number = latest.series_number if latest and latest.series_number else 0
    bilingual = [p for p in content.POSTS if len(p["translations"]) > 1]
    start = datetime.fromisoformat(content.POSTS[0]["published_at"] or "2026-01-01T12:00:00+00:00")
    for index in range(count):
        number += 1
        spec = {**bilingual[index % len(bilingual)], "status": "published"}
        await _post(
            spec,
            author_id,
            category.id,
            [tag_ids[(index + k) % len(tag_ids)] for k in range(3)] if tag_ids else [],
            event_ids=[],
            series_number=number,
            published_at=start - timedelta(hours=index + 1),
            suffix=str(number),
        )
    return count
