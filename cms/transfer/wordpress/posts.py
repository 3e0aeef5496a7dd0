"""Post groups: one Cinq post per Polylang ``post_translations`` group, a translation per
language, written through the authoring service (revisions, webhooks and all).

Each group is one transaction: its media, the post, its state, its old slugs and addresses, and
its import records. A group that fails is reported and rolled back; the others go on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from tortoise.transactions import in_transaction

from cms.models import Post, PostTranslation
from cms.services import post_writing
from cms.services.errors import ContentError
from cms.services.post_writing import SLUG_RE, Actor, PostFields, TranslationInput
from cms.services.text import slugify
from cms.settings import Settings
from cms.transfer.wordpress.addresses import keep_addresses
from cms.transfer.wordpress.authors import AuthorImporter
from cms.transfer.wordpress.body import convert, plain_excerpt
from cms.transfer.wordpress.media import MediaImporter
from cms.transfer.wordpress.plan import PUBLISHED, Member, Plan, PostGroup
from cms.transfer.wordpress.records import Records, digest_of
from cms.transfer.wordpress.report import ImportOptions, Report
from cms.transfer.wordpress.state import RANK, current_version, publication, set_state
from cms.transfer.wordpress.terms import TermImporter

_SERIES = re.compile(r"^\s*(\d{1,6})\.\s")


class PostImporter:
    """Writes the post groups, after the terms they are filed under."""

    def __init__(
        self,
        settings: Settings,
        the_plan: Plan,
        options: ImportOptions,
        report: Report,
        records: Records,
        terms: TermImporter,
    ) -> None:
        self.settings = settings
        self.plan = the_plan
        self.options = options
        self.report = report
        self.records = records
        self.terms = terms
        self.authors = AuthorImporter(the_plan, report, records)
        self.media = MediaImporter(settings, the_plan, options, report, records)

    async def write(self, group: PostGroup) -> None:
        label = group.label
        try:
            if self.options.dry_run:
                await self._plan_group(group, label)
            else:
                async with in_transaction():
                    await self._write_group(group, label)
        except ContentError as exc:
            self.report.skipped.append((label, f"{exc.message} ({exc.field or 'post'})"))
            self.report.counts["posts failed"] += 1

    async def _plan_group(self, group: PostGroup, label: str) -> None:
        existing = await self.records.known("post", [str(m.item.post_id) for m in group.members])
        for member in group.members:
            for url in self.media.images_of(member.item):
                await self.media.media_for(url, member, label)
            convert(member.item.content, lambda url: self.media.dry_media(url))
            self._notes(member, label)
        self.report.counts["posts updated" if existing else "posts created"] += 1
        self.report.counts["translations"] += len(group.members)

    async def _write_group(self, group: PostGroup, label: str) -> None:
        members = group.members
        keys = [str(m.item.post_id) for m in members]
        # Media first: the bodies point at them.
        cover = None
        for member in members:
            for url in self.media.images_of(member.item):
                await self.media.media_for(url, member, label)
            thumb = member.item.meta_value("_thumbnail_id")
            if cover is None and thumb and thumb.isdigit():
                cover = await self.media.attachment_media(int(thumb), member, label)
        translations = []
        for member in members:
            translations.append(await self._translation(member, label))
        post_fields = await self._fields(group, cover, label)
        state = max((m.state for m in members), key=RANK.__getitem__)
        published = [m.locale for m in members if m.state == PUBLISHED]
        when = publication(members)
        digest = digest_of(
            {
                "translations": [t.__dict__ for t in translations],
                "fields": {k: v for k, v in post_fields.__dict__.items() if k != "published_at"},
                "state": state,
                "published": published,
                "when": when.isoformat() if when else None,
                "states": [m.state for m in members],
            }
        )
        actor = Actor.system(_source_first(self.settings.locales, members[0].locale))
        post_id = await self.records.known("post", keys)
        if post_id is not None and not await self.records.changed("post", keys, digest):
            self.report.counts["posts unchanged"] += 1
            return
        if post_id is None:
            post = await post_writing.create_post(actor, post_fields, translations)
            post_id = post.id
            self.report.counts["posts created"] += 1
        else:
            await self._update(actor, post_id, post_fields, translations)
            self.report.counts["posts updated"] += 1
        self.report.counts["translations"] += len(translations)
        await set_state(self.report, actor, post_id, state, published, when, members, label)
        for member in members:
            await keep_addresses(post_id, member, label, self.report)
            await self.records.remember(
                "post", str(member.item.post_id), post_id, digest, member.item.guid
            )
            self._notes(member, label)

    async def _update(
        self,
        actor: Actor,
        post_id: int,
        post_fields: PostFields,
        translations: list[TranslationInput],
    ) -> None:
        version = await current_version(post_id)
        if version is None:  # deleted in Cinq since: the import record is stale
            raise ContentError("id", "NOT_FOUND", "the post imported before was deleted")
        await post_writing.update_post(actor, post_id, version, post_fields, translations[0])
        for translation in translations[1:]:
            await post_writing.upsert_translation(
                actor, post_id, await current_version(post_id), translation
            )

    async def _translation(self, member: Member, label: str) -> TranslationInput:
        item = member.item
        # Titles are plain text here; some WordPress titles hold markup.
        title = plain_excerpt(item.title) if "<" in item.title else item.title
        title = " ".join(title.split())
        if not title:
            title = f"({item.post_id})"
            self.report.warn(label, f"the {member.locale} translation has no title")
        if len(title) > post_writing.MAX_TITLE:
            title = title[: post_writing.MAX_TITLE].rstrip()
            self.report.warn(
                label, f"the {member.locale} title was cut to {post_writing.MAX_TITLE}"
            )
        converted = convert(item.content, self.media.media_id)
        member.notes = converted.notes
        slug = await self._slug(member, label)
        return TranslationInput(
            locale=member.locale,
            title=title,
            slug=slug,
            excerpt=plain_excerpt(item.excerpt),
            body=converted.markdown,
        )

    async def _slug(self, member: Member, label: str) -> str | None:
        """WordPress's slug when it is one of ours and free; else one made from it (the
        original stays reachable as an old slug), or from the title for drafts with none."""
        slug = member.item.slug
        if not slug:
            return None
        if not SLUG_RE.match(slug) or len(slug) > 200:
            slug = slugify(slug)[:200].rstrip("-")
            if not slug:
                return None
        mine = await self.records.known("post", [str(member.item.post_id)])
        taken = PostTranslation.filter(locale=member.locale, slug=slug)
        if mine is not None:
            taken = taken.exclude(post_id=mine)
        if await taken.exists():
            self.report.warn(
                label, f"the {member.locale} slug {slug!r} is taken: a new one was made"
            )
            return None
        return slug

    async def _fields(self, group: PostGroup, cover: int | None, label: str) -> PostFields:
        categories: Counter[int] = Counter()
        order: list[int] = []
        tags: list[int] = []
        for member in group.members:
            for ref in member.item.terms:
                term_group = self.plan.term_of.get((ref.taxonomy, ref.slug))
                if term_group is None or term_group.cinq_id is None:
                    continue
                if ref.taxonomy == "category":
                    categories[term_group.cinq_id] += 1
                    order.append(term_group.cinq_id)
                elif ref.taxonomy == "post_tag" and term_group.cinq_id not in tags:
                    tags.append(term_group.cinq_id)
        category = None
        if categories:
            # The category the translations share most; Cinq files a post under one.
            # WordPress files posts with no category under "Uncategorized": a last resort.
            category = max(
                dict.fromkeys(order),
                key=lambda c: (categories[c], c not in self.terms.uncategorized),
            )
            others = [self.terms.term_names[c] for c in dict.fromkeys(order) if c != category]
            if others:
                self.report.warn(
                    label,
                    f"filed under {self.terms.term_names[category]} only (a Cinq post has one "
                    f"category); not under {', '.join(others)}",
                )
        author = await self.authors.author_id(group.members[0].item.creator)
        return PostFields(
            series_number=await self._series(group, category, label),
            category_id=category,
            author_id=author,
            cover_id=cover,
            tag_ids=tags,
        )

    async def _series(self, group: PostGroup, category: int | None, label: str) -> int | None:
        """ "8. Réseautage : …" is number 8 of its category, when every translation agrees."""
        matches = [_SERIES.match(member.item.title) for member in group.members]
        numbers = {match.group(1) if match else None for match in matches}
        if len(numbers) != 1 or None in numbers or category is None:
            return None
        number = int(numbers.pop())
        mine = await self.records.known("post", [str(m.item.post_id) for m in group.members])
        clash = Post.filter(category_id=category, series_number=number)
        if mine is not None:
            clash = clash.exclude(id=mine)
        if await clash.exists():
            self.report.warn(label, f"number {number} is already used in its category: left out")
            return None
        return number

    def _notes(self, member: Member, label: str) -> None:
        for note in member.notes:
            self.report.warn(f"{label} [{member.locale}]", note)


def _source_first(locales: Sequence[str], source: str) -> tuple[str, ...]:
    """The configured locales with ``source`` first: a new post's source is the actor's
    first locale among its translations, and an imported post's is the one written first."""
    return (source, *(loc for loc in locales if loc != source))
