"""Terms: categories and tags, one Cinq term per Polylang ``term_translations`` group (a term
in no group is a term in the language of the posts that use it). A category keeps its parent;
a term whose slug some Cinq term already has in that locale is that term.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.transactions import in_transaction

from cms.models import Category, CategoryTranslation, Tag, TagTranslation
from cms.services import taxonomy_writing
from cms.services.errors import ContentError
from cms.services.post_writing import SLUG_RE
from cms.services.redirects import add_redirect
from cms.services.text import slugify
from cms.settings import Settings
from cms.transfer.wordpress.addresses import language_prefixes, term_paths
from cms.transfer.wordpress.plan import ORIGIN, Plan, TermGroup
from cms.transfer.wordpress.records import Records, digest_of
from cms.transfer.wordpress.report import ImportOptions, Report


class TermImporter:
    """Writes the term groups, and keeps what posts need to know of them."""

    def __init__(
        self,
        settings: Settings,
        the_plan: Plan,
        options: ImportOptions,
        report: Report,
        records: Records,
    ) -> None:
        self.settings = settings
        self.options = options
        self.report = report
        self.records = records
        self.term_names: dict[int, str] = {}  # category id → its WordPress name, for the report
        self.uncategorized: set[int] = set()  # WordPress's default category
        self.prefixes = language_prefixes(the_plan)

    async def write(self, group: TermGroup) -> None:
        kind = group.kind
        names = {}
        for term in group.members:
            locale = group.locales[group.key(term)]
            slug = term.slug if SLUG_RE.match(term.slug) and len(term.slug) <= 200 else None
            slug = slug or slugify(term.slug) or slugify(term.name) or kind
            names[locale] = taxonomy_writing.TermName(
                locale, (term.name or term.slug).strip()[:200], slug
            )
        parent = [t.slug for t in group.parent.members] if group.parent else None
        digest = digest_of(
            {"names": {loc: [n.name, n.slug] for loc, n in names.items()}, "parent": parent}
        )
        keys = [group.key(t) for t in group.members]
        existing = await self.records.known(kind, keys)
        model = Category if kind == "category" else Tag
        if existing is not None and not await model.exists(id=existing):
            existing = None  # deleted in Cinq since the last import: made again
        label = f"{kind} {', '.join(t.slug for t in group.members)}"
        group.changed = True
        if self.options.dry_run:
            self.report.counts[f"{_plural(kind)} {'updated' if existing else 'created'}"] += 1
            return
        try:
            async with in_transaction():
                if existing is None:
                    existing = await self._same_slug(kind, names.values())
                    if existing is None:
                        existing = await taxonomy_writing.create_term(
                            kind, list(names.values()), self.settings.locales
                        )
                        self.report.counts[f"{_plural(kind)} created"] += 1
                    else:
                        self.report.counts[f"{_plural(kind)} matched"] += 1
                elif await self.records.changed(kind, keys, digest):
                    await taxonomy_writing.update_term(
                        kind,
                        existing,
                        await self._free_names(kind, existing, names),
                        self.settings.locales,
                    )
                    self.report.counts[f"{_plural(kind)} updated"] += 1
                else:
                    self.report.counts[f"{_plural(kind)} unchanged"] += 1
                    group.changed = False
                for term in group.members:
                    await self.records.remember(kind, group.key(term), existing, digest)
        except ContentError as exc:
            self.report.skipped.append((label, exc.message))
            return
        group.cinq_id = existing
        if kind == "category":
            self.term_names[existing] = group.members[0].name or group.members[0].slug
            if any(t.slug == "uncategorized" for t in group.members):
                self.uncategorized.add(existing)

    async def write_links(self, group: TermGroup) -> None:
        """A category's parent, and every term's archive addresses as redirects."""
        if group.cinq_id is None or not group.changed or self.options.dry_run:
            return
        async with in_transaction():
            parent = group.parent.cinq_id if group.parent is not None else None
            if group.kind == "category" and parent is not None:
                await Category.filter(id=group.cinq_id).update(parent_id=parent)
            for term in group.members:
                locale = group.locales[group.key(term)]
                for path in term_paths(group, term, self.prefixes.get(locale, "")):
                    target = {f"{group.kind}_id": group.cinq_id}
                    await add_redirect(path, locale=locale, origin=ORIGIN, **target)
                    self.report.counts["redirects"] += 1

    async def _same_slug(self, kind: str, names: Iterable[taxonomy_writing.TermName]) -> int | None:
        """A Cinq term already using one of these slugs in that locale: the same term."""
        model = CategoryTranslation if kind == "category" else TagTranslation
        column = f"{kind}_id"
        for name in names:
            row = await model.filter(locale=name.locale, slug=name.slug).values_list(
                column, flat=True
            )
            if row:
                return row[0]
        return None

    async def _free_names(
        self, kind: str, term_id: int, names: dict[str, taxonomy_writing.TermName]
    ) -> list[taxonomy_writing.TermName]:
        """The names to write, leaving out a slug another term has taken since."""
        model = CategoryTranslation if kind == "category" else TagTranslation
        column = f"{kind}_id"
        result = []
        for name in names.values():
            taken = (
                await model.filter(locale=name.locale, slug=name.slug)
                .exclude(**{column: term_id})
                .exists()
            )
            result.append(
                taxonomy_writing.TermName(name.locale, name.name, None if taken else name.slug)
            )
        return result


def _plural(kind: str) -> str:
    return {"category": "categories", "tag": "tags"}.get(kind, kind + "s")
