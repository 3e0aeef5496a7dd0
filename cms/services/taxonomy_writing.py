"""Writing categories, tags and authors.

A term's slug is unique per locale; left out, it is made from the name. A category or an
author still used by posts cannot be deleted (the error says how many use it); deleting a tag
takes it off its posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from cms.models import (
    Author,
    AuthorTranslation,
    Category,
    CategoryTranslation,
    Post,
    Tag,
    TagTranslation,
)
from cms.services import webhooks
from cms.services.errors import ContentError, not_found
from cms.services.post_writing import MAX_SLUG, SLUG_RE
from cms.services.text import slugify

_KINDS: dict[
    str, tuple[type[Category] | type[Tag], type[CategoryTranslation] | type[TagTranslation]]
] = {
    "category": (Category, CategoryTranslation),
    "tag": (Tag, TagTranslation),
}


@dataclass(frozen=True)
class TermName:
    locale: str
    name: str
    slug: str | None = None


async def create_term(kind: str, names: Sequence[TermName], locales: Sequence[str]) -> int:
    model, _ = _KINDS[kind]
    _check(names, locales, required=True)
    async with in_transaction():
        term = await model.create()
        await _write_names(kind, term.id, names)
    return term.id


async def update_term(
    kind: str, term_id: int, names: Sequence[TermName], locales: Sequence[str]
) -> None:
    """Set the names of the locales given; other locales keep theirs."""
    model, _ = _KINDS[kind]
    _check(names, locales, required=False)
    async with in_transaction():
        if not await model.exists(id=term_id):
            raise not_found(kind, term_id)
        await _write_names(kind, term_id, names)
        await webhooks.emit(f"{kind}.updated", {"id": str(term_id)})


async def delete_term(kind: str, term_id: int) -> None:
    model, _ = _KINDS[kind]
    async with in_transaction():
        term = await model.get_or_none(id=term_id)
        if term is None:
            raise not_found(kind, term_id)
        if kind == "category":
            used = await Post.filter(category_id=term_id).count()
            if used:
                raise ContentError(
                    "id", "CONFLICT", f"{used} post(s), trashed ones included, use this category."
                )
        if kind == "category":  # its subcategories move up to the top level
            await Category.filter(parent_id=term_id).update(parent_id=None)
        await term.delete()
        if kind == "tag":  # taken off its posts; an unused category was never shown
            await webhooks.emit("tag.deleted", {"id": str(term_id)})


async def create_author(name: str, slug: str | None, bios: dict[str, str]) -> int:
    name = _name(name)
    async with in_transaction():
        author = await Author.create(name=name, slug=await _author_slug(None, name, slug))
        await _write_bios(author.id, bios)
    return author.id


async def update_author(
    author_id: int, name: str | None, slug: str | None, bios: dict[str, str] | None
) -> None:
    async with in_transaction():
        author = await Author.get_or_none(id=author_id)
        if author is None:
            raise not_found("author", author_id)
        if name is not None:
            author.name = _name(name)
        if slug is not None:
            author.slug = await _author_slug(author_id, author.name, slug)
        await author.save()
        if bios is not None:
            await _write_bios(author_id, bios)
        await webhooks.emit("author.updated", {"id": str(author_id)})


async def delete_author(author_id: int) -> None:
    async with in_transaction():
        author = await Author.get_or_none(id=author_id)
        if author is None:
            raise not_found("author", author_id)
        used = await Post.filter(author_id=author_id).count()
        if used:
            raise ContentError("id", "CONFLICT", f"{used} post(s) carry this author's byline.")
        await author.delete()


def _check(names: Sequence[TermName], locales: Sequence[str], *, required: bool) -> None:
    if required and not names:
        raise ContentError("translations", "INVALID", "Name the term in at least one locale.")
    seen = [n.locale for n in names]
    if len(set(seen)) != len(seen):
        raise ContentError("translations", "INVALID", "Each locale may appear once.")
    for locale in seen:
        if locale not in locales:
            raise ContentError(
                "locale", "INVALID", f"{locale!r} is not one of {', '.join(locales)}."
            )


async def _write_names(kind: str, term_id: int, names: Sequence[TermName]) -> None:
    _, translation = _KINDS[kind]
    for entry in names:
        name = _name(entry.name)
        slug = entry.slug if entry.slug is not None else slugify(name)
        _check_slug(slug)
        clash = translation.filter(locale=entry.locale, slug=slug).exclude(
            **{f"{kind}_id": term_id}
        )
        if await clash.exists():
            raise ContentError(
                "slug", "SLUG_TAKEN", f"Another {kind} uses {slug!r} in {entry.locale}."
            )
        # Keyword arguments of the ORM's filter/update/create, which take any field's value.
        owner: dict[str, Any] = {f"{kind}_id": term_id}
        values: dict[str, Any] = {"name": name, "slug": slug}
        try:
            updated = await translation.filter(**owner, locale=entry.locale).update(**values)
            if not updated:
                await translation.create(**owner, locale=entry.locale, **values)
        except IntegrityError:
            raise ContentError("slug", "SLUG_TAKEN", f"{slug!r} was just taken.") from None


async def _write_bios(author_id: int, bios: dict[str, str]) -> None:
    for locale, bio in bios.items():
        updated = await AuthorTranslation.filter(author_id=author_id, locale=locale).update(bio=bio)
        if not updated:
            await AuthorTranslation.create(author_id=author_id, locale=locale, bio=bio)


async def _author_slug(author_id: int | None, name: str, slug: str | None) -> str:
    slug = slug if slug is not None else slugify(name)
    _check_slug(slug)
    clash = Author.filter(slug=slug)
    if author_id is not None:
        clash = clash.exclude(id=author_id)
    if await clash.exists():
        raise ContentError("slug", "SLUG_TAKEN", f"Another author uses {slug!r}.")
    return slug


def _check_slug(slug: str | None) -> None:
    if not SLUG_RE.match(slug or "") or len(slug or "") > MAX_SLUG:
        raise ContentError(
            "slug", "INVALID", f"A slug is up to {MAX_SLUG} lowercase letters, digits and hyphens."
        )


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise ContentError("name", "INVALID", "A name has 1 to 200 characters.")
    return name
