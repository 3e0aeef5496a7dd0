"""The old site's addresses: a post's permalink, ``/?p=ID`` and its old slugs, a term's
archive pages, kept as redirects (and a post's old slugs as old slugs) so links to the old
site still arrive."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from cms.models import PostTranslation
from cms.services import post_writing
from cms.services.errors import ContentError
from cms.services.redirects import add_redirect
from cms.transfer.wordpress.plan import ORIGIN, Member, Plan, TermGroup
from cms.transfer.wordpress.report import Report
from cms.transfer.wordpress.wxr import WxrTerm


async def keep_addresses(post_id: int, member: Member, label: str, report: Report) -> None:
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
                await post_writing.remember_old_slug(post_id, member.locale, old[:200])
            except ContentError as exc:
                report.warn(label, f"the old slug {old!r} was not kept: {exc.message}")
                continue
            report.counts["old slugs"] += 1
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
            report.warn(label, f"the old address {path!r} was not kept: {exc}")
            continue
        report.counts["redirects"] += 1


def language_prefixes(the_plan: Plan) -> dict[str, str]:
    """Locale → the path prefix Polylang gave its addresses (``/en``), read off the posts'
    permalinks; the default language usually has none."""
    prefixes: dict[str, str] = {}
    for group in the_plan.posts:
        for member in group.members:
            first = urlsplit(member.item.link).path.strip("/").split("/", 1)[0]
            if the_plan.languages.get(first) == member.locale:
                prefixes.setdefault(member.locale, f"/{first}")
    return prefixes


def term_paths(group: TermGroup, term: WxrTerm, prefix: str) -> list[str]:
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
