"""Planning: what the export holds, decided before anything is written.

The export's items are sorted into post groups (one per Polylang ``post_translations`` group,
or a post alone), its categories and tags into term groups, and its languages matched to the
configured locales; an export whose languages cannot be placed is refused here, whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from cms.settings import Settings
from cms.transfer.wordpress.report import ImportOptions, Report, WordPressImportError
from cms.transfer.wordpress.wxr import WxrExport, WxrItem, WxrTerm, php_array

ORIGIN = "wordpress"
#: WordPress statuses and what a translation becomes.
PUBLISHED, SCHEDULED, DRAFT, TRASHED = "published", "scheduled", "draft", "trashed"
_STATUS = {
    "publish": PUBLISHED,
    "future": SCHEDULED,
    "draft": DRAFT,
    "pending": DRAFT,
    "private": DRAFT,
    "trash": TRASHED,
}
UPLOADS = "/wp-content/uploads/"
_NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass
class TermGroup:
    kind: str  # "category" or "tag"
    members: list[WxrTerm]
    locales: dict[int | str, str] = field(default_factory=dict)  # member key → locale
    parent: TermGroup | None = None
    cinq_id: int | None = None
    # Whether this run wrote it (its parent and old addresses are written again then).
    changed: bool = False

    def key(self, term: WxrTerm) -> str:
        return str(term.id) if term.id is not None else f"slug:{term.slug}"


@dataclass
class Member:
    item: WxrItem
    locale: str
    state: str
    # What converting its body dropped or could not place, for the report.
    notes: tuple[str, ...] = ()


@dataclass
class PostGroup:
    members: list[Member]

    @property
    def label(self) -> str:
        first = self.members[0].item
        ids = ", ".join(str(m.item.post_id) for m in self.members)
        return f"post {ids} ({first.title.strip() or 'untitled'})"


@dataclass
class Plan:
    export: WxrExport
    default_locale: str
    languages: dict[str, str]  # Polylang language slug → Cinq locale
    posts: list[PostGroup]
    term_groups: list[TermGroup]
    term_of: dict[tuple[str, str], TermGroup]  # (kind, slug) → group
    attachments: dict[int, WxrItem]
    attachment_by_file: dict[str, WxrItem]
    source: str


def plan(export: WxrExport, settings: Settings, options: ImportOptions, report: Report) -> Plan:
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
            if rel := upload_path(path):
                by_file.setdefault(rel, attachment)
    term_groups, term_of = _term_groups(export, languages, default_locale, posts)
    return Plan(
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


def _languages(export: WxrExport, settings: Settings, options: ImportOptions) -> dict[str, str]:
    found: dict[str, str] = {}
    for term in export.terms:
        if term.taxonomy != "language":
            continue
        wp_locale = str(php_array(term.description).get("locale", ""))
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


def _default_locale(export: WxrExport, settings: Settings, options: ImportOptions) -> str:
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
) -> list[PostGroup]:
    group_of: dict[int, str] = {}
    for item in posts:
        for ref in item.terms:
            if ref.taxonomy == "post_translations":
                group_of[item.post_id] = ref.slug
    groups: dict[str, list[Member]] = defaultdict(list)
    singles: list[PostGroup] = []
    for item in posts:
        locale = item_locale(item, languages, default_locale)
        state = _STATUS[item.status]
        if item.password and state in (PUBLISHED, SCHEDULED):
            # Cinq has no password-protected posts: such a post must not become public.
            report.warn(_item_label(item), "password-protected on WordPress: imported as a draft")
            state = DRAFT
        member = Member(item, locale, state)
        key = group_of.get(item.post_id)
        if key is None:
            singles.append(PostGroup([member]))
        elif any(m.locale == locale for m in groups[key]):
            report.warn(_item_label(item), f"a second {locale} post in its translation group")
            singles.append(PostGroup([member]))
        else:
            groups[key].append(member)
    result = [PostGroup(members) for members in groups.values()] + singles
    # The source translation first: the one written first.
    for group in result:
        group.members.sort(key=lambda m: (item_date(m.item) or _NEVER, m.item.post_id))
    result.sort(key=lambda g: min(m.item.post_id for m in g.members))
    return result


def item_locale(item: WxrItem, languages: dict[str, str], default_locale: str) -> str:
    for ref in item.terms:
        if ref.taxonomy == "language" and ref.slug in languages:
            return languages[ref.slug]
    return default_locale


def _term_groups(
    export: WxrExport,
    languages: dict[str, str],
    default_locale: str,
    posts: list[WxrItem],
) -> tuple[list[TermGroup], dict[tuple[str, str], TermGroup]]:
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
        for language, term_id in php_array(term.description).items():
            if isinstance(term_id, int) and term_id in by_id and language in languages:
                members[term_id] = languages[language]
        for term_id in members:
            grouped[term_id] = (index, members)
    # Which locale the posts using an ungrouped term are in.
    used_in: dict[tuple[str, str], str] = {}
    for item in posts:
        locale = item_locale(item, languages, default_locale)
        for ref in item.terms:
            used_in.setdefault((ref.taxonomy, ref.slug), locale)
    groups: list[TermGroup] = []
    term_of: dict[tuple[str, str], TermGroup] = {}
    seen_groups: dict[int, TermGroup] = {}
    for term in terms:
        kind = kinds[term.taxonomy]
        if term.id is not None and term.id in grouped:
            index, members = grouped[term.id]
            group = seen_groups.get(index)
            if group is None:
                group = seen_groups[index] = TermGroup(kind, [])
                groups.append(group)
            group.members.append(term)
            group.locales[group.key(term)] = members[term.id]
        else:
            group = TermGroup(kind, [term])
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


def item_date(item: WxrItem) -> datetime | None:
    if item.date_gmt is not None:
        return item.date_gmt
    if item.date is not None:  # drafts have no GMT date: the site's local time stands in
        return item.date.replace(tzinfo=UTC)
    return None


def upload_path(url: str | None) -> str | None:
    """``2019/05/x.jpg`` of an uploads URL or of an attached-file value."""
    if not url:
        return None
    path = unquote(urlsplit(url).path) if "://" in url or url.startswith("/") else url
    if UPLOADS in path:
        path = path.split(UPLOADS, 1)[1]
    elif "://" in url or url.startswith("/"):
        return None
    clean = PurePosixPath(path)
    if clean.is_absolute() or ".." in clean.parts or not clean.parts:
        return None
    return str(clean)


def _item_label(item: WxrItem) -> str:
    return f"{item.post_type} {item.post_id} ({item.title.strip() or 'untitled'})"
