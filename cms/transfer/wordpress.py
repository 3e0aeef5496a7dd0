"""Bringing a WordPress blog in: posts with their Polylang translations, terms, authors, media
and the addresses the old site served.

The export is read whole and checked before anything is written (:mod:`cms.transfer.wxr`), so
a malformed file or a language that maps to no configured locale leaves the database as it
was. Then, in order:

1. **Terms.** Categories and tags, one Cinq term per Polylang ``term_translations`` group (a
   term in no group is a term in the language of the posts that use it). A category keeps its
   parent. A term whose slug some Cinq term already has in that locale is that term.
2. **Authors**, as author profiles; no accounts are made.
3. **Post groups.** A Polylang ``post_translations`` group becomes one post with a
   translation per language; a post in no group, a post in its one language. Each group is
   one transaction: its media (from ``--uploads``, through the upload pipeline: sniffing,
   limits, EXIF stripping, renditions), the post through the authoring service (revisions,
   webhooks and all), its old slugs, its old addresses as redirects, and the record of where
   it came from. A group that fails is reported and rolled back; the others go on.

Every object remembers its WordPress id (:class:`~cms.models.ImportedObject`) and a digest of
what was imported: a second run updates what changed, skips the rest, and duplicates nothing,
which also makes an interrupted import resumable by running it again. Nothing is fetched from
the network: images come from the uploads folder or keep their old address, and are listed.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from tortoise.transactions import in_transaction

from cms.media.multipart import StoredUpload
from cms.media.sniff import HEAD_SIZE
from cms.media.storage import LocalStorage
from cms.models import (
    Author,
    Category,
    CategoryTranslation,
    ImportedObject,
    Media,
    Post,
    PostStatus,
    PostTranslation,
    Tag,
    TagTranslation,
    TranslationStatus,
)
from cms.services import authoring, media, terms
from cms.services.authoring import SLUG_RE, Actor, PostFields, TranslationInput
from cms.services.errors import ContentError
from cms.services.redirects import add_redirect
from cms.services.text import slugify
from cms.settings import Settings
from cms.transfer import wordpress_body, wxr
from cms.transfer.wxr import WxrError, WxrItem, WxrTerm

ORIGIN = "wordpress"
#: WordPress statuses and what a translation becomes.
_PUBLISHED, _SCHEDULED, _DRAFT, _TRASHED = "published", "scheduled", "draft", "trashed"
_STATUS = {
    "publish": _PUBLISHED,
    "future": _SCHEDULED,
    "draft": _DRAFT,
    "pending": _DRAFT,
    "private": _DRAFT,
    "trash": _TRASHED,
}
# A post's status is the most public of its translations'.
_RANK = {_TRASHED: 0, _DRAFT: 1, _SCHEDULED: 2, _PUBLISHED: 3}
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_SERIES = re.compile(r"^\s*(\d{1,6})\.\s")
_UPLOADS = "/wp-content/uploads/"
_NEVER = datetime.max.replace(tzinfo=UTC)

Progress = Callable[[str, int, int], None]


class WordPressImportError(ValueError):
    """An export that can be read but not brought in as asked (a language with no locale)."""


@dataclass(frozen=True)
class ImportOptions:
    uploads: Path | None = None
    # WordPress language (Polylang slug such as "fr", or locale such as "fr_CA") → Cinq locale.
    locale_map: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False


@dataclass
class Report:
    """What an import did (or, in a dry run, would do), for the operator."""

    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    # (what, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # (the post or object concerned, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, subject: str, message: str) -> None:
        self.warnings.append((subject, message))

    def render(self) -> str:
        lines = ["Dry run: nothing was written." if self.dry_run else "Import finished."]
        lines.append("")
        width = max((len(k) for k in self.counts), default=0)
        lines += [f"  {key.ljust(width)}  {self.counts[key]}" for key in sorted(self.counts)]
        if self.skipped:
            lines += ["", f"Skipped ({len(self.skipped)}):"]
            lines += [f"  - {what}: {why}" for what, why in self.skipped]
        if self.warnings:
            lines += ["", f"Warnings ({len(self.warnings)}):"]
            lines += [f"  - {subject}: {message}" for subject, message in self.warnings]
        return "\n".join(lines) + "\n"


# --- planning: what the export holds, decided before anything is written ----------------


@dataclass
class _TermGroup:
    kind: str  # "category" or "tag"
    members: list[WxrTerm]
    locales: dict[int | str, str] = field(default_factory=dict)  # member key → locale
    parent: _TermGroup | None = None
    cinq_id: int | None = None
    # Whether this run wrote it (its parent and old addresses are written again then).
    changed: bool = False

    def key(self, term: WxrTerm) -> str:
        return str(term.id) if term.id is not None else f"slug:{term.slug}"


@dataclass
class _Member:
    item: WxrItem
    locale: str
    state: str
    # What converting its body dropped or could not place, for the report.
    notes: tuple[str, ...] = ()


@dataclass
class _PostGroup:
    members: list[_Member]

    @property
    def label(self) -> str:
        first = self.members[0].item
        ids = ", ".join(str(m.item.post_id) for m in self.members)
        return f"post {ids} ({first.title.strip() or 'untitled'})"


@dataclass
class _Plan:
    export: wxr.WxrExport
    default_locale: str
    languages: dict[str, str]  # Polylang language slug → Cinq locale
    posts: list[_PostGroup]
    term_groups: list[_TermGroup]
    term_of: dict[tuple[str, str], _TermGroup]  # (kind, slug) → group
    attachments: dict[int, WxrItem]
    attachment_by_file: dict[str, WxrItem]
    source: str


def plan(
    export: wxr.WxrExport, settings: Settings, options: ImportOptions, report: Report
) -> _Plan:
    """Sort the export into what will be imported and what will not; refuse an export whose
    languages cannot be placed, before anything is written."""
    languages = _languages(export, settings, options)
    default_locale = _default_locale(export, settings, options)
    posts: list[WxrItem] = []
    attachments: dict[int, WxrItem] = {}
    for item in export.items:
        if item.post_type == "post":
            if item.status in _STATUS:
                posts.append(item)
            else:
                report.skipped.append((_item_label(item), f"status {item.status!r}"))
        elif item.post_type == "attachment":
            attachments[item.post_id] = item
        elif item.post_type == "page":
            report.counts["pages not imported"] += 1
            report.skipped.append((f"page {item.post_id} ({item.title})", "pages are not posts"))
        else:
            report.counts[f"{item.post_type} items not imported"] += 1
    comments = sum(len(item.comments) for item in export.items)
    if comments:
        report.counts["comments not imported"] = comments
        report.skipped.append((f"{comments} comment(s)", "Cinq has no comments"))
    by_file = {}
    for attachment in attachments.values():
        for path in (*attachment.meta.get("_wp_attached_file", ()), attachment.attachment_url):
            if rel := _upload_path(path):
                by_file.setdefault(rel, attachment)
    term_groups, term_of = _term_groups(export, languages, default_locale, posts)
    return _Plan(
        export=export,
        default_locale=default_locale,
        languages=languages,
        posts=_post_groups(posts, languages, default_locale, report),
        term_groups=term_groups,
        term_of=term_of,
        attachments=attachments,
        attachment_by_file=by_file,
        source=f"{ORIGIN}:{(export.base_site_url or export.link).rstrip('/')}",
    )


def _languages(export: wxr.WxrExport, settings: Settings, options: ImportOptions) -> dict[str, str]:
    found: dict[str, str] = {}
    for term in export.terms:
        if term.taxonomy != "language":
            continue
        wp_locale = str(wxr.php_array(term.description).get("locale", ""))
        locale = (
            options.locale_map.get(term.slug)
            or options.locale_map.get(wp_locale)
            or _configured(wp_locale.replace("_", "-"), settings)
            or _configured(term.slug, settings)
        )
        if locale is None or locale not in settings.locales:
            raise WordPressImportError(
                f"The WordPress language {term.slug!r} ({term.name}) matches none of the "
                f"configured locales ({', '.join(settings.locales)}): pass "
                f"--locale-map {term.slug}=LOCALE."
            )
        found[term.slug] = locale
    return found


def _default_locale(export: wxr.WxrExport, settings: Settings, options: ImportOptions) -> str:
    """The locale of posts in no Polylang language: the blog's own language if configured."""
    language = export.language.strip()
    mapped = options.locale_map.get(language) or options.locale_map.get(language.split("-")[0])
    return mapped or _configured(language, settings) or settings.default_locale


def _configured(code: str, settings: Settings) -> str | None:
    """The configured locale ``code`` names: itself, or the first of its language."""
    if not code:
        return None
    for locale in settings.locales:
        if locale.lower() == code.lower():
            return locale
    language = code.split("-")[0].lower()
    return next((loc for loc in settings.locales if loc.split("-")[0].lower() == language), None)


def _post_groups(
    posts: list[WxrItem], languages: dict[str, str], default_locale: str, report: Report
) -> list[_PostGroup]:
    group_of: dict[int, str] = {}
    for item in posts:
        for ref in item.terms:
            if ref.taxonomy == "post_translations":
                group_of[item.post_id] = ref.slug
    groups: dict[str, list[_Member]] = defaultdict(list)
    singles: list[_PostGroup] = []
    for item in posts:
        locale = _item_locale(item, languages, default_locale)
        state = _STATUS[item.status]
        if item.password and state in (_PUBLISHED, _SCHEDULED):
            # Cinq has no password-protected posts: such a post must not become public.
            report.warn(_item_label(item), "password-protected on WordPress: imported as a draft")
            state = _DRAFT
        member = _Member(item, locale, state)
        key = group_of.get(item.post_id)
        if key is None:
            singles.append(_PostGroup([member]))
        elif any(m.locale == locale for m in groups[key]):
            report.warn(_item_label(item), f"a second {locale} post in its translation group")
            singles.append(_PostGroup([member]))
        else:
            groups[key].append(member)
    result = [_PostGroup(members) for members in groups.values()] + singles
    # The source translation first: the one written first.
    for group in result:
        group.members.sort(key=lambda m: (_when(m.item) or _NEVER, m.item.post_id))
    result.sort(key=lambda g: min(m.item.post_id for m in g.members))
    return result


def _item_locale(item: WxrItem, languages: dict[str, str], default_locale: str) -> str:
    for ref in item.terms:
        if ref.taxonomy == "language" and ref.slug in languages:
            return languages[ref.slug]
    return default_locale


def _term_groups(
    export: wxr.WxrExport,
    languages: dict[str, str],
    default_locale: str,
    posts: list[WxrItem],
) -> tuple[list[_TermGroup], dict[tuple[str, str], _TermGroup]]:
    kinds = {"category": "category", "post_tag": "tag"}
    by_id: dict[int, WxrTerm] = {}
    terms: list[WxrTerm] = []
    for term in export.terms:
        if term.taxonomy in kinds:
            terms.append(term)
            if term.id is not None:
                by_id[term.id] = term
    # Terms that items use but the export's term list lacks (WXR 1.0 files may).
    known = {(t.taxonomy, t.slug) for t in terms}
    for item in posts:
        for ref in item.terms:
            if ref.taxonomy in kinds and (ref.taxonomy, ref.slug) not in known:
                known.add((ref.taxonomy, ref.slug))
                terms.append(WxrTerm(None, ref.taxonomy, ref.slug, ref.name, None, ""))
    # Polylang's groups: {"fr": 4, "en": 5}.
    grouped: dict[int, tuple[int, dict[int, str]]] = {}
    for index, term in enumerate(export.terms):
        if term.taxonomy != "term_translations":
            continue
        members = {}
        for language, term_id in wxr.php_array(term.description).items():
            if isinstance(term_id, int) and term_id in by_id and language in languages:
                members[term_id] = languages[language]
        for term_id in members:
            grouped[term_id] = (index, members)
    # Which locale the posts using an ungrouped term are in.
    used_in: dict[tuple[str, str], str] = {}
    for item in posts:
        locale = _item_locale(item, languages, default_locale)
        for ref in item.terms:
            used_in.setdefault((ref.taxonomy, ref.slug), locale)
    groups: list[_TermGroup] = []
    term_of: dict[tuple[str, str], _TermGroup] = {}
    seen_groups: dict[int, _TermGroup] = {}
    for term in terms:
        kind = kinds[term.taxonomy]
        if term.id is not None and term.id in grouped:
            index, members = grouped[term.id]
            group = seen_groups.get(index)
            if group is None:
                group = seen_groups[index] = _TermGroup(kind, [])
                groups.append(group)
            group.members.append(term)
            group.locales[group.key(term)] = members[term.id]
        else:
            group = _TermGroup(kind, [term])
            group.locales[group.key(term)] = used_in.get((term.taxonomy, term.slug), default_locale)
            groups.append(group)
        term_of[(term.taxonomy, term.slug)] = group
    for group in groups:
        for term in group.members:
            if group.kind == "category" and term.parent:
                parent = term_of.get(("category", term.parent))
                if parent is not None and parent is not group:
                    group.parent = parent
    return groups, term_of


# --- the import ---------------------------------------------------------------------------


async def import_wordpress(
    settings: Settings,
    export_path: Path,
    options: ImportOptions,
    progress: Progress | None = None,
) -> Report:
    """Import the WXR file at ``export_path``; the ORM must be open on ``settings``."""
    report = Report(dry_run=options.dry_run)
    export = wxr.read(export_path)
    the_plan = plan(export, settings, options, report)
    importer = _Importer(settings, the_plan, options, report, progress or _no_progress)
    await importer.run()
    return report


def _no_progress(what: str, done: int, total: int) -> None:
    pass


class _Importer:
    def __init__(
        self,
        settings: Settings,
        the_plan: _Plan,
        options: ImportOptions,
        report: Report,
        progress: Progress,
    ) -> None:
        self.settings = settings
        self.plan = the_plan
        self.options = options
        self.report = report
        self.progress = progress
        self.storage = LocalStorage(settings.media_root)
        self.authors: dict[str, int] = {}
        self.term_names: dict[int, str] = {}  # category id → its WordPress name, for the report
        self.uncategorized: set[int] = set()  # WordPress's default category
        self.media: dict[str, int | None] = {}  # attachment key → media id (None: not found)
        self.dry_ids = 0
        self.prefixes = _language_prefixes(the_plan)

    async def run(self) -> None:
        total = len(self.plan.posts)
        self.progress("terms", 0, len(self.plan.term_groups))
        for done, group in enumerate(self.plan.term_groups, 1):
            await self._term(group)
            self.progress("terms", done, len(self.plan.term_groups))
        for group in self.plan.term_groups:
            await self._term_links(group)
        for done, group in enumerate(self.plan.posts, 1):
            await self._post_group(group)
            self.progress("posts", done, total)

    # terms -----------------------------------------------------------------------------

    async def _term(self, group: _TermGroup) -> None:
        kind = group.kind
        names = {}
        for term in group.members:
            locale = group.locales[group.key(term)]
            slug = term.slug if SLUG_RE.match(term.slug) and len(term.slug) <= 200 else None
            slug = slug or slugify(term.slug) or slugify(term.name) or kind
            names[locale] = terms.TermName(locale, (term.name or term.slug).strip()[:200], slug)
        parent = [t.slug for t in group.parent.members] if group.parent else None
        digest = _digest(
            {"names": {loc: [n.name, n.slug] for loc, n in names.items()}, "parent": parent}
        )
        keys = [group.key(t) for t in group.members]
        existing = await self._known(kind, keys)
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
                        existing = await terms.create_term(
                            kind, list(names.values()), self.settings.locales
                        )
                        self.report.counts[f"{_plural(kind)} created"] += 1
                    else:
                        self.report.counts[f"{_plural(kind)} matched"] += 1
                elif await self._changed(kind, keys, digest):
                    await terms.update_term(
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
                    await self._remember(kind, group.key(term), existing, digest)
        except ContentError as exc:
            self.report.skipped.append((label, exc.message))
            return
        group.cinq_id = existing
        if kind == "category":
            self.term_names[existing] = group.members[0].name or group.members[0].slug
            if any(t.slug == "uncategorized" for t in group.members):
                self.uncategorized.add(existing)

    async def _term_links(self, group: _TermGroup) -> None:
        """A category's parent, and every term's archive addresses as redirects."""
        if group.cinq_id is None or not group.changed or self.options.dry_run:
            return
        async with in_transaction():
            parent = group.parent.cinq_id if group.parent is not None else None
            if group.kind == "category" and parent is not None:
                await Category.filter(id=group.cinq_id).update(parent_id=parent)
            for term in group.members:
                locale = group.locales[group.key(term)]
                for path in _term_paths(group, term, self.prefixes.get(locale, "")):
                    target = {f"{group.kind}_id": group.cinq_id}
                    await add_redirect(path, locale=locale, origin=ORIGIN, **target)
                    self.report.counts["redirects"] += 1

    async def _same_slug(self, kind: str, names: Iterable[terms.TermName]) -> int | None:
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
        self, kind: str, term_id: int, names: dict[str, terms.TermName]
    ) -> list[terms.TermName]:
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
            result.append(terms.TermName(name.locale, name.name, None if taken else name.slug))
        return result

    # posts -----------------------------------------------------------------------------

    async def _post_group(self, group: _PostGroup) -> None:
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

    async def _plan_group(self, group: _PostGroup, label: str) -> None:
        existing = await self._known("post", [str(m.item.post_id) for m in group.members])
        for member in group.members:
            for url in self._images_of(member.item):
                await self._media_for(url, member, label)
            wordpress_body.convert(member.item.content, lambda url: self._dry_media(url))
            self._notes(member, label)
        self.report.counts["posts updated" if existing else "posts created"] += 1
        self.report.counts["translations"] += len(group.members)

    def _dry_media(self, url: str) -> int | None:
        return self.media.get(self._attachment_key(url) or "")

    async def _write_group(self, group: _PostGroup, label: str) -> None:
        members = group.members
        keys = [str(m.item.post_id) for m in members]
        # Media first: the bodies point at them.
        cover = None
        for member in members:
            for url in self._images_of(member.item):
                await self._media_for(url, member, label)
            thumb = _first(member.item.meta.get("_thumbnail_id"))
            if cover is None and thumb and thumb.isdigit():
                cover = await self._attachment_media(int(thumb), member, label)
        translations = []
        for member in members:
            translations.append(await self._translation(member, label))
        post_fields = await self._fields(group, cover, label)
        state = max((m.state for m in members), key=_RANK.__getitem__)
        published = [m.locale for m in members if m.state == _PUBLISHED]
        when = _publication(members)
        digest = _digest(
            {
                "translations": [t.__dict__ for t in translations],
                "fields": {k: v for k, v in post_fields.__dict__.items() if k != "published_at"},
                "state": state,
                "published": published,
                "when": when.isoformat() if when else None,
                "states": [m.state for m in members],
            }
        )
        actor = Actor(None, _source_first(self.settings.locales, members[0].locale))
        post_id = await self._known("post", keys)
        if post_id is not None and not await self._changed("post", keys, digest):
            self.report.counts["posts unchanged"] += 1
            return
        if post_id is None:
            post = await authoring.create_post(actor, post_fields, translations)
            post_id = post.id
            self.report.counts["posts created"] += 1
        else:
            await self._update(actor, post_id, post_fields, translations)
            self.report.counts["posts updated"] += 1
        self.report.counts["translations"] += len(translations)
        await self._set_state(actor, post_id, state, published, when, members, label)
        for member, translation in zip(members, translations, strict=True):
            await self._addresses(post_id, member, translation, label)
            await self._remember(
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
        version = await _version(post_id)
        if version is None:  # deleted in Cinq since: the import record is stale
            raise ContentError("id", "NOT_FOUND", "the post imported before was deleted")
        await authoring.update_post(actor, post_id, version, post_fields, translations[0])
        for translation in translations[1:]:
            await authoring.upsert_translation(actor, post_id, await _version(post_id), translation)

    async def _set_state(
        self,
        actor: Actor,
        post_id: int,
        state: str,
        published: list[str],
        when: datetime | None,
        members: list[_Member],
        label: str,
    ) -> None:
        now = datetime.now(UTC)
        if state == _SCHEDULED and when is not None and when <= now:
            self.report.warn(label, "scheduled for a date now past: published on that date")
            state, published = _PUBLISHED, [m.locale for m in members]
        if state == _PUBLISHED:
            await authoring.publish(
                actor, post_id, await _version(post_id), published, published_at=when or now
            )
            drafts = [m.locale for m in members if m.locale not in published]
            current = await PostTranslation.filter(
                post_id=post_id, locale__in=drafts, status=TranslationStatus.PUBLISHED
            ).values_list("locale", flat=True)
            if current:
                await authoring.unpublish(actor, post_id, await _version(post_id), list(current))
        elif state == _SCHEDULED and when is not None:
            await authoring.schedule(actor, post_id, await _version(post_id), when, None)
        elif state == _TRASHED:
            if not await Post.filter(id=post_id, deleted_at__isnull=False).exists():
                await authoring.trash(actor, post_id, await _version(post_id))
        elif await Post.filter(id=post_id).exclude(status=PostStatus.DRAFT).exists():
            await authoring.unpublish(actor, post_id, await _version(post_id))

    async def _translation(self, member: _Member, label: str) -> TranslationInput:
        item = member.item
        # Titles are plain text here; some WordPress titles hold markup.
        title = wordpress_body.plain_excerpt(item.title) if "<" in item.title else item.title
        title = " ".join(title.split())
        if not title:
            title = f"({item.post_id})"
            self.report.warn(label, f"the {member.locale} translation has no title")
        if len(title) > authoring.MAX_TITLE:
            title = title[: authoring.MAX_TITLE].rstrip()
            self.report.warn(label, f"the {member.locale} title was cut to {authoring.MAX_TITLE}")
        converted = wordpress_body.convert(item.content, self._media_id)
        member.notes = converted.notes
        slug = await self._slug(member, label)
        return TranslationInput(
            locale=member.locale,
            title=title,
            slug=slug,
            excerpt=wordpress_body.plain_excerpt(item.excerpt),
            body=converted.markdown,
        )

    async def _slug(self, member: _Member, label: str) -> str | None:
        """WordPress's slug when it is one of ours and free; else one made from it (the
        original stays reachable as an old slug), or from the title for drafts with none."""
        slug = member.item.slug
        if not slug:
            return None
        if not SLUG_RE.match(slug) or len(slug) > 200:
            slug = slugify(slug)[:200].rstrip("-")
            if not slug:
                return None
        mine = await self._known("post", [str(member.item.post_id)])
        taken = PostTranslation.filter(locale=member.locale, slug=slug)
        if mine is not None:
            taken = taken.exclude(post_id=mine)
        if await taken.exists():
            self.report.warn(
                label, f"the {member.locale} slug {slug!r} is taken: a new one was made"
            )
            return None
        return slug

    async def _fields(self, group: _PostGroup, cover: int | None, label: str) -> PostFields:
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
                key=lambda c: (categories[c], c not in self.uncategorized),
            )
            others = [self.term_names[c] for c in dict.fromkeys(order) if c != category]
            if others:
                self.report.warn(
                    label,
                    f"filed under {self.term_names[category]} only (a Cinq post has one "
                    f"category); not under {', '.join(others)}",
                )
        author = await self._author(group.members[0].item.creator)
        return PostFields(
            series_number=await self._series(group, category, label),
            category_id=category,
            author_id=author,
            cover_id=cover,
            tag_ids=tags,
        )

    async def _series(self, group: _PostGroup, category: int | None, label: str) -> int | None:
        """ "8. Réseautage : …" is number 8 of its category, when every translation agrees."""
        matches = [_SERIES.match(member.item.title) for member in group.members]
        numbers = {match.group(1) if match else None for match in matches}
        if len(numbers) != 1 or None in numbers or category is None:
            return None
        number = int(numbers.pop())
        mine = await self._known("post", [str(m.item.post_id) for m in group.members])
        clash = Post.filter(category_id=category, series_number=number)
        if mine is not None:
            clash = clash.exclude(id=mine)
        if await clash.exists():
            self.report.warn(label, f"number {number} is already used in its category: left out")
            return None
        return number

    async def _author(self, login: str) -> int | None:
        if not login:
            return None
        if login in self.authors:
            return self.authors[login]
        wp = next((a for a in self.plan.export.authors if a.login == login), None)
        name = (wp.display_name if wp else "") or login
        known = await self._known("author", [login])
        if known is None:
            slug = slugify(login) or slugify(name) or None
            existing = await Author.filter(slug=slug).values_list("id", flat=True) if slug else []
            if existing:
                known = existing[0]
                self.report.counts["authors matched"] += 1
            else:
                known = await terms.create_author(name, slug, {})
                self.report.counts["authors created"] += 1
            await self._remember("author", login, known, _digest(name))
        self.authors[login] = known
        return known

    # media -----------------------------------------------------------------------------

    def _images_of(self, item: WxrItem) -> list[str]:
        return wordpress_body.referenced_images(item.content)

    def _media_id(self, url: str) -> int | None:
        key = self._attachment_key(url)
        return self.media.get(key) if key else None

    def _attachment_key(self, url: str) -> str | None:
        rel = _upload_path(url)
        if rel is None:
            return None
        attachment = self.plan.attachment_by_file.get(rel) or self.plan.attachment_by_file.get(
            _SIZE_SUFFIX.sub("", rel)
        )
        if attachment is not None:
            return f"attachment:{attachment.post_id}"
        return f"file:{_SIZE_SUFFIX.sub('', rel)}"

    async def _attachment_media(
        self, attachment_id: int, member: _Member, label: str
    ) -> int | None:
        attachment = self.plan.attachments.get(attachment_id)
        if attachment is None:
            self.report.warn(
                label, f"its featured image (attachment {attachment_id}) is not in the export"
            )
            return None
        rel = _upload_path(
            _first(attachment.meta.get("_wp_attached_file")) or attachment.attachment_url
        )
        if rel is None:
            self.report.warn(label, f"attachment {attachment_id} has no file in uploads")
            return None
        return await self._media_for(f"{_UPLOADS}{rel}", member, label)

    async def _media_for(self, url: str, member: _Member, label: str) -> int | None:
        key = self._attachment_key(url)
        if key is None:
            return None
        if key not in self.media:
            self.media[key] = await self._import_media(key, label)
        media_id = self.media[key]
        if media_id is not None and not self.options.dry_run:
            await self._alt_from(member, url, media_id)
        return media_id

    async def _import_media(self, key: str, label: str) -> int | None:
        attachment = None
        if key.startswith("attachment:"):
            attachment = self.plan.attachments[int(key.split(":", 1)[1])]
            rel = _upload_path(
                _first(attachment.meta.get("_wp_attached_file")) or attachment.attachment_url
            )
        else:
            rel = key.split(":", 1)[1]
        known = await self._known("media", [key])
        if known is not None and await Media.exists(id=known):
            self.report.counts["media unchanged"] += 1
            return known
        source = self._upload_file(rel)
        if source is None:
            self.report.warn(
                label, f"{rel} is missing from the uploads folder: its image keeps its old address"
            )
            self.report.counts["media missing"] += 1
            return None
        size = source.stat().st_size
        if size > self.settings.max_upload_bytes:
            self.report.warn(label, f"{rel} is larger than the upload limit: not imported")
            return None
        if self.options.dry_run:
            self.dry_ids += 1
            self.report.counts["media imported"] += 1
            return self.dry_ids
        alt = {}
        if attachment is not None:
            text = (_first(attachment.meta.get("_wp_attachment_image_alt")) or "").strip()
            if text:
                alt[_item_locale(attachment, self.plan.languages, self.plan.default_locale)] = text[
                    :1000
                ]
        upload = await _copy_to_temp(self.storage, source)
        try:
            kept = await media.keep(
                upload,
                self.storage,
                media.MediaDetails(alt=alt),
                account_id=None,
                max_pixels=self.settings.max_image_pixels,
            )
        except ContentError as exc:
            upload.temp_path.unlink(missing_ok=True)
            self.report.warn(label, f"{rel}: {exc.message}")
            return None
        await self._remember(
            "media", key, kept.id, upload.sha256, attachment.guid if attachment else None
        )
        self.report.counts["media imported"] += 1
        return kept.id

    def _upload_file(self, rel: str | None) -> Path | None:
        if rel is None or self.options.uploads is None:
            return None
        root = self.options.uploads.resolve()
        path = (root / rel).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path

    async def _alt_from(self, member: _Member, url: str, media_id: int) -> None:
        """An image's alternative text in a translation is its alt text in that locale."""
        alt = _image_alt(member.item.content, url)
        if not alt:
            return
        row = await Media.get_or_none(id=media_id)
        if row is not None and not (row.alt or {}).get(member.locale):
            row.alt = {**(row.alt or {}), member.locale: alt[:1000]}
            await row.save(update_fields=["alt", "updated_at"])

    # addresses -------------------------------------------------------------------------

    async def _addresses(
        self, post_id: int, member: _Member, translation: TranslationInput, label: str
    ) -> None:
        """The old site's addresses of this translation: its permalink, ``/?p=ID``, and the
        permalinks of its old slugs, as redirects; its old and non-Cinq slugs as old slugs."""
        item = member.item
        current = await PostTranslation.get(post_id=post_id, locale=member.locale)
        old_slugs = [*item.meta.get("_wp_old_slug", ())]
        if item.slug and item.slug != current.slug:
            old_slugs.append(item.slug)
        for old in dict.fromkeys(unicodedata.normalize("NFC", unquote(s)) for s in old_slugs):
            if old and old != current.slug:
                try:
                    await authoring.remember_old_slug(post_id, member.locale, old[:200])
                except ContentError as exc:
                    self.report.warn(label, f"the old slug {old!r} was not kept: {exc.message}")
                    continue
                self.report.counts["old slugs"] += 1
        paths = [f"/?p={item.post_id}"]
        link = urlsplit(item.link)
        if link.path and link.path != "/" and not link.query:
            paths.append(link.path)
            parts = link.path.rstrip("/").rsplit("/", 1)
            if len(parts) == 2 and item.slug and unquote(parts[1]) == item.slug:
                paths += [f"{parts[0]}/{old}/" for old in item.meta.get("_wp_old_slug", ())]
        for path in dict.fromkeys(paths):
            try:
                await add_redirect(path, post_id=post_id, locale=member.locale, origin=ORIGIN)
            except ValueError as exc:
                self.report.warn(label, f"the old address {path!r} was not kept: {exc}")
                continue
            self.report.counts["redirects"] += 1

    def _notes(self, member: _Member, label: str) -> None:
        for note in member.notes:
            self.report.warn(f"{label} [{member.locale}]", note)

    # import records --------------------------------------------------------------------

    async def _known(self, kind: str, keys: Sequence[str]) -> int | None:
        """The Cinq id an earlier import gave one of these WordPress objects."""
        rows = await ImportedObject.filter(
            source=self.plan.source, kind=kind, external_id__in=list(keys)
        ).values_list("object_id", flat=True)
        return rows[0] if rows else None

    async def _changed(self, kind: str, keys: Sequence[str], digest: str) -> bool:
        digests = await ImportedObject.filter(
            source=self.plan.source, kind=kind, external_id__in=list(keys)
        ).values_list("digest", flat=True)
        return len(digests) != len(keys) or any(d != digest for d in digests)

    async def _remember(
        self, kind: str, key: str, object_id: int, digest: str, guid: str | None = None
    ) -> None:
        await ImportedObject.update_or_create(
            source=self.plan.source,
            kind=kind,
            external_id=key,
            defaults={
                "object_id": object_id,
                "digest": digest,
                "guid": (guid or None) and guid[:1000],
            },
        )


# --- helpers ------------------------------------------------------------------------------


def _language_prefixes(the_plan: _Plan) -> dict[str, str]:
    """Locale → the path prefix Polylang gave its addresses (``/en``), read off the posts'
    permalinks; the default language usually has none."""
    prefixes: dict[str, str] = {}
    for group in the_plan.posts:
        for member in group.members:
            first = urlsplit(member.item.link).path.strip("/").split("/", 1)[0]
            if the_plan.languages.get(first) == member.locale:
                prefixes.setdefault(member.locale, f"/{first}")
    return prefixes


def _term_paths(group: _TermGroup, term: WxrTerm, prefix: str) -> list[str]:
    """The archive addresses WordPress served for a term: its pretty permalink (a category's
    with its parents' slugs) and the query-string form."""
    if group.kind == "tag":
        return [f"{prefix}/tag/{term.slug}/", f"/?tag={term.slug}"]
    chain, parent, seen = [term.slug], group.parent, {id(group)}
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        locale = group.locales[group.key(term)]
        same = [t for t in parent.members if parent.locales[parent.key(t)] == locale]
        chain.insert(0, (same or parent.members)[0].slug)
        parent = parent.parent
    paths = [f"{prefix}/category/{'/'.join(chain)}/"]
    if term.id is not None:
        paths.append(f"/?cat={term.id}")
    return paths


def _image_alt(content: str, url: str) -> str:
    """The alt text an ``<img>`` with this address has in a post's HTML."""
    for img in BeautifulSoup(content, "html.parser").find_all("img"):
        if img.get("src") == url:
            return " ".join(str(img.get("alt") or "").split())
    return ""


def _source_first(locales: Sequence[str], source: str) -> tuple[str, ...]:
    """The configured locales with ``source`` first: a new post's source is the actor's
    first locale among its translations, and an imported post's is the one written first."""
    return (source, *(loc for loc in locales if loc != source))


def _publication(members: list[_Member]) -> datetime | None:
    """The post's date: the earliest of its published (or else scheduled) translations'."""
    for state in (_PUBLISHED, _SCHEDULED):
        dates = [d for m in members if m.state == state and (d := _when(m.item)) is not None]
        if dates:
            return min(dates)
    return None


def _when(item: WxrItem) -> datetime | None:
    if item.date_gmt is not None:
        return item.date_gmt
    if item.date is not None:  # drafts have no GMT date: the site's local time stands in
        return item.date.replace(tzinfo=UTC)
    return None


def _upload_path(url: str | None) -> str | None:
    """``2019/05/x.jpg`` of an uploads URL or of an attached-file value."""
    if not url:
        return None
    path = unquote(urlsplit(url).path) if "://" in url or url.startswith("/") else url
    if _UPLOADS in path:
        path = path.split(_UPLOADS, 1)[1]
    elif "://" in url or url.startswith("/"):
        return None
    clean = PurePosixPath(path)
    if clean.is_absolute() or ".." in clean.parts or not clean.parts:
        return None
    return str(clean)


async def _copy_to_temp(storage: LocalStorage, source: Path) -> StoredUpload:
    """Copy a file into the media root's temporary folder, hashing it on the way."""
    import asyncio

    temp = storage.temp_path()

    def copy() -> tuple[int, str, bytes]:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with source.open("rb") as reader, temp.open("wb") as writer:
            while chunk := reader.read(1 << 20):
                if not head:
                    head = chunk[:HEAD_SIZE]
                digest.update(chunk)
                size += len(chunk)
                writer.write(chunk)
        return size, digest.hexdigest(), head

    size, sha256, head = await asyncio.to_thread(copy)
    return StoredUpload(
        filename=source.name, declared_type="", temp_path=temp, size=size, sha256=sha256, head=head
    )


async def _version(post_id: int) -> int | None:
    rows = await Post.filter(id=post_id).values_list("version", flat=True)
    return rows[0] if rows else None


def _digest(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def _first(values: Sequence[str] | None) -> str | None:
    return values[0] if values else None


def _item_label(item: WxrItem) -> str:
    return f"{item.post_type} {item.post_id} ({item.title.strip() or 'untitled'})"


def _plural(kind: str) -> str:
    return {"category": "categories", "tag": "tags"}.get(kind, kind + "s")


__all__ = [
    "ImportOptions",
    "Report",
    "WordPressImportError",
    "WxrError",
    "import_wordpress",
    "plan",
]
