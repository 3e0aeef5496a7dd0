"""Async factories: the smallest rows a test needs, with overridable defaults."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from cms.models import (
    Author,
    AuthorTranslation,
    Category,
    CategoryTranslation,
    Event,
    EventStatus,
    EventTranslation,
    Post,
    PostStatus,
    PostTranslation,
    Tag,
    TagTranslation,
)
from cms.services.markdown import derived_fields, render

_seq = itertools.count(1)
BASE_TIME = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def make_author(name: str | None = None, bios: dict[str, str] | None = None) -> Author:
    n = next(_seq)
    author = await Author.create(name=name or f"Author {n}", slug=f"author-{n}")
    for locale, bio in (bios or {}).items():
        await AuthorTranslation.create(author=author, locale=locale, bio=bio)
    return author


async def make_category(names: dict[str, str] | None = None) -> Category:
    n = next(_seq)
    names = names or {"fr-CA": f"Catégorie {n}", "en-CA": f"Category {n}"}
    category = await Category.create()
    for locale, name in names.items():
        slug = f"{'categorie' if locale == 'fr-CA' else 'category'}-{n}-{locale.lower()}"
        await CategoryTranslation.create(category=category, locale=locale, name=name, slug=slug)
    return category


async def make_tag(names: dict[str, str] | None = None) -> Tag:
    n = next(_seq)
    names = names or {"fr-CA": f"Étiquette {n}", "en-CA": f"Tag {n}"}
    tag = await Tag.create()
    for locale, name in names.items():
        await TagTranslation.create(tag=tag, locale=locale, name=name, slug=f"tag-{n}-{locale}")
    return tag


async def make_post(
    *,
    translations: dict[str, dict[str, Any]] | None = None,
    locales: tuple[str, ...] = ("fr-CA", "en-CA"),
    status: PostStatus = PostStatus.PUBLISHED,
    published_at: datetime | None = None,
    series_number: int | None = None,
    author: Author | None = None,
    category: Category | None = None,
    tags: list[Tag] = (),  # type: ignore[assignment]
) -> Post:
    """A post with a translation per locale (titles and slugs made unique)."""
    n = next(_seq)
    if published_at is None and status is PostStatus.PUBLISHED:
        published_at = BASE_TIME + timedelta(hours=n)
    post = await Post.create(
        status=status,
        published_at=published_at,
        series_number=series_number,
        author=author,
        category=category,
    )
    if translations is None:
        translations = {
            locale: {
                "title": f"{'Billet' if locale.startswith('fr') else 'Post'} {n}",
                "slug": f"{'billet' if locale.startswith('fr') else 'post'}-{n}",
            }
            for locale in locales
        }
    for locale, fields in translations.items():
        body = fields.pop("body", f"## Section {n}\n\nSome words for post {n}.")
        fields.setdefault("excerpt", "")
        await PostTranslation.create(post=post, locale=locale, **derived_fields(body), **fields)
    if tags:
        await post.tags.add(*tags)
    return post


async def make_event(
    *,
    translations: dict[str, dict[str, Any]] | None = None,
    status: EventStatus = EventStatus.PUBLISHED,
    **overrides: Any,
) -> Event:
    """A one-off Montreal evening with a translation per locale (Markdown ``description``)."""
    n = next(_seq)
    event = await Event.create(
        **{
            "status": status,
            "timezone": "America/Montreal",
            "start_local": "2026-10-07T17:00",
            "end_local": "2026-10-07T19:00",
            **overrides,
        }
    )
    if translations is None:
        translations = {"fr-CA": {"title": f"Soirée {n}"}, "en-CA": {"title": f"Evening {n}"}}
    for locale, fields in translations.items():
        description = fields.pop("description", "")
        text = render(description)
        fields.setdefault("slug", f"event-{n}-{locale.lower()}")
        await EventTranslation.create(
            event=event,
            locale=locale,
            description=description,
            description_html=text.html,
            description_text=text.text,
            **fields,
        )
    return event
